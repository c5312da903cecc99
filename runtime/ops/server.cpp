// See server.h. One event loop on one thread for now; state is kept per loop so that
// sharding by Call-ID across cores can come without locks on the message path.
#include "ops/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "data/table_store.h"
#include "dispatch/dispatcher.h"
#include "dispatch/prober.h"
#include "ops/log.h"
#include "proxy/local_addresses.h"
#include "proxy/proxy.h"
#include "proxy/timer_queue.h"
#include "transport/transports.h"

namespace sbc::ops {
namespace {

std::string_view transport_name(uint32_t t) {
  return t == SBC_TRANSPORT_TCP ? "tcp" : t == SBC_TRANSPORT_TLS ? "tls" : "udp";
}

}  // namespace

int run_server(const sbc_policy& policy) {
  boost::asio::io_context io(1);
  proxy::TimerQueue timers(io);
  proxy::LocalAddresses local(policy);

  std::string error;
  auto dispatchers = dispatch::load_dispatchers(policy, error);
  if (!dispatchers) {
    log::error(error);
    return 1;
  }

  transport::Transports transports(io, policy, local.listeners());
  if (!transports.open(error)) {
    log::error(error);
    return 1;
  }

  data::TableStore tables(policy);
  std::vector<std::string> table_errors;
  tables.load_all(table_errors);

  proxy::Proxy proxy(policy, local, *dispatchers, tables, timers, transports);
  transports.start([&proxy](uint32_t listener, std::string_view message, const transport::Endpoint& source) {
    proxy.on_datagram(listener, message, source);
  });
  for (const auto& listener : local.listeners()) {
    log::info("listening on ", listener.name, " ", transport_name(listener.transport), " ", listener.bind.to_string(),
              listener.via_sent_by != listener.bind.to_string() ? " advertised as " + listener.via_sent_by : "");
  }

  dispatch::Prober prober(proxy, local, *dispatchers, timers);
  prober.start();

  // Dialogs without a BYE end after 12 hours, as with Kamailio's default dlg timeout.
  std::function<void()> expire_dialogs = [&] {
    proxy.expire_dialogs(std::chrono::hours(12));
    timers.schedule(std::chrono::minutes(1), expire_dialogs);
  };
  timers.schedule(std::chrono::minutes(1), expire_dialogs);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("signal ", signal, " received, stopping");
    transports.close();
    io.stop();
  });

  log::info(policy.identity, " ready: policy ", policy.source_name, " (",
            std::string_view(policy.source_hash).substr(0, 12), ")");
  io.run();
  const auto& stats = proxy.stats();
  log::info("stopped: ", stats.requests_received, " requests, ", stats.responses_received, " responses, ",
            stats.parse_errors, " malformed, ", stats.retransmissions_absorbed, " retransmissions absorbed, ",
            stats.transaction_timeouts, " transaction timeouts; dialogs ", stats.dialogs_established, " established, ",
            stats.dialogs_ended, " ended by BYE, ", stats.dialogs_expired, " expired, ", proxy.dialog_count(),
            " still open");
  return 0;
}

}  // namespace sbc::ops
