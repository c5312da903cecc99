// Pass 1: enter every named declaration (constants, faces, networks, dispatcher sets)
// and the built-in request fields into one namespace; report duplicates.
#include <algorithm>
#include <tuple>

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
    {"listener", Field::Listener}, {"face", Field::Face},
};

void declare(SemaContext& ctx, const ast::Ident& name, Symbol symbol) {
  auto [it, inserted] = ctx.symbols.emplace(name.text, SymbolEntry{symbol, name.range, false});
  if (inserted) return;
  it->second.poisoned = true;
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
    ctx.symbols.emplace(std::string(b.name), SymbolEntry{{SymbolKind::Builtin, 0, b.field}, {}, false});
  }
  // Declared in source order, so a duplicate is always reported at the later one.
  std::vector<std::pair<const ast::Ident*, Symbol>> declarations;
  auto& p = ctx.policy;
  for (uint32_t i = 0; i < p.lets.size(); ++i) declarations.push_back({&p.lets[i].name, {SymbolKind::Let, i}});
  for (uint32_t i = 0; i < p.interfaces.size(); ++i) {
    declarations.push_back({&p.interfaces[i].name, {SymbolKind::Face, i}});
  }
  for (uint32_t i = 0; i < p.networks.size(); ++i) {
    declarations.push_back({&p.networks[i].name, {SymbolKind::Network, i}});
  }
  for (uint32_t i = 0; i < p.dispatchers.size(); ++i) {
    declarations.push_back({&p.dispatchers[i].name, {SymbolKind::Dispatcher, i}});
  }
  for (uint32_t i = 0; i < p.enums.size(); ++i) {
    declarations.push_back({&p.enums[i].name, {SymbolKind::Enum, i}});
    for (uint32_t m = 0; m < p.enums[i].members.size(); ++m) {
      declarations.push_back({&p.enums[i].members[m], {SymbolKind::EnumMember, i, Field::None, m}});
    }
  }
  for (uint32_t i = 0; i < p.databases.size(); ++i) {
    declarations.push_back({&p.databases[i].name, {SymbolKind::Database, i}});
  }
  for (uint32_t i = 0; i < p.tables.size(); ++i) declarations.push_back({&p.tables[i].name, {SymbolKind::Table, i}});
  std::sort(declarations.begin(), declarations.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first->range.file, a.first->range.begin) < std::tie(b.first->range.file, b.first->range.begin);
  });
  for (const auto& [name, symbol] : declarations) declare(ctx, *name, symbol);
}

std::string_view symbol_kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Let: return "constant";
    case SymbolKind::Face: return "interface";
    case SymbolKind::Network: return "network";
    case SymbolKind::Dispatcher: return "dispatcher set";
    case SymbolKind::Builtin: return "built-in request field";
    case SymbolKind::Enum: return "enum";
    case SymbolKind::EnumMember: return "enum value";
    case SymbolKind::Table: return "table";
    case SymbolKind::Database: return "database";
    case SymbolKind::DialogVar: return "dialog variable";
    case SymbolKind::None: break;
  }
  return "name";
}

const SymbolEntry* SemaContext::resolve(std::string_view name, SymbolKind kind, SourceRange range) const {
  const SymbolEntry* entry = lookup(name);
  if (!entry) {
    report_unknown(symbol_kind_name(kind), name, range, kind);
    return nullptr;
  }
  if (entry->poisoned) return nullptr;
  if (entry->symbol.kind != kind) {
    auto& d = diags.report(DiagKind::TypeMismatch, range,
                           "`" + std::string(name) + "` is a " + std::string(symbol_kind_name(entry->symbol.kind)) +
                               ", not a " + std::string(symbol_kind_name(kind)));
    if (entry->declared_at.end != 0) d.labels.push_back({entry->declared_at, "declared here"});
    std::vector<std::string> candidates;
    for (const auto& [candidate, other] : symbols) {
      if (other.symbol.kind == kind) candidates.push_back(candidate);
    }
    if (auto s = closest_spelling(name, candidates)) d.hint = "did you mean `" + *s + "`?";
    return nullptr;
  }
  return entry;
}

const SymbolEntry* SemaContext::resolve_any(std::string_view name, SourceRange range) const {
  const SymbolEntry* entry = lookup(name);
  if (!entry) report_unknown("name", name, range);
  return entry && !entry->poisoned ? entry : nullptr;
}

const SymbolEntry* SemaContext::lookup(std::string_view name) const {
  auto it = symbols.find(name);
  if (it == symbols.end()) return nullptr;
  used.insert({it->second.symbol.kind, it->second.symbol.index});
  return &it->second;
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
