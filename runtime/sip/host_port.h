// The host[:port] piece shared by SIP URIs and Via sent-by, including
// bracketed IPv6 references ("[2001:db8::1]:5060").
#pragma once

#include <cstdint>
#include <string_view>

namespace sbc::sip {

struct HostPort {
  std::string_view host;       // IPv6 without the brackets
  std::string_view port_text;  // "" when absent
  uint16_t port = 0;           // 0 = absent
  bool is_ipv6 = false;
};

// `text` must be exactly a hostport; blanks are allowed only around the ':'
// (Via's SWS COLON SWS). Ports must be 1..65535.
bool parse_host_port(std::string_view text, HostPort& out);

}  // namespace sbc::sip
