// Pass 2: evaluate `let` constants and every expression that must be known at compile
// time (addresses of listeners, aliases, network members).
#include <charconv>

#include "sema/sema_context.h"

namespace sbcc {
namespace {

ConstValue error_value() { return {}; }

ConstValue literal_value(SemaContext& ctx, const ast::Expr& e) {
  auto invalid = [&](std::string message, std::string hint) {
    auto& d = ctx.diags.report(DiagKind::InvalidLiteral, e.range, std::move(message));
    d.hint = std::move(hint);
    return error_value();
  };
  switch (e.literal) {
    case ast::LiteralKind::String: return {Type::String, e.text};
    case ast::LiteralKind::Bool: return {Type::Bool, e.text == "true"};
    case ast::LiteralKind::Uri: return {Type::Uri, e.text};
    case ast::LiteralKind::Int: {
      uint64_t v = 0;
      auto r = std::from_chars(e.text.data(), e.text.data() + e.text.size(), v);
      if (r.ec != std::errc()) return invalid("integer `" + e.text + "` is too large", "use a value below 2^64");
      return {Type::Int, v};
    }
    case ast::LiteralKind::Duration: {
      uint64_t v = 0;
      std::from_chars(e.text.data(), e.text.data() + e.text.size(), v);
      return {Type::Duration, v};
    }
    case ast::LiteralKind::IPv4:
    case ast::LiteralKind::IPv6: {
      auto addr = parse_ip(e.text);
      if (!addr) return invalid("`" + e.text + "` is not a valid IP address", "each IPv4 octet must be 0..255");
      return {Type::Address, *addr};
    }
    case ast::LiteralKind::Cidr: {
      auto cidr = parse_cidr(e.text);
      if (!cidr) {
        return invalid("`" + e.text + "` is not a valid CIDR block",
                       "write ADDRESS/PREFIX with a prefix of at most 32 (IPv4) or 128 (IPv6)");
      }
      return {Type::Cidr, *cidr};
    }
  }
  return error_value();
}

// Let evaluation state, to detect `let a = b` / `let b = a` cycles.
enum class LetState : uint8_t { Pending, InProgress, Done };

struct LetEvaluator {
  SemaContext& ctx;
  std::vector<LetState> state;

  ConstValue let_value(uint32_t index, SourceRange use) {
    if (state[index] == LetState::Done) return ctx.model.constants[index];
    if (state[index] == LetState::InProgress) {
      auto& d = ctx.diags.report(DiagKind::ConstantCycle, use,
                                 "constant `" + ctx.policy.lets[index].name.text + "` is defined in terms of itself");
      d.labels.push_back({ctx.policy.lets[index].name.range, "`" + ctx.policy.lets[index].name.text + "` is declared here"});
      d.hint = "give one constant of the cycle a literal value";
      return error_value();
    }
    state[index] = LetState::InProgress;
    ctx.model.constants[index] = evaluate(*ctx.policy.lets[index].value);
    state[index] = LetState::Done;
    return ctx.model.constants[index];
  }

  ConstValue evaluate(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Literal) return literal_value(ctx, e);
    if (e.kind == ast::ExprKind::Name) {
      const SymbolEntry* member = ctx.lookup(e.text);
      if (member && !member->poisoned && member->symbol.kind == SymbolKind::EnumMember) {
        return {Type::enumeration(member->symbol.index), uint64_t{member->symbol.member}};
      }
      const SymbolEntry* entry = ctx.resolve(e.text, SymbolKind::Let, e.range);
      return entry ? let_value(entry->symbol.index, e.range) : error_value();
    }
    auto& d = ctx.diags.report(DiagKind::TypeMismatch, e.range, "expected a constant value here");
    d.hint = "only literals and `let` constants can be used in declarations";
    return error_value();
  }
};

}  // namespace

void evaluate_constants(SemaContext& ctx) {
  ctx.model.constants.assign(ctx.policy.lets.size(), {});
  LetEvaluator eval{ctx, std::vector<LetState>(ctx.policy.lets.size(), LetState::Pending)};
  for (uint32_t i = 0; i < ctx.policy.lets.size(); ++i) eval.let_value(i, ctx.policy.lets[i].name.range);
}

ConstValue evaluate_constant(SemaContext& ctx, const ast::Expr& expr) {
  // All lets are Done after evaluate_constants, so no cycle state is needed here.
  std::vector<LetState> done(ctx.policy.lets.size(), LetState::Done);
  LetEvaluator eval{ctx, std::move(done)};
  return eval.evaluate(expr);
}

std::optional<ConstValue> evaluate_as(SemaContext& ctx, const ast::Expr& expr, Type expected) {
  ConstValue value = evaluate_constant(ctx, expr);
  if (value.type == Type::Error) return std::nullopt;
  if (value.type != expected) {
    auto& d = ctx.diags.report(DiagKind::TypeMismatch, expr.range,
                               "expected " + ctx.model.describe(expected) + ", found " +
                                   ctx.model.describe(value.type));
    d.hint = expected == Type::Address ? "write an IP address such as 192.0.2.10, or a `let` holding one" : "";
    return std::nullopt;
  }
  return value;
}

}  // namespace sbcc
