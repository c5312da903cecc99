// Semantic analysis: the whole pipeline of checks from AST to PolicyModel, in one place.
#pragma once

#include <optional>

#include "basic/diagnostic_engine.h"
#include "sema/policy_model.h"
#include "syntax/ast.h"

namespace sbcc {

struct SemaOptions {
  // Resolves relative paths against the folder of the file naming them; without it
  // paths are taken as written.
  const SourceManager* sources = nullptr;
  // A build needs the files (certificates, keys) to exist; `check` only warns.
  bool require_files = false;
};

// Resolves names, checks types and policy rules, and builds the model codegen reads.
// Returns nullopt if any error was reported. `policy` is annotated in place.
std::optional<PolicyModel> analyze(ast::Policy& policy, DiagnosticEngine& diags, const SemaOptions& options = {});

}  // namespace sbcc
