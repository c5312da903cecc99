// Type checking of route expressions (see check_expressions.cpp).
#pragma once

#include "sema/sema_context.h"

namespace sbcc {

// What names mean where an expression stands: the handler kind (`status` exists only
// in reply and failure handlers) and the row bound by an enclosing `some(r)` arm.
struct ExprScope {
  ast::HandlerKind handler = ast::HandlerKind::Request;
  const ast::Ident* row_binding = nullptr;
  uint32_t row_table = 0;
};

// Annotates `expr` (and its operands) with types and symbols; returns its type.
Type check_expression(SemaContext& ctx, ast::Expr& expr, const ExprScope& scope);
// Requires a bool; reports otherwise. Returns false if the condition is unusable.
bool check_condition(SemaContext& ctx, ast::Expr& expr, const ExprScope& scope);

}  // namespace sbcc
