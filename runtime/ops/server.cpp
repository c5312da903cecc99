// See server.h. One event loop on one thread for now; state is kept per loop so that
// sharding by Call-ID across cores can come without locks on the message path.
#include "ops/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <vector>

#include "dispatch/dispatcher.h"
#include "data/table_store.h"
#include "dispatch/prober.h"
#include "ops/log.h"
#include "proxy/local_addresses.h"
#include "proxy/proxy.h"
#include "proxy/timer_queue.h"
#include "transport/udp_socket.h"

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

  std::vector<std::unique_ptr<transport::UdpSocket>> sockets;
  for (auto& listener : local.listeners()) {
    if (listener.transport != SBC_TRANSPORT_UDP) {
      log::warn("listener ", listener.name, " (", transport_name(listener.transport), " ", listener.bind.to_string(),
                ") is not opened: this runtime serves UDP only so far");
      continue;
    }
    auto socket = transport::UdpSocket::open(io, listener.bind, error);
    if (!socket) {
      log::error("cannot bind ", listener.name, " on udp ", listener.bind.to_string(), ": ", error);
      return 1;
    }
    listener.udp = socket.get();
    sockets.push_back(std::move(socket));
  }

  data::TableStore tables(policy);
  std::vector<std::string> table_errors;
  tables.load_all(table_errors);

  proxy::Proxy proxy(policy, local, *dispatchers, tables, timers);
  for (auto& listener : local.listeners()) {
    if (!listener.udp) continue;
    uint32_t index = listener.index;
    listener.udp->start([&proxy, index](std::string_view datagram, const transport::Endpoint& source) {
      proxy.on_datagram(index, datagram, source);
    });
    log::info("listening on ", listener.name, " udp ", listener.bind.to_string(),
              listener.via_sent_by != listener.bind.to_string() ? " advertised as " + listener.via_sent_by : "");
  }

  dispatch::Prober prober(proxy, local, *dispatchers, timers);
  prober.start();

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("signal ", signal, " received, stopping");
    for (auto& socket : sockets) socket->close();
    io.stop();
  });

  log::info(policy.identity, " ready: policy ", policy.source_name, " (", std::string_view(policy.source_hash).substr(0, 12),
            ")");
  io.run();
  log::info("stopped");
  return 0;
}

}  // namespace sbc::ops
