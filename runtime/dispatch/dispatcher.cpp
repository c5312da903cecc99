// See dispatcher.h.
#include "dispatch/dispatcher.h"

#include "sip/uri.h"

namespace sbc::dispatch {

DispatcherSet::DispatcherSet(const sbc_dispatcher& config, std::vector<Destination> destinations)
    : config_(config), name_(config.name), destinations_(std::move(destinations)) {}

Destination* DispatcherSet::select(std::string_view call_id) {
  switch (config_.pick) {
    case SBC_PICK_HASH_CALLID: return by_hash(call_id);
    case SBC_PICK_WEIGHT: return by_weight();
    case SBC_PICK_PRIORITY: return by_priority();
    case SBC_PICK_RANDOM: {
      random_state_ ^= random_state_ << 13;
      random_state_ ^= random_state_ >> 7;
      random_state_ ^= random_state_ << 17;
      next_ = destinations_.empty() ? 0 : random_state_ % destinations_.size();
      return next_round_robin();
    }
    default: return next_round_robin();
  }
}

Destination* DispatcherSet::next_round_robin() {
  for (size_t tried = 0; tried < destinations_.size(); ++tried) {
    Destination& d = destinations_[next_ % destinations_.size()];
    next_ = (next_ + 1) % destinations_.size();
    if (d.active) return &d;
  }
  return nullptr;
}

// The same call always lands on the same destination while it is up; when it is down
// the next active one in order takes over.
Destination* DispatcherSet::by_hash(std::string_view call_id) {
  if (destinations_.empty()) return nullptr;
  uint64_t h = 1469598103934665603ull;
  for (char c : call_id) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  next_ = h % destinations_.size();
  return next_round_robin();
}

// Smooth weighted choice: destination i gets weight_i / sum of the requests.
Destination* DispatcherSet::by_weight() {
  uint64_t total = 0;
  for (const auto& d : destinations_) total += d.active && d.weight > 0 ? static_cast<uint64_t>(d.weight) : 0;
  if (total == 0) return next_round_robin();
  uint64_t point = weight_counter_++ % total;
  for (auto& d : destinations_) {
    if (!d.active || d.weight <= 0) continue;
    if (point < static_cast<uint64_t>(d.weight)) return &d;
    point -= static_cast<uint64_t>(d.weight);
  }
  return nullptr;
}

// The active destination with the highest priority value wins (Kamailio's algorithm 8).
Destination* DispatcherSet::by_priority() {
  Destination* best = nullptr;
  for (auto& d : destinations_) {
    if (d.active && (!best || d.priority > best->priority)) best = &d;
  }
  return best;
}

bool DispatcherSet::record_probe_success(Destination& d) {
  d.consecutive_failures = 0;
  if (d.active) return false;
  d.active = true;
  return true;
}

bool DispatcherSet::record_probe_failure(Destination& d) {
  ++d.consecutive_failures;
  uint32_t threshold = config_.probe.threshold ? config_.probe.threshold : 1;
  if (!d.active || d.consecutive_failures < threshold) return false;
  d.active = false;
  return true;
}

std::optional<std::vector<DispatcherSet>> load_dispatchers(const sbc_policy& policy, std::string& error) {
  std::vector<DispatcherSet> sets;
  for (uint32_t i = 0; i < policy.dispatcher_count; ++i) {
    const sbc_dispatcher& config = policy.dispatchers[i];
    std::vector<Destination> destinations;
    for (uint32_t j = 0; j < config.destination_count; ++j) {
      const sbc_destination& dest = config.destinations[j];
      sip::Uri uri;
      if (!sip::parse_uri(dest.uri, uri)) {
        error = std::string("dispatcher ") + config.name + ": cannot parse destination " + dest.uri;
        return std::nullopt;
      }
      uint16_t default_port = uri.scheme == "sips" || config.transport == SBC_TRANSPORT_TLS ? 5061 : 5060;
      auto endpoint = transport::Endpoint::parse(uri.host, uri.port ? uri.port : default_port);
      if (!endpoint) {
        error = std::string("dispatcher ") + config.name + ": destination " + dest.uri +
                " must name an IP address (DNS names are not resolved yet)";
        return std::nullopt;
      }
      destinations.push_back({dest.uri, dest.duid ? dest.duid : "", *endpoint, dest.priority, dest.weight, true, 0});
    }
    sets.emplace_back(config, std::move(destinations));
  }
  return sets;
}

}  // namespace sbc::dispatch
