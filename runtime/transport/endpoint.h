// A transport address (IPv4 or IPv6 plus port), cheap to copy, hash and compare.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sbc/abi.h"

namespace sbc::transport {

class Endpoint {
 public:
  Endpoint() = default;
  static Endpoint from_sockaddr(const sockaddr* addr, socklen_t len);
  static Endpoint from_abi(const sbc_ip& ip, uint16_t port);
  // Parses a numeric host ("192.0.2.1", "2001:db8::1" or "[2001:db8::1]") and a port.
  static std::optional<Endpoint> parse(std::string_view host, uint16_t port);

  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t sockaddr_len() const { return len_; }
  bool is_ipv6() const { return storage_.ss_family == AF_INET6; }
  uint16_t port() const;
  sbc_ip ip() const;
  // "192.0.2.1" or "2001:db8::1" (no brackets).
  std::string host_text() const;
  // "192.0.2.1:5060" or "[2001:db8::1]:5060", as written in Via and URIs.
  std::string to_string() const;
  bool same_address(const Endpoint& other) const;  // ignores the port
  // A private address (RFC 1918, RFC 6598 shared space, RFC 4193 unique local): one a
  // device behind NAT may announce but nobody outside can reach.
  bool is_private() const;
  bool operator==(const Endpoint& other) const;
  size_t hash() const;

 private:
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

}  // namespace sbc::transport

template <>
struct std::hash<sbc::transport::Endpoint> {
  size_t operator()(const sbc::transport::Endpoint& e) const { return e.hash(); }
};
