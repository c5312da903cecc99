// The checked policy: every static declaration resolved to plain values, plus the
// handlers whose ASTs have been name-resolved and type-checked. Codegen reads only this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sema/literals.h"
#include "syntax/ast.h"

namespace sbcc {

// A value known at compile time (a `let` constant, a literal).
struct ConstValue {
  Type type = Type::Error;
  // Enum values are uint64_t member positions.
  std::variant<std::monostate, IpAddress, Cidr, uint64_t, std::string, bool> value;
};

struct ListenerModel {
  std::string name;  // "external.udp" unless the policy names it
  uint32_t face = 0;
  Transport transport = Transport::Udp;
  IpAddress address;
  uint16_t port = 0;
  std::optional<IpAddress> advertise;
  uint16_t advertise_port = 0;
  std::optional<uint32_t> tls_profile;  // index into PolicyModel::tls (server profiles)
};

struct TlsProfileModel {
  std::string name;
  bool server = true;
  std::string min_version = "1.2";  // "1.2" or "1.3"
  std::string max_version;          // empty: no upper bound
  std::string certificate;          // absolute paths, resolved against the naming file
  std::string key;
  std::string ca;
  std::string ciphers;
  bool verify = false;
  bool require = false;
};

struct LimitsModel {
  uint32_t tcp_max_connections = 2048;
  uint32_t tls_max_connections = 2048;
  uint32_t tcp_lifetime_s = 3605;  // idle lifetime of a TCP/TLS connection
  uint32_t tls_lifetime_s = 3605;
  uint32_t media_timeout_s = 0;  // 0: silent streams never end their call
};

struct EnumModel {
  std::string name;
  std::vector<std::string> members;
};

enum class DatabaseEngine : uint32_t { Sqlite = 0, Mysql = 1 };

struct DatabaseModel {
  std::string name;
  DatabaseEngine engine = DatabaseEngine::Sqlite;
  std::string location;         // SQLite: absolute file path; MySQL: the URL
  std::string password_source;  // "", "env" or "file"
  std::string password_name;
  uint32_t refresh_ms = 30'000;
  std::string seed;  // SQLite: absolute path of SQL run to create a missing database file
};

struct ColumnModel {
  std::string name;
  Type type;
};

struct TableModel {
  std::string name;
  uint32_t database = 0;
  ColumnModel key;
  std::vector<ColumnModel> columns;
};

struct HttpModel {
  IpAddress address;
  uint16_t port = 8090;
  std::vector<std::string> endpoints;  // health, metrics, dispatcher, calls, reload
  std::string token_source;            // "", "env" or "file"
  std::string token_name;
};

struct FaceModel {
  std::string name;
  std::optional<IpAddress> rtp_address;
  std::optional<IpAddress> rtp_advertise;
  uint16_t rtp_port_min = 0;
  uint16_t rtp_port_max = 0;
};

struct NetworkModel {
  std::string name;
  std::vector<Cidr> cidrs;
};

enum class PickAlgorithm : uint32_t { RoundRobin = 0, HashCallId = 1, Weight = 2, Priority = 3, Random = 4 };

struct DestinationModel {
  std::string uri;
  std::string duid;
  int32_t priority = 0;
  int32_t weight = 1;
};

struct ProbeModel {
  std::string method = "OPTIONS";
  uint32_t interval_ms = 30'000;
  std::string from_uri;
  std::vector<uint16_t> accept_codes = {200};
  uint32_t threshold = 1;
  bool always = false;  // probe active destinations too (Kamailio ds_probing_mode 1)
};

struct DispatcherModel {
  std::string name;
  uint32_t face = 0;
  Transport transport = Transport::Udp;
  PickAlgorithm pick = PickAlgorithm::RoundRobin;
  std::vector<DestinationModel> destinations;
  std::optional<ProbeModel> probe;
};

struct HandlerModel {
  ast::HandlerKind kind = ast::HandlerKind::Request;
  uint32_t method = 0;            // Request: SBC_METHOD_*
  uint32_t status_low = 0;        // Reply: the codes it matches, e.g. 200..299 for 2xx
  uint32_t status_high = 0;
  std::optional<uint32_t> from;   // Reply/Failure: only for requests forwarded to this dispatcher set
  const ast::HandlerDecl* decl = nullptr;
};

struct PolicyModel {
  std::string identity = "sbc";
  std::string source_name;
  std::string log_level = "info";
  std::vector<TlsProfileModel> tls;
  LimitsModel limits;
  std::vector<EnumModel> enums;
  std::vector<DatabaseModel> databases;
  std::vector<TableModel> tables;
  std::vector<ColumnModel> dialog_vars;
  std::optional<HttpModel> http;
  std::vector<FaceModel> faces;
  std::vector<ListenerModel> listeners;
  std::vector<std::string> aliases;
  std::vector<NetworkModel> networks;
  std::vector<DispatcherModel> dispatchers;
  std::vector<HandlerModel> handlers;
  std::vector<ConstValue> constants;  // the `let` values, indexed like ast::Policy::lets

  // `type` as users read it, with enum and table names.
  std::string describe(Type type) const;
};

}  // namespace sbcc
