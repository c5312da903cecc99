// OPTIONS probing of dispatcher destinations (Kamailio's ds_ping_*): every interval,
// each destination the probing mode selects gets a request; replies in the accepted
// list count as alive, anything else or a timeout as a failure, and `threshold`
// consecutive failures mark a destination inactive until a probe succeeds again.
#pragma once

#include <cstdint>
#include <vector>

#include "dispatch/dispatcher.h"
#include "proxy/proxy.h"
#include "proxy/timer_queue.h"

namespace sbc::dispatch {

class Prober {
 public:
  Prober(proxy::Proxy& proxy, const proxy::LocalAddresses& local, std::vector<DispatcherSet>& sets,
         proxy::TimerQueue& timers);

  void start();
  // Probes every destination of every probed set now, active or not (POST /reload: the
  // operator wants the state re-read, not the next round's). Returns the probes sent.
  size_t probe_all_now();

 private:
  void probe_set(size_t set_index);
  void send_probe(size_t set_index, size_t destination_index);
  void record(size_t set_index, size_t destination_index, int status);

  proxy::Proxy& proxy_;
  const proxy::LocalAddresses& local_;
  std::vector<DispatcherSet>& sets_;
  proxy::TimerQueue& timers_;
  uint32_t cseq_ = 1;
};

}  // namespace sbc::dispatch
