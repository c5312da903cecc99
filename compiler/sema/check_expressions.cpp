// Types of route expressions: resolves names to constants, enum members, faces,
// networks, tables and request fields, and annotates each expression with its type and
// symbol for codegen.
#include "sema/check_expressions.h"

namespace sbcc {
namespace {

struct Member {
  TypeKind base;
  std::string_view name;
  Type type;
  Field field;
};

constexpr Member members[] = {
    {TypeKind::RequestUri, "user", Type::String, Field::RequestUriUser},
    {TypeKind::RequestUri, "host", Type::String, Field::RequestUriHost},
    {TypeKind::RequestUri, "port", Type::Int, Field::RequestUriPort},
    {TypeKind::Party, "user", Type::String, Field::None},
    {TypeKind::Party, "host", Type::String, Field::None},
    {TypeKind::Endpoint, "ip", Type::Address, Field::SourceIp},
    {TypeKind::Endpoint, "port", Type::Int, Field::SourcePort},
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
    case Field::Status: return Type::Int;
    case Field::Face: return Type::Face;
    default: return Type::String;
  }
}

class ExprChecker {
 public:
  ExprChecker(SemaContext& ctx, const ExprScope& scope) : ctx_(ctx), scope_(scope) {}

  Type check(ast::Expr& e) {
    e.type = compute(e);
    return e.type;
  }

 private:
  std::string describe(Type t) const { return ctx_.model.describe(t); }

  void mismatch(const ast::Expr& e, std::string_view expected, Type found, std::string hint = {}) {
    auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                "expected " + std::string(expected) + ", found " + describe(found));
    d.hint = std::move(hint);
  }

  // Checks `e` and requires `expected`; returns false (after reporting) otherwise.
  bool expect(ast::Expr& e, Type expected, std::string hint = {}) {
    Type t = check(e);
    if (t == Type::Error) return false;
    if (t != expected) {
      mismatch(e, describe(expected), t, std::move(hint));
      return false;
    }
    return true;
  }

  Type compute(ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::Literal: return evaluate_constant(ctx_, e).type;
      case ast::ExprKind::Name: return name(e);
      case ast::ExprKind::Member: return member(e);
      case ast::ExprKind::Lookup: return lookup(e);
      case ast::ExprKind::Call: return call(e);
      case ast::ExprKind::Not: return expect(*e.operands[0], Type::Bool) ? Type::Bool : Type::Error;
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
    if (scope_.row_binding && e.text == scope_.row_binding->text) {
      e.symbol = {SymbolKind::Table, scope_.row_table, Field::None, 0};
      return Type::row(scope_.row_table);
    }
    if (scope_.handler != ast::HandlerKind::Request && e.text == "status") {
      e.symbol = {SymbolKind::Builtin, 0, Field::Status, 0};
      return Type::Int;
    }
    if (e.text == "dialog") {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range, "`dialog` is not a value by itself");
      d.hint = "read one of its variables, e.g. `dialog.location`";
      return Type::Error;
    }
    const SymbolEntry* entry = ctx_.resolve_any(e.text, e.range);
    if (!entry) return Type::Error;
    e.symbol = entry->symbol;
    switch (entry->symbol.kind) {
      case SymbolKind::Let: return ctx_.model.constants[entry->symbol.index].type;
      case SymbolKind::EnumMember: return Type::enumeration(entry->symbol.index);
      case SymbolKind::Face: return Type::Face;
      case SymbolKind::Network: return Type::Network;
      case SymbolKind::Dispatcher: return Type::Dispatcher;
      case SymbolKind::Builtin: return builtin_type(entry->symbol.field);
      default: break;
    }
    auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                "`" + e.text + "` is a " + std::string(symbol_kind_name(entry->symbol.kind)) +
                                    " and has no value here");
    if (entry->symbol.kind == SymbolKind::Table) d.hint = "look a row up with `match " + e.text + "[KEY] { … }`";
    return Type::Error;
  }

  Type member(ast::Expr& e) {
    ast::Expr& base = *e.operands[0];
    if (base.kind == ast::ExprKind::Name && base.text == "dialog") return dialog_variable(e);
    Type base_type = check(base);
    if (base_type == Type::Error) return Type::Error;
    if (base_type.kind == TypeKind::Row) return row_column(e, base_type.id);
    if (base.symbol.kind != SymbolKind::Builtin) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "fields can only be read from `ruri`, `from`, `to` or `source` by name");
      d.hint = "take the field in each branch instead, e.g. `cond ? from.user : to.user`";
      return Type::Error;
    }
    std::vector<std::string> names;
    for (const auto& m : members) {
      if (m.base != base_type.kind) continue;
      names.emplace_back(m.name);
      if (m.name != e.text) continue;
      e.symbol = {SymbolKind::Builtin, 0,
                  base_type == Type::Party ? party_field(base.symbol.field, m.name) : m.field, 0};
      return m.type;
    }
    report_unknown_member(e, describe(base_type), names);
    return Type::Error;
  }

  void report_unknown_member(const ast::Expr& e, const std::string& what, const std::vector<std::string>& names) {
    auto& d = ctx_.diags.report(DiagKind::UnknownName, e.name_range, what + " has no field `" + e.text + "`");
    if (auto s = closest_spelling(e.text, names)) {
      d.hint = "did you mean `" + *s + "`?";
      d.fixit = FixIt{e.name_range, *s};
    } else if (!names.empty()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "`" : ", `") + n + "`";
      d.hint = "its fields are " + list;
    }
  }

  Type row_column(ast::Expr& e, uint32_t table) {
    const TableModel& t = ctx_.model.tables[table];
    std::vector<std::string> names{t.key.name};
    if (e.text == t.key.name) {
      e.symbol = {SymbolKind::Table, table, Field::None, 0};
      return t.key.type;
    }
    for (uint32_t i = 0; i < t.columns.size(); ++i) {
      names.push_back(t.columns[i].name);
      if (t.columns[i].name != e.text) continue;
      e.symbol = {SymbolKind::Table, table, Field::None, i + 1};  // 0 is the key column
      return t.columns[i].type;
    }
    report_unknown_member(e, "table `" + t.name + "`", names);
    return Type::Error;
  }

  Type dialog_variable(ast::Expr& e) {
    for (uint32_t i = 0; i < ctx_.model.dialog_vars.size(); ++i) {
      if (ctx_.model.dialog_vars[i].name != e.text) continue;
      e.symbol = {SymbolKind::DialogVar, i, Field::None, 0};
      return ctx_.model.dialog_vars[i].type;
    }
    std::vector<std::string> names;
    for (const auto& v : ctx_.model.dialog_vars) names.push_back(v.name);
    report_unknown_member(e, "dialog", names);
    return Type::Error;
  }

  Type lookup(ast::Expr& e) {
    ast::Expr& table_expr = *e.operands[0];
    ast::Expr& key = *e.operands[1];
    Type key_type = check(key);
    if (table_expr.kind != ast::ExprKind::Name) {
      ctx_.diags.report(DiagKind::TypeMismatch, table_expr.range, "only a table can be looked up with `[…]`");
      return Type::Error;
    }
    const SymbolEntry* entry = ctx_.resolve(table_expr.text, SymbolKind::Table, table_expr.range);
    if (!entry || key_type == Type::Error) return Type::Error;
    table_expr.symbol = entry->symbol;
    const TableModel& t = ctx_.model.tables[entry->symbol.index];
    if (t.key.type == Type::Error) return Type::Error;
    if (key_type != t.key.type) {
      auto& d = ctx_.diags.report(DiagKind::TableKeyType, key.range,
                                  "table `" + t.name + "` is keyed by " + describe(t.key.type) + ", not " +
                                      describe(key_type));
      d.labels.push_back({ctx_.policy.tables[entry->symbol.index].key.type.range, "the key column's type"});
      d.hint = "look it up with a " + describe(t.key.type) + " such as `ruri.host`";
      return Type::Error;
    }
    e.symbol = entry->symbol;
    return Type::option(entry->symbol.index);
  }

  Type call(ast::Expr& e) {
    if (e.text != "header") {
      auto& d = ctx_.diags.report(DiagKind::UnknownName, e.name_range, "unknown function `" + e.text + "`");
      d.hint = "the functions are `header(\"Name\")`";
      return Type::Error;
    }
    if (e.operands.size() != 1 || e.operands[0]->kind != ast::ExprKind::Literal ||
        e.operands[0]->literal != ast::LiteralKind::String) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range, "`header` takes one header name in quotes");
      d.hint = "write `header(\"X-Customer\")`";
      return Type::Error;
    }
    e.operands[0]->type = Type::String;
    e.symbol = {SymbolKind::Builtin, 0, Field::Header, 0};
    return Type::String;
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

  static bool comparable(Type t) {
    return t == Type::String || t == Type::Int || t == Type::Address || t == Type::Bool || t == Type::Face ||
           t.kind == TypeKind::Enum;
  }

  Type compare(ast::Expr& e) {
    Type left = check(*e.operands[0]);
    Type right = check(*e.operands[1]);
    if (left == Type::Error || right == Type::Error) return Type::Error;
    if (left == Type::Endpoint) left = Type::Address;  // `source == 10.0.0.1` compares its address
    if (right == Type::Endpoint) right = Type::Address;
    if (left != right || !comparable(left)) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "cannot compare " + describe(left) + " with " + describe(right));
      d.hint = "both sides must have the same type: string, int, address, bool, face or one enum";
      return Type::Error;
    }
    return Type::Bool;
  }

  Type conditional(ast::Expr& e) {
    bool ok = expect(*e.operands[0], Type::Bool);
    Type a = check(*e.operands[1]);
    Type b = check(*e.operands[2]);
    if (!ok || a == Type::Error || b == Type::Error) return Type::Error;
    if (a == Type::RequestUri || a == Type::Party || a == Type::Endpoint || a.kind == TypeKind::Row ||
        a.kind == TypeKind::Option) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range, "a conditional cannot choose between request values");
      d.hint = "test or compare inside each branch, e.g. `cond ? from.user : to.user`";
      return Type::Error;
    }
    if (a != b) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.operands[2]->range,
                                  "both branches must have the same type: " + describe(a) + " and " + describe(b));
      d.labels.push_back({e.operands[1]->range, "this branch is " + describe(a)});
      return Type::Error;
    }
    return a;
  }

  SemaContext& ctx_;
  const ExprScope& scope_;
};

}  // namespace

Type check_expression(SemaContext& ctx, ast::Expr& expr, const ExprScope& scope) {
  return ExprChecker(ctx, scope).check(expr);
}

bool check_condition(SemaContext& ctx, ast::Expr& expr, const ExprScope& scope) {
  Type t = check_expression(ctx, expr, scope);
  if (t == Type::Error) return false;
  if (t != Type::Bool) {
    auto& d = ctx.diags.report(DiagKind::TypeMismatch, expr.range,
                               "expected a condition (bool), found " + ctx.model.describe(t));
    d.hint = "compare it, e.g. `ruri.user == \"100\"`, or test it with `is myself` / `in NETWORK`";
    return false;
  }
  return true;
}

}  // namespace sbcc
