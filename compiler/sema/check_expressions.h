// Type checking of route expressions (see check_expressions.cpp).
#pragma once

#include "sema/sema_context.h"

namespace sbcc {

// Annotates `expr` (and its operands) with types and symbols; returns its type.
Type check_expression(SemaContext& ctx, ast::Expr& expr);
// Requires a bool; reports otherwise. Returns false if the condition is unusable.
bool check_condition(SemaContext& ctx, ast::Expr& expr);

}  // namespace sbcc
