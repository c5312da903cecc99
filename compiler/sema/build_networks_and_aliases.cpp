// Pass 4: named networks (CIDR lists, or other networks by name) and the aliases that
// `is myself` accepts besides the SBC's own listener addresses.
#include "sema/sema_context.h"

namespace sbcc {
namespace {

void add_member(SemaContext& ctx, NetworkModel& network, const ast::Expr& member) {
  // A member may name an earlier network (`networks inside = rfc1918, 100.64.0.0/10`).
  if (member.kind == ast::ExprKind::Name) {
    const SymbolEntry* entry = ctx.lookup(member.text);
    if (entry && entry->poisoned) return;
    if (entry && entry->symbol.kind == SymbolKind::Network) {
      if (entry->symbol.index < ctx.model.networks.size()) {
        const auto& other = ctx.model.networks[entry->symbol.index].cidrs;
        network.cidrs.insert(network.cidrs.end(), other.begin(), other.end());
      } else {
        auto& d = ctx.diags.report(DiagKind::UnknownName, member.range,
                                   "network `" + member.text + "` is used before it is declared");
        d.hint = "declare `" + member.text + "` above this line";
      }
      return;
    }
  }
  ConstValue value = evaluate_constant(ctx, member);
  if (value.type == Type::Cidr) {
    network.cidrs.push_back(std::get<Cidr>(value.value));
  } else if (value.type == Type::Address) {
    const auto& addr = std::get<IpAddress>(value.value);
    network.cidrs.push_back(Cidr{addr, static_cast<uint8_t>(addr.family == 4 ? 32 : 128)});
  } else if (value.type != Type::Error) {
    auto& d = ctx.diags.report(DiagKind::TypeMismatch, member.range,
                               "expected cidr or address, found " + ctx.model.describe(value.type));
    d.hint = "network members are CIDR blocks such as 10.0.0.0/8, addresses, or other networks";
  }
}

}  // namespace

void build_networks_and_aliases(SemaContext& ctx) {
  for (const auto& decl : ctx.policy.networks) {
    NetworkModel network{decl.name.text, {}};
    for (const auto& member : decl.members) add_member(ctx, network, *member);
    ctx.model.networks.push_back(std::move(network));
  }
  for (const auto& decl : ctx.policy.aliases) {
    for (const auto& value : decl.values) {
      ConstValue v = evaluate_constant(ctx, *value);
      if (v.type == Type::String) {
        ctx.model.aliases.push_back(std::get<std::string>(v.value));
      } else if (v.type == Type::Address) {
        ctx.model.aliases.push_back(std::get<IpAddress>(v.value).text);
      } else if (v.type != Type::Error) {
        auto& d = ctx.diags.report(DiagKind::TypeMismatch, value->range,
                                   "expected a host name or address, found " + ctx.model.describe(v.type));
        d.hint = "aliases are host names in quotes or IP addresses";
      }
    }
  }
}

}  // namespace sbcc
