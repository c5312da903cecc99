// See endpoint.h.
#include "transport/endpoint.h"

#include <arpa/inet.h>

#include <cstring>

namespace sbc::transport {

Endpoint Endpoint::from_sockaddr(const sockaddr* addr, socklen_t len) {
  Endpoint e;
  std::memcpy(&e.storage_, addr, std::min<size_t>(len, sizeof e.storage_));
  e.len_ = len;
  return e;
}

Endpoint Endpoint::from_abi(const sbc_ip& ip, uint16_t port) {
  Endpoint e;
  if (ip.family == 6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&e.storage_);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, ip.bytes, 16);
    e.len_ = sizeof(sockaddr_in6);
  } else {
    auto* sin = reinterpret_cast<sockaddr_in*>(&e.storage_);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, ip.bytes, 4);
    e.len_ = sizeof(sockaddr_in);
  }
  return e;
}

std::optional<Endpoint> Endpoint::parse(std::string_view host, uint16_t port) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  char text[INET6_ADDRSTRLEN + 1];
  if (host.empty() || host.size() >= sizeof text) return std::nullopt;
  std::memcpy(text, host.data(), host.size());
  text[host.size()] = '\0';
  sbc_ip ip{};
  if (inet_pton(AF_INET, text, ip.bytes) == 1) {
    ip.family = 4;
  } else if (inet_pton(AF_INET6, text, ip.bytes) == 1) {
    ip.family = 6;
  } else {
    return std::nullopt;
  }
  return from_abi(ip, port);
}

uint16_t Endpoint::port() const {
  if (is_ipv6()) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
}

sbc_ip Endpoint::ip() const {
  sbc_ip ip{};
  if (is_ipv6()) {
    ip.family = 6;
    std::memcpy(ip.bytes, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, 16);
  } else {
    ip.family = 4;
    std::memcpy(ip.bytes, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, 4);
  }
  return ip;
}

std::string Endpoint::host_text() const {
  char text[INET6_ADDRSTRLEN];
  sbc_ip address = ip();
  inet_ntop(is_ipv6() ? AF_INET6 : AF_INET, address.bytes, text, sizeof text);
  return text;
}

std::string Endpoint::to_string() const {
  std::string out;
  if (is_ipv6()) out.push_back('[');
  out.append(host_text());
  if (is_ipv6()) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(port()));
  return out;
}

bool Endpoint::same_address(const Endpoint& other) const {
  sbc_ip a = ip();
  sbc_ip b = other.ip();
  return a.family == b.family && std::memcmp(a.bytes, b.bytes, 16) == 0;
}

bool Endpoint::is_private() const {
  sbc_ip address = ip();
  const uint8_t* b = address.bytes;
  if (address.family == 6) return (b[0] & 0xfe) == 0xfc;
  return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
         (b[0] == 100 && (b[1] & 0xc0) == 64);
}

bool Endpoint::operator==(const Endpoint& other) const { return same_address(other) && port() == other.port(); }

size_t Endpoint::hash() const {
  sbc_ip address = ip();
  size_t h = 1469598103934665603ull;
  for (uint8_t b : address.bytes) h = (h ^ b) * 1099511628211ull;
  return (h ^ port()) * 1099511628211ull;
}

}  // namespace sbc::transport
