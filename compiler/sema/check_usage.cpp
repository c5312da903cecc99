// Pass: lint over the whole policy once everything is resolved: declarations nothing
// uses, advertised addresses on faces that only talk to private networks, and probes
// whose From does not name this SBC.
#include "sema/sema_context.h"

namespace sbcc {
namespace {

// Private, loopback and shared address space: never reachable from the internet.
bool is_private(const IpAddress& address) {
  static const char* blocks[] = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
                                 "100.64.0.0/10", "fc00::/7", "::1/128"};
  for (const char* block : blocks) {
    if (cidr_contains(*parse_cidr(block), address)) return true;
  }
  return false;
}

void collect_faces(const ast::Expr& e, std::set<uint32_t>& faces) {
  if (e.kind == ast::ExprKind::Name && e.symbol.kind == SymbolKind::Face) faces.insert(e.symbol.index);
  for (const auto& op : e.operands) collect_faces(*op, faces);
}

void collect_faces(const ast::Block& block, std::set<uint32_t>& faces) {
  for (const auto& stmt : block) {
    for (const ast::Expr* e : {stmt->condition.get(), stmt->media_from.get(), stmt->media_to.get(),
                               stmt->via_face.get(), stmt->value.get()}) {
      if (e) collect_faces(*e, faces);
    }
    collect_faces(stmt->then_block, faces);
    collect_faces(stmt->else_block, faces);
  }
}

void check_advertise(SemaContext& ctx) {
  std::set<uint32_t> named_in_routes;
  for (const auto& h : ctx.policy.handlers) collect_faces(h.body, named_in_routes);
  for (uint32_t f = 0; f < ctx.model.faces.size(); ++f) {
    const ListenerModel* advertising = nullptr;
    for (const auto& l : ctx.model.listeners) {
      if (l.face == f && l.advertise) advertising = &l;
    }
    if (!advertising || named_in_routes.count(f)) continue;
    bool reaches_private_only = false;
    for (const auto& set : ctx.model.dispatchers) {
      if (set.face != f) continue;
      reaches_private_only = true;
      for (const auto& d : set.destinations) {
        std::string_view host = uri_host(d.uri);
        if (host.starts_with("[")) host = host.substr(1, host.size() - 2);
        auto address = parse_ip(host);
        reaches_private_only = reaches_private_only && address && is_private(*address);
      }
    }
    if (!reaches_private_only) continue;
    const auto& face = ctx.policy.interfaces[f];
    auto& d = ctx.diags.report(DiagKind::AdvertiseUnused, face.name.range,
                               "face `" + face.name.text + "` advertises " + advertising->advertise->text +
                                   " but only sends to private destinations");
    d.hint = "advertise the public address on the face toward the internet, and drop it here";
  }
}

bool names_this_sbc(const SemaContext& ctx, std::string_view host) {
  if (host.starts_with("[")) host = host.substr(1, host.size() - 2);
  // A bare word names a constant; when it did not resolve, that was reported already.
  if (host.find('.') == std::string_view::npos && host.find(':') == std::string_view::npos) return true;
  for (const auto& alias : ctx.model.aliases) {
    if (alias == host) return true;
  }
  auto address = parse_ip(host);
  if (!address) return false;
  for (const auto& l : ctx.model.listeners) {
    if (l.address == *address || (l.advertise && *l.advertise == *address)) return true;
  }
  return false;
}

void check_probe_from(SemaContext& ctx) {
  for (uint32_t i = 0; i < ctx.model.dispatchers.size(); ++i) {
    const auto& set = ctx.model.dispatchers[i];
    if (!set.probe || names_this_sbc(ctx, uri_host(set.probe->from_uri))) continue;
    const auto& decl = *ctx.policy.dispatchers[i].probe;
    auto& d = ctx.diags.report(DiagKind::ProbeFromNotLocal, decl.from.range,
                               "probes of `" + set.name + "` are sent from " + set.probe->from_uri +
                                   ", which is not an address of this SBC");
    d.hint = "probe from one of the SBC's own addresses, e.g. `from sip:internal_ip`";
  }
}

template <typename Decls>
void report_unused(SemaContext& ctx, const Decls& decls, SymbolKind kind, std::string_view what) {
  for (uint32_t i = 0; i < decls.size(); ++i) {
    const ast::Ident& name = decls[i].name;
    if (ctx.options.sources->path(name.range.file) == "<prelude>") continue;
    const SymbolEntry* entry = ctx.symbols.count(name.text) ? &ctx.symbols.at(name.text) : nullptr;
    if (!entry || entry->poisoned || entry->symbol.kind != kind || entry->symbol.index != i) continue;
    if (ctx.used.count({kind, i})) continue;
    auto& d = ctx.diags.report(DiagKind::UnusedDeclaration, name.range,
                               std::string(what) + " `" + name.text + "` is never used");
    d.hint = "remove it, or use it in a route";
  }
}

}  // namespace

void check_usage(SemaContext& ctx) {
  check_advertise(ctx);
  check_probe_from(ctx);
  if (!ctx.options.sources) return;  // without file names the prelude cannot be told apart
  // With errors, a declaration may look unused only because its use failed to resolve.
  if (ctx.diags.error_count() > 0) return;
  report_unused(ctx, ctx.policy.lets, SymbolKind::Let, "constant");
  report_unused(ctx, ctx.policy.networks, SymbolKind::Network, "network");
  report_unused(ctx, ctx.policy.dispatchers, SymbolKind::Dispatcher, "dispatcher set");
  report_unused(ctx, ctx.policy.tables, SymbolKind::Table, "table");
  report_unused(ctx, ctx.policy.databases, SymbolKind::Database, "database");
}

}  // namespace sbcc
