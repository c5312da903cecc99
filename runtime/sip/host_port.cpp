// hostport parsing: hostname / IPv4 / [IPv6] with an optional port.
#include "sip/host_port.h"

#include "sip/ascii.h"

namespace sbc::sip {

namespace {

// Hostnames and IPv4 dotted quads share this alphabet; '_' is tolerated because
// real deployments use it even though RFC 1035 does not.
bool is_plain_host(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!is_alnum(c) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

bool is_ipv6_reference_body(std::string_view body) {
  if (body.find(':') == std::string_view::npos) return false;
  for (char c : body) {
    if (!is_hex_digit(c) && c != ':' && c != '.') return false;
  }
  return true;
}

bool parse_port(std::string_view text, HostPort& out) {
  uint64_t value = 0;
  if (!parse_decimal(text, 65535, value) || value == 0) return false;
  out.port_text = text;
  out.port = static_cast<uint16_t>(value);
  return true;
}

// Whatever follows the host must be nothing or ':' port.
bool parse_port_suffix(std::string_view suffix, HostPort& out) {
  suffix = trim_lws(suffix);
  if (suffix.empty()) return true;
  if (suffix.front() != ':') return false;
  return parse_port(trim_lws(suffix.substr(1)), out);
}

}  // namespace

bool parse_host_port(std::string_view text, HostPort& out) {
  out = HostPort{};
  text = trim_lws(text);
  if (text.empty()) return false;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    out.host = text.substr(1, close - 1);
    out.is_ipv6 = true;
    if (!is_ipv6_reference_body(out.host)) return false;
    return parse_port_suffix(text.substr(close + 1), out);
  }
  const size_t colon = text.find(':');
  out.host = trim_lws(text.substr(0, colon));
  if (!is_plain_host(out.host)) return false;
  return colon == std::string_view::npos || parse_port_suffix(text.substr(colon), out);
}

}  // namespace sbc::sip
