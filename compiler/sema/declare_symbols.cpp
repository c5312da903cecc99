// Pass 1: enter every named declaration (constants, faces, networks, dispatcher sets)
// and the built-in request fields into one namespace; report duplicates.
#include "sema/sema_context.h"

namespace sbcc {
namespace {

struct Builtin {
  std::string_view name;
  Field field;
};

constexpr Builtin builtins[] = {
    {"ruri", Field::RequestUri}, {"from", Field::FromUri},   {"to", Field::ToUri},
    {"source", Field::SourceIp}, {"call_id", Field::CallId}, {"method", Field::Method},
};

void declare(SemaContext& ctx, const ast::Ident& name, Symbol symbol) {
  auto [it, inserted] = ctx.symbols.emplace(name.text, SymbolEntry{symbol, name.range});
  if (inserted) return;
  auto& d = ctx.diags.report(DiagKind::DuplicateDefinition, name.range, "`" + name.text + "` is already defined");
  if (it->second.symbol.kind == SymbolKind::Builtin) {
    d.notes.push_back("`" + name.text + "` is a built-in request field");
  } else {
    d.labels.push_back({it->second.declared_at, "first defined here"});
  }
  d.hint = "rename one of the two declarations";
}

}  // namespace

void declare_symbols(SemaContext& ctx) {
  for (const auto& b : builtins) {
    ctx.symbols.emplace(std::string(b.name), SymbolEntry{{SymbolKind::Builtin, 0, b.field}, {}});
  }
  auto& p = ctx.policy;
  for (uint32_t i = 0; i < p.lets.size(); ++i) declare(ctx, p.lets[i].name, {SymbolKind::Let, i, Field::None});
  for (uint32_t i = 0; i < p.interfaces.size(); ++i) {
    declare(ctx, p.interfaces[i].name, {SymbolKind::Face, i, Field::None});
  }
  for (uint32_t i = 0; i < p.networks.size(); ++i) {
    declare(ctx, p.networks[i].name, {SymbolKind::Network, i, Field::None});
  }
  for (uint32_t i = 0; i < p.dispatchers.size(); ++i) {
    declare(ctx, p.dispatchers[i].name, {SymbolKind::Dispatcher, i, Field::None});
  }
}

const SymbolEntry* SemaContext::lookup(std::string_view name) const {
  auto it = symbols.find(name);
  return it == symbols.end() ? nullptr : &it->second;
}

void SemaContext::report_unknown(std::string_view what, std::string_view name, SourceRange range,
                                 SymbolKind only) const {
  std::vector<std::string> candidates;
  for (const auto& [candidate, entry] : symbols) {
    if (only == SymbolKind::None || entry.symbol.kind == only) candidates.push_back(candidate);
  }
  auto& d = diags.report(DiagKind::UnknownName, range, "unknown " + std::string(what) + " `" + std::string(name) + "`");
  if (auto suggestion = closest_spelling(name, candidates)) {
    d.hint = "did you mean `" + *suggestion + "`?";
    d.fixit = FixIt{range, *suggestion};
  }
}

}  // namespace sbcc
