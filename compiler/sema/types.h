// The types of policy values and what a resolved name refers to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sbcc {

enum class TypeKind : uint8_t {
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
  Enum,        // a value of a declared `enum` (id: which enum)
  Row,         // a row of a table, bound by `some(r)` (id: which table)
  Option,      // the result of a table look-up, taken apart by `match` (id: which table)
};

struct Type {
  TypeKind kind = TypeKind::Error;
  uint32_t id = 0;

  constexpr bool operator==(const Type&) const = default;
  static constexpr Type enumeration(uint32_t enum_index) { return {TypeKind::Enum, enum_index}; }
  static constexpr Type row(uint32_t table) { return {TypeKind::Row, table}; }
  static constexpr Type option(uint32_t table) { return {TypeKind::Option, table}; }

  static const Type Error, Bool, String, Int, Address, Cidr, Uri, Duration, Face, Network, Dispatcher, Endpoint,
      RequestUri, Party;
};

inline constexpr Type Type::Error{TypeKind::Error};
inline constexpr Type Type::Bool{TypeKind::Bool};
inline constexpr Type Type::String{TypeKind::String};
inline constexpr Type Type::Int{TypeKind::Int};
inline constexpr Type Type::Address{TypeKind::Address};
inline constexpr Type Type::Cidr{TypeKind::Cidr};
inline constexpr Type Type::Uri{TypeKind::Uri};
inline constexpr Type Type::Duration{TypeKind::Duration};
inline constexpr Type Type::Face{TypeKind::Face};
inline constexpr Type Type::Network{TypeKind::Network};
inline constexpr Type Type::Dispatcher{TypeKind::Dispatcher};
inline constexpr Type Type::Endpoint{TypeKind::Endpoint};
inline constexpr Type Type::RequestUri{TypeKind::RequestUri};
inline constexpr Type Type::Party{TypeKind::Party};

// Names of enums and tables, for naming Enum, Row and Option types in messages.
struct TypeNames {
  const std::vector<std::string>* enums = nullptr;
  const std::vector<std::string>* tables = nullptr;
};

std::string type_name(Type type, TypeNames names = {});

enum class SymbolKind : uint8_t { None, Let, Face, Network, Dispatcher, Builtin, Enum, EnumMember, Table, Database, DialogVar };

// Request fields that route code can read; values are part of the runtime ABI
// (SBC_FIELD_* in runtime/include/sbc/abi.h).
enum class Field : uint32_t {
  None = 0,
  RequestUri, RequestUriUser, RequestUriHost, RequestUriPort,
  FromUri, FromUser, FromHost,
  ToUri, ToUser, ToHost,
  SourceIp, SourcePort,
  CallId, Method,
  Status,    // the final status of a response (reply and failure handlers)
  Header,    // `header("Name")`: the first value of a header
  Listener,  // the name of the listener the request arrived on
  Face,      // the face the request arrived on
};

struct Symbol {
  SymbolKind kind = SymbolKind::None;
  uint32_t index = 0;      // into the policy's vector of that kind (the enum, for EnumMember)
  Field field = Field::None;
  uint32_t member = 0;     // EnumMember: its position in the enum; Row fields: the column
};

}  // namespace sbcc
