// See policy_print.h.
#include "ops/policy_print.h"

#include <string>

#include "transport/endpoint.h"

namespace sbc::ops {
namespace {

const char* transport_name(uint32_t t) { return t == SBC_TRANSPORT_TCP ? "tcp" : t == SBC_TRANSPORT_TLS ? "tls" : "udp"; }

std::string address(const sbc_ip& ip) { return transport::Endpoint::from_abi(ip, 0).host_text(); }

const char* pick_name(uint32_t pick) {
  switch (pick) {
    case SBC_PICK_ROUND_ROBIN: return "round_robin";
    case SBC_PICK_HASH_CALLID: return "hash_callid";
    case SBC_PICK_WEIGHT: return "weight";
    case SBC_PICK_PRIORITY: return "priority";
    default: return "random";
  }
}

}  // namespace

void print_policy(const sbc_policy& p, std::FILE* out) {
  std::fprintf(out, "sbc \"%s\"\npolicy %s\nsha256 %s\ncompiled by sbcc %s (runtime ABI %u)\n\n", p.identity,
               p.source_name, p.source_hash, p.compiler_version, p.abi_version);
  for (uint32_t f = 0; f < p.face_count; ++f) {
    const sbc_face& face = p.faces[f];
    std::fprintf(out, "interface %s\n", face.name);
    for (uint32_t l = 0; l < p.listener_count; ++l) {
      const sbc_listener& listener = p.listeners[l];
      if (listener.face != f) continue;
      std::fprintf(out, "    sip %s %s:%u", transport_name(listener.transport), address(listener.address).c_str(),
                   listener.port);
      if (listener.has_advertise) {
        std::fprintf(out, " advertise %s:%u", address(listener.advertise).c_str(), listener.advertise_port);
      }
      if (listener.tls_profile != SBC_DEFAULT) std::fprintf(out, " tls %s", p.tls_profiles[listener.tls_profile].name);
      std::fprintf(out, "\n");
    }
    if (face.has_rtp) {
      std::fprintf(out, "    rtp %s", address(face.rtp_address).c_str());
      if (face.has_rtp_advertise) std::fprintf(out, " advertise %s", address(face.rtp_advertise).c_str());
      std::fprintf(out, " ports %u..%u\n", face.rtp_port_min, face.rtp_port_max);
    }
  }
  for (uint32_t d = 0; d < p.dispatcher_count; ++d) {
    const sbc_dispatcher& set = p.dispatchers[d];
    std::fprintf(out, "\ndispatcher %s via %s %s, pick %s", set.name, p.faces[set.face].name,
                 transport_name(set.transport), pick_name(set.pick));
    if (set.probe.enabled) std::fprintf(out, ", probe %s every %u ms", set.probe.method, set.probe.interval_ms);
    std::fprintf(out, "\n");
    for (uint32_t i = 0; i < set.destination_count; ++i) {
      const sbc_destination& dest = set.destinations[i];
      std::fprintf(out, "    %s%s%s priority %d weight %d\n", dest.uri, dest.duid[0] ? " duid " : "", dest.duid,
                   dest.priority, dest.weight);
    }
  }
  for (uint32_t t = 0; t < p.table_count; ++t) {
    const sbc_table& table = p.tables[t];
    const sbc_database& db = p.databases[table.database];
    std::fprintf(out, "\ntable %s key %s, %u columns, in database %s (%s %s, refresh %u ms)\n", table.name,
                 table.key.name, table.column_count, db.name, db.engine == SBC_DB_MYSQL ? "mysql" : "sqlite",
                 db.location, db.refresh_ms);
  }
  std::fprintf(out, "\nlimits: tcp %u connections, %u s idle; tls %u connections, %u s idle; media timeout %s\n",
               p.limits.tcp_max_connections, p.limits.tcp_lifetime_s, p.limits.tls_max_connections,
               p.limits.tls_lifetime_s,
               p.limits.media_timeout_s ? (std::to_string(p.limits.media_timeout_s) + " s").c_str() : "none");
  if (p.http.enabled) {
    std::fprintf(out, "http %s:%u {", address(p.http.address).c_str(), p.http.port);
    for (uint32_t i = 0; i < p.http.endpoint_count; ++i) std::fprintf(out, "%s %s", i ? "," : "", p.http.endpoints[i]);
    std::fprintf(out, " }%s\n", p.http.token_source[0] ? " with a bearer token" : "");
  }
  std::fprintf(out, "handlers: requests %s, replies %s, failures %s\n", p.route_request ? "yes" : "no",
               p.route_reply ? "yes" : "no", p.route_failure ? "yes" : "no");
}

}  // namespace sbc::ops
