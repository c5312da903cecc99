// SIP/SIPS/TEL URI parser.
#include "sip/uri.h"

#include "sip/ascii.h"
#include "sip/host_port.h"
#include "sip/param_list.h"

namespace sbc::sip {

namespace {

// Bytes that can never appear raw in a URI; rejecting them up front means the
// component scanners below never have to think about blanks or delimiters.
bool has_forbidden_byte(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == '"') return true;
  }
  return false;
}

// Splits "main;params?headers" into its three parts.
void split_params_and_headers(std::string_view text, std::string_view& main, Uri& out) {
  const size_t question = text.find('?');
  if (question != std::string_view::npos) {
    out.headers = text.substr(question + 1);
    text = text.substr(0, question);
  }
  const size_t semicolon = text.find(';');
  if (semicolon != std::string_view::npos) {
    out.params = text.substr(semicolon + 1);
    text = text.substr(0, semicolon);
  }
  main = text;
}

bool parse_tel(std::string_view rest, Uri& out) {
  std::string_view number;
  split_params_and_headers(rest, number, out);
  out.user = number;
  return !number.empty();
}

bool parse_userinfo(std::string_view userinfo, Uri& out) {
  const size_t colon = userinfo.find(':');
  out.user = userinfo.substr(0, colon);
  if (colon != std::string_view::npos) out.password = userinfo.substr(colon + 1);
  return !out.user.empty();
}

bool parse_sip(std::string_view rest, Uri& out) {
  // '@' is not allowed unescaped in params or headers, so the first one ends the
  // userinfo, which itself may legally contain ';' and '?' (RFC 3261 user-unreserved).
  const size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    if (!parse_userinfo(rest.substr(0, at), out)) return false;
    rest.remove_prefix(at + 1);
  }
  std::string_view host_port_text;
  split_params_and_headers(rest, host_port_text, out);
  HostPort host_port;
  if (!parse_host_port(host_port_text, host_port)) return false;
  out.host = host_port.host;
  out.port_text = host_port.port_text;
  out.port = host_port.port;
  out.host_is_ipv6 = host_port.is_ipv6;
  return true;
}

}  // namespace

bool parse_uri(std::string_view text, Uri& out) {
  out = Uri{};
  if (text.empty() || has_forbidden_byte(text)) return false;
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  out.scheme = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  if (iequals(out.scheme, "sip") || iequals(out.scheme, "sips")) return parse_sip(rest, out);
  if (iequals(out.scheme, "tel")) return parse_tel(rest, out);
  return false;
}

std::string_view uri_param(std::string_view params, std::string_view name, bool* present) {
  return find_param(params, name, present);
}

}  // namespace sbc::sip
