// See literals.h. Address text goes through inet_pton/inet_ntop so that every form
// the runtime accepts is accepted here, and nothing else.
#include "sema/literals.h"

#include <arpa/inet.h>

#include <charconv>

namespace sbcc {

std::optional<IpAddress> parse_ip(std::string_view text) {
  std::string s(text);
  IpAddress addr;
  char canonical[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, s.c_str(), addr.bytes.data()) == 1) {
    addr.family = 4;
    inet_ntop(AF_INET, addr.bytes.data(), canonical, sizeof canonical);
  } else if (inet_pton(AF_INET6, s.c_str(), addr.bytes.data()) == 1) {
    addr.family = 6;
    inet_ntop(AF_INET6, addr.bytes.data(), canonical, sizeof canonical);
  } else {
    return std::nullopt;
  }
  addr.text = canonical;
  return addr;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = parse_ip(text.substr(0, slash));
  std::string_view bits = text.substr(slash + 1);
  unsigned prefix = 0;
  auto result = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (!addr || result.ec != std::errc() || result.ptr != bits.data() + bits.size()) return std::nullopt;
  if (prefix > (addr->family == 4 ? 32u : 128u)) return std::nullopt;
  return Cidr{*addr, static_cast<uint8_t>(prefix)};
}

std::optional<Transport> parse_transport(std::string_view text) {
  if (text == "udp") return Transport::Udp;
  if (text == "tcp") return Transport::Tcp;
  if (text == "tls") return Transport::Tls;
  return std::nullopt;
}

std::string_view transport_name(Transport transport) {
  switch (transport) {
    case Transport::Udp: return "udp";
    case Transport::Tcp: return "tcp";
    case Transport::Tls: return "tls";
  }
  return "udp";
}

std::optional<uint32_t> sip_method_index(std::string_view method) {
  // Order matches SBC_METHOD_* in runtime/include/sbc/abi.h.
  static constexpr std::string_view methods[] = {"INVITE", "ACK",    "BYE",    "CANCEL",    "OPTIONS",
                                                 "REGISTER", "UPDATE", "PRACK", "INFO",      "REFER",
                                                 "MESSAGE", "NOTIFY", "SUBSCRIBE", "PUBLISH"};
  for (uint32_t i = 0; i < std::size(methods); ++i) {
    if (methods[i] == method) return i;
  }
  return std::nullopt;
}

bool cidr_contains(const Cidr& cidr, const IpAddress& address) {
  if (cidr.network.family != address.family) return false;
  unsigned full_bytes = cidr.prefix / 8;
  for (unsigned i = 0; i < full_bytes; ++i) {
    if (cidr.network.bytes[i] != address.bytes[i]) return false;
  }
  unsigned rest = cidr.prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (cidr.network.bytes[full_bytes] & mask) == (address.bytes[full_bytes] & mask);
}

std::string_view uri_host(std::string_view uri) {
  uri.remove_prefix(uri.find(':') + 1);
  if (size_t at = uri.find('@'); at != std::string_view::npos) uri.remove_prefix(at + 1);
  if (uri.starts_with("[")) return uri.substr(0, uri.find(']') + 1);
  return uri.substr(0, uri.find_first_of(":;?"));
}

}  // namespace sbcc
