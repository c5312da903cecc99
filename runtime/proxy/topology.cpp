// See topology.h.
#include "proxy/topology.h"

#include "sip/name_addr.h"

namespace sbc::proxy {
namespace {

constexpr std::string_view kPrefix = "sbc-";
constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string encode_contact_uri(std::string_view original, std::string_view hostport_and_params) {
  std::string out = "sip:";
  out.reserve(8 + original.size() * 2 + hostport_and_params.size());
  out += kPrefix;
  for (unsigned char c : original) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  out += '@';
  out.append(hostport_and_params);
  return out;
}

std::optional<std::string> decode_contact_uri(const sip::Uri& uri) {
  std::string_view user = uri.user;
  if (!user.starts_with(kPrefix) || (user.size() - kPrefix.size()) % 2 != 0) return std::nullopt;
  user.remove_prefix(kPrefix.size());
  std::string original;
  original.reserve(user.size() / 2);
  for (size_t i = 0; i < user.size(); i += 2) {
    int high = hex_value(user[i]);
    int low = hex_value(user[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    original += static_cast<char>(high * 16 + low);
  }
  return original;
}

bool first_contact(const sip::Message& msg, sip::NameAddr& out) {
  const sip::HeaderField* field = msg.first(sip::HeaderId::Contact);
  if (!field) return false;
  std::string_view rest = field->value;
  std::string_view value;
  return sip::next_header_value(rest, value) && sip::parse_name_addr(value, out);
}

std::string with_host_port(std::string_view uri_text, const sip::Uri& uri, std::string_view hostport) {
  // host and port_text are views into uri_text: splice around them.
  const char* begin = uri.host.data() - (uri.host_is_ipv6 ? 1 : 0);
  const char* end = uri.port_text.empty() ? uri.host.data() + uri.host.size() + (uri.host_is_ipv6 ? 1 : 0)
                                          : uri.port_text.data() + uri.port_text.size();
  std::string out(uri_text.substr(0, static_cast<size_t>(begin - uri_text.data())));
  out.append(hostport);
  out.append(uri_text.substr(static_cast<size_t>(end - uri_text.data())));
  return out;
}

void append_encoded_contact(std::string& out, const sip::HeaderField& field, std::string_view hostport_and_params,
                            std::string_view nat_hostport) {
  out.append(field.name);
  out += ": ";
  std::string_view rest = field.value;
  std::string_view value;
  bool first = true;
  while (sip::next_header_value(rest, value)) {
    if (!first) out += ", ";
    first = false;
    sip::NameAddr contact;
    if (value == "*" || !sip::parse_name_addr(value, contact)) {
      out.append(value);
      continue;
    }
    if (!contact.display.empty()) {
      out += '"';
      out.append(contact.display);
      out += "\" ";
    }
    out += '<';
    out += nat_hostport.empty()
               ? encode_contact_uri(contact.uri_text, hostport_and_params)
               : encode_contact_uri(with_host_port(contact.uri_text, contact.uri, nat_hostport), hostport_and_params);
    out += '>';
    if (!contact.params.empty()) {
      out += ';';
      out.append(contact.params);
    }
  }
  out += "\r\n";
}

std::string via_lines(const sip::Message& request) {
  std::string out;
  for (const auto& field : request.headers()) {
    if (field.id == sip::HeaderId::Via) out.append(field.raw_line);
  }
  return out;
}

}  // namespace sbc::proxy
