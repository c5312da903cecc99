// Zero-copy SIP/SIPS/TEL URI parsing (RFC 3261 §19.1, RFC 3966) and URI
// parameter lookup. All fields view into the parsed text; escapes are kept.
#pragma once

#include <cstdint>
#include <string_view>

namespace sbc::sip {

struct Uri {
  std::string_view scheme;     // "sip", "sips" or "tel", as written
  std::string_view user;       // still %-escaped; for tel: the number
  std::string_view password;
  std::string_view host;       // IPv6 without [] ; empty for tel
  std::string_view port_text;
  uint16_t port = 0;           // 0 = absent
  std::string_view params;     // after the first ';' up to '?' (no leading ';')
  std::string_view headers;    // after '?'
  bool host_is_ipv6 = false;
};

// False for other schemes, blanks/controls/'<' '>' '"' anywhere, an empty user
// before '@', a bad host or a port outside 1..65535.
bool parse_uri(std::string_view text, Uri& out);

// Case-insensitive param lookup in Uri::params: "lr", "transport=udp", "r2=on".
std::string_view uri_param(std::string_view params, std::string_view name,
                           bool* present = nullptr);

}  // namespace sbc::sip
