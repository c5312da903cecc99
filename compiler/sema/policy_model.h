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
  uint32_t method = 0;  // SBC_METHOD_*
  const ast::HandlerDecl* decl = nullptr;
};

struct PolicyModel {
  std::string identity = "sbc";
  std::string source_name;
  std::vector<FaceModel> faces;
  std::vector<ListenerModel> listeners;
  std::vector<std::string> aliases;
  std::vector<NetworkModel> networks;
  std::vector<DispatcherModel> dispatchers;
  std::vector<HandlerModel> handlers;
  std::vector<ConstValue> constants;  // the `let` values, indexed like ast::Policy::lets
};

}  // namespace sbcc
