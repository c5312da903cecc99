// Types of route expressions: resolves names to constants, faces, networks and request
// fields, and annotates each expression with its type and symbol for codegen.
#include "sema/check_expressions.h"

namespace sbcc {
namespace {

struct Member {
  Type base;
  std::string_view name;
  Type type;
  Field field;
};

constexpr Member members[] = {
    {Type::RequestUri, "user", Type::String, Field::RequestUriUser},
    {Type::RequestUri, "host", Type::String, Field::RequestUriHost},
    {Type::RequestUri, "port", Type::Int, Field::RequestUriPort},
    {Type::Party, "user", Type::String, Field::None},
    {Type::Party, "host", Type::String, Field::None},
    {Type::Endpoint, "ip", Type::Address, Field::SourceIp},
    {Type::Endpoint, "port", Type::Int, Field::SourcePort},
};

Field party_field(Field party, std::string_view member) {
  bool from = party == Field::FromUri;
  return member == "user" ? (from ? Field::FromUser : Field::ToUser) : (from ? Field::FromHost : Field::ToHost);
}

Type builtin_type(Field field) {
  switch (field) {
    case Field::RequestUri: return Type::RequestUri;
    case Field::FromUri:
    case Field::ToUri: return Type::Party;
    case Field::SourceIp: return Type::Endpoint;
    default: return Type::String;
  }
}

class ExprChecker {
 public:
  explicit ExprChecker(SemaContext& ctx) : ctx_(ctx) {}

  Type check(ast::Expr& e) {
    e.type = compute(e);
    return e.type;
  }

 private:
  void mismatch(const ast::Expr& e, std::string_view expected, Type found, std::string hint = {}) {
    auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                "expected " + std::string(expected) + ", found " + std::string(type_name(found)));
    d.hint = std::move(hint);
  }

  // Checks `e` and requires `expected`; returns false (after reporting) otherwise.
  bool expect(ast::Expr& e, Type expected, std::string hint = {}) {
    Type t = check(e);
    if (t == Type::Error) return false;
    if (t != expected) {
      mismatch(e, type_name(expected), t, std::move(hint));
      return false;
    }
    return true;
  }

  Type compute(ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::Literal: return evaluate_constant(ctx_, e).type;
      case ast::ExprKind::Name: return name(e);
      case ast::ExprKind::Member: return member(e);
      case ast::ExprKind::Not:
        return expect(*e.operands[0], Type::Bool) ? Type::Bool : Type::Error;
      case ast::ExprKind::And:
      case ast::ExprKind::Or: {
        bool ok = expect(*e.operands[0], Type::Bool);
        ok = expect(*e.operands[1], Type::Bool) && ok;
        return ok ? Type::Bool : Type::Error;
      }
      case ast::ExprKind::IsMyself: return is_myself(e);
      case ast::ExprKind::In: return in_network(e);
      case ast::ExprKind::Equal:
      case ast::ExprKind::NotEqual: return compare(e);
      case ast::ExprKind::Cond: return conditional(e);
    }
    return Type::Error;
  }

  Type name(ast::Expr& e) {
    const SymbolEntry* entry = ctx_.resolve_any(e.text, e.range);
    if (!entry) return Type::Error;
    e.symbol = entry->symbol;
    switch (entry->symbol.kind) {
      case SymbolKind::Let: return ctx_.model.constants[entry->symbol.index].type;
      case SymbolKind::Face: return Type::Face;
      case SymbolKind::Network: return Type::Network;
      case SymbolKind::Dispatcher: return Type::Dispatcher;
      case SymbolKind::Builtin: return builtin_type(entry->symbol.field);
      case SymbolKind::None: break;
    }
    return Type::Error;
  }

  Type member(ast::Expr& e) {
    ast::Expr& base = *e.operands[0];
    Type base_type = check(base);
    if (base_type == Type::Error) return Type::Error;
    if (base.symbol.kind != SymbolKind::Builtin) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "fields can only be read from `ruri`, `from`, `to` or `source` by name");
      d.hint = "take the field in each branch instead, e.g. `cond ? from.user : to.user`";
      return Type::Error;
    }
    std::vector<std::string> names;
    for (const auto& m : members) {
      if (m.base != base_type) continue;
      names.emplace_back(m.name);
      if (m.name != e.text) continue;
      e.symbol = {SymbolKind::Builtin, 0, base_type == Type::Party ? party_field(base.symbol.field, m.name) : m.field};
      return m.type;
    }
    auto& d = ctx_.diags.report(DiagKind::UnknownName, e.name_range,
                                std::string(type_name(base_type)) + " has no field `" + e.text + "`");
    if (auto s = closest_spelling(e.text, names)) {
      d.hint = "did you mean `" + *s + "`?";
      d.fixit = FixIt{e.name_range, *s};
    } else if (!names.empty()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "`" : ", `") + n + "`";
      d.hint = "its fields are " + list;
    }
    return Type::Error;
  }

  Type is_myself(ast::Expr& e) {
    ast::Expr& operand = *e.operands[0];
    Type t = check(operand);
    if (t == Type::Error) return Type::Error;
    if (t != Type::RequestUri && t != Type::Party) {
      mismatch(operand, "a SIP URI such as `ruri`, `from` or `to`", t);
      return Type::Error;
    }
    return Type::Bool;
  }

  Type in_network(ast::Expr& e) {
    ast::Expr& operand = *e.operands[0];
    Type t = check(operand);
    const SymbolEntry* net = ctx_.resolve(e.text, SymbolKind::Network, e.name_range);
    bool ok = t != Type::Error && net;
    if (net) e.symbol = net->symbol;
    if (t != Type::Error && t != Type::Endpoint && t != Type::Address) {
      mismatch(operand, "an address such as `source`", t);
      ok = false;
    }
    return ok ? Type::Bool : Type::Error;
  }

  Type compare(ast::Expr& e) {
    Type left = check(*e.operands[0]);
    Type right = check(*e.operands[1]);
    if (left == Type::Error || right == Type::Error) return Type::Error;
    if (left == Type::Endpoint) left = Type::Address;  // `source == 10.0.0.1` compares its address
    if (right == Type::Endpoint) right = Type::Address;
    bool comparable = left == Type::String || left == Type::Int || left == Type::Address || left == Type::Bool;
    if (left != right || !comparable) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "cannot compare " + std::string(type_name(left)) + " with " +
                                      std::string(type_name(right)));
      d.hint = "both sides must be strings, integers, addresses or booleans of the same type";
      return Type::Error;
    }
    return Type::Bool;
  }

  Type conditional(ast::Expr& e) {
    bool ok = expect(*e.operands[0], Type::Bool);
    Type a = check(*e.operands[1]);
    Type b = check(*e.operands[2]);
    if (!ok || a == Type::Error || b == Type::Error) return Type::Error;
    if (a == Type::RequestUri || a == Type::Party || a == Type::Endpoint) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "a conditional cannot choose between request values");
      d.hint = "test or compare inside each branch, e.g. `cond ? from.user : to.user`";
      return Type::Error;
    }
    if (a != b) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.operands[2]->range,
                                  "both branches must have the same type: " + std::string(type_name(a)) + " and " +
                                      std::string(type_name(b)));
      d.labels.push_back({e.operands[1]->range, "this branch is " + std::string(type_name(a))});
      return Type::Error;
    }
    return a;
  }

  SemaContext& ctx_;
};

}  // namespace

Type check_expression(SemaContext& ctx, ast::Expr& expr) { return ExprChecker(ctx).check(expr); }

bool check_condition(SemaContext& ctx, ast::Expr& expr) {
  Type t = check_expression(ctx, expr);
  if (t == Type::Error) return false;
  if (t != Type::Bool) {
    auto& d = ctx.diags.report(DiagKind::TypeMismatch, expr.range,
                               "expected a condition (bool), found " + std::string(type_name(t)));
    d.hint = "compare it, e.g. `ruri.user == \"100\"`, or test it with `is myself` / `in NETWORK`";
    return false;
  }
  return true;
}

}  // namespace sbcc
