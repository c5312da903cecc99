// See prober.h.
#include "dispatch/prober.h"

#include <algorithm>

#include "ops/log.h"
#include "proxy/message_builder.h"

namespace sbc::dispatch {

Prober::Prober(proxy::Proxy& proxy, const proxy::LocalAddresses& local, std::vector<DispatcherSet>& sets,
               proxy::TimerQueue& timers)
    : proxy_(proxy), local_(local), sets_(sets), timers_(timers) {}

void Prober::start() {
  for (size_t i = 0; i < sets_.size(); ++i) {
    if (sets_[i].probe().enabled) probe_set(i);
  }
}

size_t Prober::probe_all_now() {
  size_t sent = 0;
  for (size_t i = 0; i < sets_.size(); ++i) {
    if (!sets_[i].probe().enabled) continue;
    for (size_t d = 0; d < sets_[i].destinations().size(); ++d, ++sent) send_probe(i, d);
  }
  return sent;
}

void Prober::probe_set(size_t set_index) {
  DispatcherSet& set = sets_[set_index];
  for (size_t d = 0; d < set.destinations().size(); ++d) {
    if (set.probe().always || !set.destinations()[d].active) send_probe(set_index, d);
  }
  timers_.schedule(proxy::milliseconds(set.probe().interval_ms), [this, set_index] { probe_set(set_index); });
}

void Prober::send_probe(size_t set_index, size_t destination_index) {
  DispatcherSet& set = sets_[set_index];
  const Destination& dest = set.destinations()[destination_index];
  const proxy::Listener* from = local_.find(set.face(), set.transport());
  if (!from || !from->active) return;
  std::string branch = proxy_.new_branch();
  std::string via = "Via: SIP/2.0/" + std::string(from->via_transport) + " " + from->via_sent_by + ";branch=" + branch +
                    ";rport\r\n";
  std::string call_id = "probe-" + proxy_.new_tag() + "@" + from->advertised_host;
  std::string tag = proxy_.new_tag();
  std::string text = proxy::build_local_request({set.probe().method, dest.uri, via, set.probe().from_uri, tag, call_id,
                                                 cseq_++, proxy_.identity()});
  proxy_.send_local_request(*from, dest.endpoint, std::move(text), std::move(branch),
                            sip::method_from_token(set.probe().method),
                            [this, set_index, destination_index](int status) {
                              record(set_index, destination_index, status);
                            });
}

void Prober::record(size_t set_index, size_t destination_index, int status) {
  DispatcherSet& set = sets_[set_index];
  Destination& dest = set.destinations()[destination_index];
  const sbc_probe& probe = set.probe();
  bool accepted = std::find(probe.accept_codes, probe.accept_codes + probe.accept_count,
                            static_cast<uint32_t>(status)) != probe.accept_codes + probe.accept_count;
  bool changed = accepted ? set.record_probe_success(dest) : set.record_probe_failure(dest);
  if (changed) {
    log::at(accepted ? log::Level::Info : log::Level::Warn, {}, "dispatcher ", set.name(), ": ", dest.uri,
            accepted ? " is active again" : " is inactive", " (probe answered ", status, ")");
  } else {
    log::debug("dispatcher ", set.name(), ": probe of ", dest.uri, " answered ", status);
  }
}

}  // namespace sbc::dispatch
