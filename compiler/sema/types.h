// The types of policy values and what a resolved name refers to.
#pragma once

#include <cstdint>
#include <string_view>

namespace sbcc {

enum class Type : uint8_t {
  Error,       // already reported; suppresses follow-on diagnostics
  Bool,
  String,
  Int,
  Address,     // IPv4 or IPv6 address
  Cidr,
  Uri,
  Duration,
  Face,
  Network,
  Dispatcher,
  Endpoint,    // `source`: an address and a port
  RequestUri,  // `ruri`: a SIP URI of the request being routed
  Party,       // `from`, `to`: a name-addr with a URI
};

std::string_view type_name(Type type);

enum class SymbolKind : uint8_t { None, Let, Face, Network, Dispatcher, Builtin };

// Request fields that route code can read; values are part of the runtime ABI
// (SBC_FIELD_* in runtime/include/sbc/abi.h).
enum class Field : uint32_t {
  None = 0,
  RequestUri, RequestUriUser, RequestUriHost, RequestUriPort,
  FromUri, FromUser, FromHost,
  ToUri, ToUser, ToHost,
  SourceIp, SourcePort,
  CallId, Method,
};

struct Symbol {
  SymbolKind kind = SymbolKind::None;
  uint32_t index = 0;      // into the policy's vector of that kind
  Field field = Field::None;
};

}  // namespace sbcc
