// See route_set.h.
#include "proxy/route_set.h"

#include "proxy/local_addresses.h"
#include "sip/ascii.h"

namespace sbc::proxy {

uint32_t uri_transport(const sip::Uri& uri) {
  std::string_view t = sip::uri_param(uri.params, "transport");
  if (sip::iequals(t, "tcp")) return SBC_TRANSPORT_TCP;
  if (sip::iequals(t, "tls") || uri.scheme == "sips") return SBC_TRANSPORT_TLS;
  return SBC_TRANSPORT_UDP;
}

RouteInspection inspect_routes(const sip::Message& request, const LocalAddresses& local) {
  RouteInspection result;
  for (const auto& field : request.headers()) {
    if (field.id != sip::HeaderId::Route) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (sip::next_header_value(rest, value)) {
      sip::NameAddr entry;
      if (!sip::parse_name_addr(value, entry)) return result;  // unparsable: stop, route by what we have
      if (!local.is_myself(entry.uri.host, entry.uri.port)) {
        result.has_next = true;
        result.next = entry;
        return result;
      }
      ++result.own_entries;
      if (const Listener* l = local.listener_named_by(entry.uri.host, entry.uri.port, uri_transport(entry.uri))) {
        result.outbound = l;
      }
    }
  }
  return result;
}

}  // namespace sbc::proxy
