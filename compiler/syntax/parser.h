// Parses one policy file into the AST. The only place ANTLR is used: syntax errors
// become diagnostics, and the parse tree never escapes this folder.
#pragma once

#include <optional>

#include "basic/diagnostic_engine.h"
#include "syntax/ast.h"

namespace sbcc {

// Returns the AST, or nullopt when the file has syntax errors (all of them reported).
std::optional<ast::Policy> parse_policy(const SourceManager& sources, FileId file, DiagnosticEngine& diags);

}  // namespace sbcc
