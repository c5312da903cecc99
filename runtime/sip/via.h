// One Via value (RFC 3261 §20.42): sent-protocol, sent-by and the params a
// proxy needs (branch, received, rport per RFC 3581).
#pragma once

#include <cstdint>
#include <string_view>

namespace sbc::sip {

struct Via {
  std::string_view protocol;   // "SIP/2.0/UDP" as written (may contain LWS around '/')
  std::string_view transport;  // "UDP", "TCP", "TLS", "WS", ...
  std::string_view host;       // IPv6 without []
  std::string_view port_text;
  std::string_view params;     // everything after the first ';' (no leading ';')
  std::string_view branch;
  std::string_view received;
  uint16_t port = 0;           // 0 = absent
  bool has_rport = false;
  uint16_t rport = 0;          // 0 when "rport" carries no value
  bool host_is_ipv6 = false;
};

// `text` is a single Via value (split multi-value headers with
// next_header_value first). Tolerates LWS around '/', ':', ';' and '='.
bool parse_via(std::string_view text, Via& out);

}  // namespace sbc::sip
