// State shared by the sema passes: the symbol table, evaluated constants and the
// model under construction. Internal to compiler/sema.
#pragma once

#include <map>
#include <set>
#include <string>

#include "basic/diagnostic_engine.h"
#include "sema/policy_model.h"
#include "sema/sema.h"
#include "syntax/ast.h"

namespace sbcc {

struct SymbolEntry {
  Symbol symbol;
  SourceRange declared_at;
  // Declared twice: the duplicate was reported, and uses of the name stay silent
  // rather than cascade into errors about the wrong declaration.
  bool poisoned = false;
};

std::string_view symbol_kind_name(SymbolKind kind);

struct SemaContext {
  ast::Policy& policy;
  DiagnosticEngine& diags;
  SemaOptions options;
  std::map<std::string, SymbolEntry, std::less<>> symbols;
  PolicyModel model;
  // Declarations some other part of the policy looked up (for unused-declaration).
  mutable std::set<std::pair<SymbolKind, uint32_t>> used;

  const SymbolEntry* lookup(std::string_view name) const;
  // Resolves `name` as a `kind` symbol. Reports an unknown name (with did-you-mean) or a
  // name of another kind, unless the name is poisoned. Null when it does not resolve.
  const SymbolEntry* resolve(std::string_view name, SymbolKind kind, SourceRange range) const;
  // Resolves a name of any kind; reports unknown names. Null when it does not resolve.
  const SymbolEntry* resolve_any(std::string_view name, SourceRange range) const;
  // Reports an unknown name with a did-you-mean hint drawn from the symbol table.
  // `only` restricts suggestions to one kind of symbol (SymbolKind::None: any).
  void report_unknown(std::string_view what, std::string_view name, SourceRange range,
                      SymbolKind only = SymbolKind::None) const;
};

// The passes, in the order analyze() runs them.
void declare_symbols(SemaContext& ctx);
void build_enums(SemaContext& ctx);
void evaluate_constants(SemaContext& ctx);
void build_tls_and_limits(SemaContext& ctx);
void build_faces(SemaContext& ctx);
void build_networks_and_aliases(SemaContext& ctx);
void build_dispatchers(SemaContext& ctx);
void build_data(SemaContext& ctx);
void check_handlers(SemaContext& ctx);
void check_usage(SemaContext& ctx);

// A path from the policy, absolute: relative ones are resolved against the folder of
// the file that names them (`where`).
std::string resolve_path(const SemaContext& ctx, const std::string& path, SourceRange where);
// Reports E0020 (a warning, or an error when the build requires the file) if `path`
// (resolved) is missing; the message shows the path as the policy wrote it.
void check_file_exists(SemaContext& ctx, const std::string& path, const std::string& as_written, SourceRange where,
                       std::string_view what);
// The type a type name in a column or dialog declaration stands for; reports unknown names.
Type resolve_type_name(SemaContext& ctx, const ast::Ident& name);

// Evaluates an expression that must be a compile-time constant (listener addresses,
// aliases, network members). Reports and returns a Type::Error value otherwise.
ConstValue evaluate_constant(SemaContext& ctx, const ast::Expr& expr);
// Evaluates and requires `expected`; reports a type mismatch otherwise.
std::optional<ConstValue> evaluate_as(SemaContext& ctx, const ast::Expr& expr, Type expected);

// The closest candidate by edit distance, if it is close enough to be a plausible typo.
std::optional<std::string> closest_spelling(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace sbcc
