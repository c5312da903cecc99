// Dispatcher sets at run time: destinations with their health, and the selection
// algorithms of the policy (round robin, Call-ID hash, weight, priority, random).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sbc/abi.h"
#include "transport/endpoint.h"

namespace sbc::dispatch {

struct Destination {
  std::string uri;
  std::string duid;
  transport::Endpoint endpoint;
  int32_t priority = 0;
  int32_t weight = 1;
  bool active = true;
  uint32_t consecutive_failures = 0;
};

class DispatcherSet {
 public:
  DispatcherSet(const sbc_dispatcher& config, std::vector<Destination> destinations);

  // The destination for a new request, skipping inactive ones; null when none is left.
  Destination* select(std::string_view call_id);
  const std::string& name() const { return name_; }
  uint32_t face() const { return config_.face; }
  uint32_t transport() const { return config_.transport; }
  const sbc_probe& probe() const { return config_.probe; }
  std::vector<Destination>& destinations() { return destinations_; }
  const std::vector<Destination>& destinations() const { return destinations_; }

  // Probe outcomes; return true when the destination's state changed.
  bool record_probe_success(Destination& d);
  bool record_probe_failure(Destination& d);

 private:
  Destination* next_round_robin();
  Destination* by_hash(std::string_view call_id);
  Destination* by_weight();
  Destination* by_priority();

  const sbc_dispatcher& config_;
  std::string name_;
  std::vector<Destination> destinations_;
  size_t next_ = 0;
  uint64_t weight_counter_ = 0;
  uint64_t random_state_ = 0x9E3779B97F4A7C15ull;
};

// Builds every set of the policy. Fails (with `error`) on a destination whose host is
// not an IP address: name resolution is not done at run time yet.
std::optional<std::vector<DispatcherSet>> load_dispatchers(const sbc_policy& policy, std::string& error);

}  // namespace sbc::dispatch
