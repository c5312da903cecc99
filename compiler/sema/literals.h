// Parsing of typed literals (addresses, CIDRs, transports, methods) shared by sema passes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sbcc {

struct IpAddress {
  uint8_t family = 4;  // 4 or 6
  std::array<uint8_t, 16> bytes{};
  std::string text;  // canonical text form

  bool operator==(const IpAddress& other) const { return family == other.family && bytes == other.bytes; }
};

struct Cidr {
  IpAddress network;
  uint8_t prefix = 0;
};

enum class Transport : uint8_t { Udp = 0, Tcp = 1, Tls = 2 };

std::optional<IpAddress> parse_ip(std::string_view text);
std::optional<Cidr> parse_cidr(std::string_view text);
std::optional<Transport> parse_transport(std::string_view text);
std::string_view transport_name(Transport transport);
// Index of a SIP method in the runtime's method enumeration (SBC_METHOD_*), if known.
std::optional<uint32_t> sip_method_index(std::string_view method);
bool cidr_contains(const Cidr& cidr, const IpAddress& address);
// The host part of sip:[user@]host[:port][;params]; IPv6 keeps its brackets.
std::string_view uri_host(std::string_view uri);

}  // namespace sbcc
