// Semantic analysis: the whole pipeline of checks from AST to PolicyModel, in one place.
#pragma once

#include <optional>

#include "basic/diagnostic_engine.h"
#include "sema/policy_model.h"
#include "syntax/ast.h"

namespace sbcc {

// Resolves names, checks types and policy rules, and builds the model codegen reads.
// Returns nullopt if any error was reported. `policy` is annotated in place.
std::optional<PolicyModel> analyze(ast::Policy& policy, DiagnosticEngine& diags);

}  // namespace sbcc
