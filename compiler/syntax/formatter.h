// `sbcc fmt`: rewrites a policy in the canonical layout. Works on the lexer's token
// stream (comments included), not on the AST, so grammar additions need no change here;
// the rules are listed at the top of formatter.cpp and in docs/language.md.
#pragma once

#include <optional>
#include <string>

#include "basic/diagnostic_engine.h"

namespace sbcc {

// The canonical text of `file`, or nullopt when it has syntax errors (all of them
// reported to `diags`, exactly as `sbcc check` would). The result has the same tokens,
// in the same order, as the input: only the whitespace between them changes.
std::optional<std::string> format_policy(const SourceManager& sources, FileId file, DiagnosticEngine& diags);

}  // namespace sbcc
