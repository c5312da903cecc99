// Pass 3: interfaces -> faces and listeners. Checks transports, ports, clashing
// listeners and RTP port ranges.
#include <map>
#include <tuple>

#include "sema/sema_context.h"

namespace sbcc {
namespace {

std::optional<uint16_t> checked_port(SemaContext& ctx, const ast::HostPort& hp, uint16_t fallback) {
  if (!hp.port) return fallback;
  if (*hp.port == 0 || *hp.port > 65535) {
    auto& d = ctx.diags.report(DiagKind::InvalidLiteral, hp.port_range, "port " + std::to_string(*hp.port) + " is out of range");
    d.hint = "ports are 1..65535";
    return std::nullopt;
  }
  return static_cast<uint16_t>(*hp.port);
}

uint16_t default_port(Transport t) { return t == Transport::Tls ? 5061 : 5060; }

std::optional<IpAddress> address_of(SemaContext& ctx, const ast::Expr& expr) {
  auto value = evaluate_as(ctx, expr, Type::Address);
  if (!value) return std::nullopt;
  return std::get<IpAddress>(value->value);
}

// TCP and TLS share the kernel's TCP port space, so they clash with each other.
int port_space(Transport t) { return t == Transport::Udp ? 0 : 1; }

struct ListenerKey {
  int space;
  std::array<uint8_t, 16> address;
  uint16_t port;
  auto operator<=>(const ListenerKey&) const = default;
};

// A TLS listener serves with a server profile: the one it names, else `default`.
bool attach_tls_profile(SemaContext& ctx, ListenerModel& listener, const ast::SipListenerDecl& decl) {
  if (listener.transport != Transport::Tls) {
    if (decl.tls_profile) {
      auto& d = ctx.diags.report(DiagKind::TypeMismatch, decl.tls_profile->range,
                                 "only a `sip tls` listener takes a TLS profile");
      d.hint = "remove `tls " + decl.tls_profile->text + "`";
      return false;
    }
    return true;
  }
  std::string wanted = decl.tls_profile ? decl.tls_profile->text : "default";
  for (uint32_t i = 0; i < ctx.model.tls.size(); ++i) {
    if (ctx.model.tls[i].server && ctx.model.tls[i].name == wanted) {
      listener.tls_profile = i;
      return true;
    }
  }
  SourceRange where = decl.tls_profile ? decl.tls_profile->range : decl.transport.range;
  auto& d = ctx.diags.report(DiagKind::TlsWithoutProfile, where,
                             decl.tls_profile ? "no TLS server profile is called `" + wanted + "`"
                                              : "TLS listener without a TLS server profile");
  d.hint = "declare `tls server { certificate \"…\" key \"…\" }` (the default profile) or name one with `tls NAME`";
  return false;
}

void build_listener(SemaContext& ctx, uint32_t face_index, const ast::SipListenerDecl& decl,
                    std::map<ListenerKey, SourceRange>& bound) {
  auto transport = parse_transport(decl.transport.text);
  if (!transport) {
    auto& d = ctx.diags.report(DiagKind::UnknownTransport, decl.transport.range,
                               "unknown transport `" + decl.transport.text + "`");
    d.hint = "use `udp`, `tcp` or `tls`";
    return;
  }
  auto address = address_of(ctx, *decl.bind.host);
  auto port = checked_port(ctx, decl.bind, default_port(*transport));
  if (!address || !port) return;

  ListenerModel listener;
  listener.face = face_index;
  listener.transport = *transport;
  listener.address = *address;
  listener.port = *port;
  listener.name = decl.name ? decl.name->text
                            : ctx.policy.interfaces[face_index].name.text + "." + std::string(transport_name(*transport));
  if (decl.advertise) {
    listener.advertise = address_of(ctx, *decl.advertise->host);
    auto adv_port = checked_port(ctx, *decl.advertise, *port);
    if (!listener.advertise || !adv_port) return;
    listener.advertise_port = *adv_port;
  }

  if (!attach_tls_profile(ctx, listener, decl)) return;

  ListenerKey key{port_space(*transport), address->bytes, *port};
  auto [it, inserted] = bound.emplace(key, decl.range);
  if (!inserted) {
    auto& d = ctx.diags.report(DiagKind::DuplicateListener, decl.range,
                               "listener " + std::string(transport_name(*transport)) + " " + address->text + ":" +
                                   std::to_string(*port) + " clashes with an earlier listener");
    d.labels.push_back({it->second, "the earlier listener binds the same address and port"});
    d.hint = "give one of them another port";
    return;
  }
  ctx.model.listeners.push_back(std::move(listener));
}

void build_rtp(SemaContext& ctx, FaceModel& face, const ast::RtpRangeDecl& decl) {
  face.rtp_address = address_of(ctx, *decl.address);
  if (decl.advertise) face.rtp_advertise = address_of(ctx, *decl.advertise);
  if (decl.port_min < 1024 || decl.port_max > 65535 || decl.port_min >= decl.port_max) {
    auto& d = ctx.diags.report(DiagKind::InvalidPortRange, decl.ports_range,
                               "RTP port range " + std::to_string(decl.port_min) + ".." +
                                   std::to_string(decl.port_max) + " is not usable");
    d.hint = "use an ascending range inside 1024..65535, such as 30000..40000";
    return;
  }
  face.rtp_port_min = static_cast<uint16_t>(decl.port_min);
  face.rtp_port_max = static_cast<uint16_t>(decl.port_max);
}

// Two faces handing out ports from one address must not share any port.
void check_rtp_overlaps(SemaContext& ctx) {
  const auto& faces = ctx.model.faces;
  for (uint32_t a = 0; a < faces.size(); ++a) {
    for (uint32_t b = a + 1; b < faces.size(); ++b) {
      if (!faces[a].rtp_address || !faces[b].rtp_address || faces[a].rtp_port_max == 0 || faces[b].rtp_port_max == 0) {
        continue;
      }
      if (!(*faces[a].rtp_address == *faces[b].rtp_address)) continue;
      if (faces[a].rtp_port_max < faces[b].rtp_port_min || faces[b].rtp_port_max < faces[a].rtp_port_min) continue;
      const auto& decl_a = ctx.policy.interfaces[a].rtp.back();
      const auto& decl_b = ctx.policy.interfaces[b].rtp.back();
      auto& d = ctx.diags.report(DiagKind::OverlappingRtpRanges, decl_b.ports_range,
                                 "RTP ports of `" + faces[b].name + "` overlap those of `" + faces[a].name + "` on " +
                                     faces[a].rtp_address->text);
      d.labels.push_back({decl_a.ports_range, "`" + faces[a].name + "` allocates from here"});
      d.hint = "split the range between the faces, e.g. 30000..34999 and 35000..39999";
    }
  }
}

}  // namespace

void build_faces(SemaContext& ctx) {
  std::map<ListenerKey, SourceRange> bound;
  for (uint32_t i = 0; i < ctx.policy.interfaces.size(); ++i) {
    const auto& decl = ctx.policy.interfaces[i];
    FaceModel face;
    face.name = decl.name.text;
    for (const auto& rtp : decl.rtp) build_rtp(ctx, face, rtp);
    ctx.model.faces.push_back(std::move(face));
    for (const auto& listener : decl.listeners) build_listener(ctx, i, listener, bound);
  }
  check_rtp_overlaps(ctx);
  if (ctx.policy.interfaces.empty()) {
    auto& d = ctx.diags.report(DiagKind::NoFaces, SourceRange{ctx.policy.file, 0, 0}, "the policy declares no interface");
    d.hint = "declare at least one `interface NAME { sip udp ADDRESS:PORT }`";
  }
}

}  // namespace sbcc
