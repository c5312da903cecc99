// See server.h. One event loop on one thread for now; state is kept per loop so that
// sharding by Call-ID across cores can come without locks on the message path.
#include "ops/server.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <algorithm>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "data/table_loader.h"
#include "data/table_store.h"
#include "dispatch/dispatcher.h"
#include "dispatch/prober.h"
#include "media/media_engine.h"
#include "ops/http_server.h"
#include "ops/ops_endpoints.h"
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

bool relays_media(const sbc_policy& policy) {
  for (uint32_t i = 0; i < policy.face_count; ++i) {
    if (policy.faces[i].has_rtp) return true;
  }
  return false;
}

// Every relayed stream holds four sockets: 1024 descriptors would stop at ~250 calls.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) log::warn("cannot raise the open-file limit");
}

std::unique_ptr<media::MediaEngine> start_media(const sbc_policy& policy, const ServerOptions& server_options,
                                                boost::asio::io_context& io) {
  if (!relays_media(policy)) return nullptr;
  raise_descriptor_limit();
  media::MediaEngine::Options options;
  unsigned threads = server_options.media_threads;
  options.threads = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  options.io = server_options.media_io;
  options.post_to_control = [&io](std::function<void()> work) { boost::asio::post(io, std::move(work)); };
  options.idle_timeout = std::chrono::seconds(policy.limits.media_timeout_s);
  auto engine = std::make_unique<media::MediaEngine>(policy, std::move(options));
  log::info("media relay: ", options.threads, " threads, ", engine->io_name());
  return engine;
}

}  // namespace

// `sbc --check`: everything start-up needs from this machine, tried without serving.
int check_environment(const sbc_policy& policy) {
  std::vector<std::string> problems;
  boost::asio::io_context io(1);
  proxy::LocalAddresses local(policy);
  std::string error;
  if (!dispatch::load_dispatchers(policy, error)) problems.push_back(error);
  {
    transport::Transports transports(io, policy, local.listeners());
    if (transports.open(error)) {
      std::printf("ok: %zu SIP listeners can be opened (addresses, ports, TLS certificates and keys)\n",
                  local.listeners().size());
      transports.close();
    } else {
      problems.push_back(error);
    }
  }
  data::TableStore tables(policy);
  size_t before = problems.size();
  tables.load_all(problems);
  if (problems.size() == before && tables.size()) std::printf("ok: %zu tables read\n", tables.size());
  for (uint32_t f = 0; f < policy.face_count; ++f) {
    const sbc_face& face = policy.faces[f];
    if (!face.has_rtp) continue;
    auto bind_to = transport::Endpoint::from_abi(face.rtp_address, 0);
    int fd = socket(bind_to.is_ipv6() ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, bind_to.sockaddr_ptr(), bind_to.sockaddr_len()) != 0) {
      problems.push_back(std::string("face ") + face.name + ": cannot bind RTP address " + bind_to.host_text());
    } else {
      std::printf("ok: face %s can relay RTP on %s\n", face.name, bind_to.host_text().c_str());
    }
    if (fd >= 0) close(fd);
  }
  if (policy.http.enabled) {
    std::string token;
    if (!read_http_token(policy.http, token, error)) {
      problems.push_back(error);
    } else {
      HttpServer http(io, policy.http, token, [](const HttpRequest&, const HttpServer::Reply& reply) { reply({}); });
      if (http.start(error)) {
        std::printf("ok: the HTTP endpoint can listen on %s\n", http.address().c_str());
      } else {
        problems.push_back(error);
      }
    }
  }
  for (const auto& problem : problems) std::printf("problem: %s\n", problem.c_str());
  std::printf("%s\n", problems.empty() ? "environment ready" : "environment NOT ready");
  return problems.empty() ? 0 : 1;
}

int run_server(const sbc_policy& policy, const ServerOptions& server_options) {
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
  tables.load_all(table_errors);  // before the first call, on this thread
  // Then tables are read again every `refresh` of their database (checked as often as the
  // shortest one asks), on the loader's thread: a database that is slow or away never
  // holds a call, and a failed read keeps the rows last read.
  data::TableLoader loader(tables, [&io](std::function<void()> work) { boost::asio::post(io, std::move(work)); });
  std::function<void()> refresh_tables;
  if (auto every = tables.refresh_interval(); every.count() > 0) {
    refresh_tables = [&tables, &timers, &loader, &refresh_tables, every] {
      if (auto due = tables.due(std::chrono::steady_clock::now()); !due.empty()) loader.reload(std::move(due), nullptr);
      timers.schedule(every, refresh_tables);
    };
    timers.schedule(every, refresh_tables);
  }

  std::unique_ptr<media::MediaEngine> media = start_media(policy, server_options, io);
  proxy::Proxy proxy(policy, local, *dispatchers, tables, timers, transports);
  proxy.attach_media(media.get());
  if (media) media->set_on_timeout([&proxy](const std::string& call_id) { proxy.end_call(call_id, "media timeout"); });
  transports.start([&proxy](uint32_t listener, std::string_view message, const transport::Endpoint& source) {
    proxy.on_datagram(listener, message, source);
  });
  for (const auto& listener : local.listeners()) {
    log::info("listening on ", listener.name, " ", transport_name(listener.transport), " ", listener.bind.to_string(),
              listener.via_sent_by != listener.bind.to_string() ? " advertised as " + listener.via_sent_by : "");
  }

  // The policy's HTTP endpoint, on this loop: what it reads is this thread's state.
  dispatch::Prober prober(proxy, local, *dispatchers, timers);
  ops::OpsEndpoints endpoints(policy, proxy, *dispatchers, tables, loader, prober, media.get());
  std::unique_ptr<ops::HttpServer> http;
  if (policy.http.enabled) {
    std::string token;
    if (!ops::read_http_token(policy.http, token, error)) {
      log::error(error);
      return 1;
    }
    http = std::make_unique<ops::HttpServer>(io, policy.http, std::move(token),
                                             [&endpoints](const ops::HttpRequest& r, ops::HttpServer::Reply reply) {
                                               endpoints.handle(r, reply);
                                             });
    if (!http->start(error)) {
      log::error(error);
      return 1;
    }
    log::info("http endpoint on ", http->address());
  }

  prober.start();

  // Dialogs without a BYE end after 12 hours, as with Kamailio's default dlg timeout.
  std::function<void()> expire_dialogs = [&] {
    proxy.expire_dialogs(std::chrono::hours(12));
    timers.schedule(std::chrono::minutes(1), expire_dialogs);
  };
  timers.schedule(std::chrono::minutes(1), expire_dialogs);

  // SIGTERM: new calls are refused (503) and /health turns 503, so a load balancer sends
  // them elsewhere. With --drain=S the calls still up get S seconds to end by themselves
  // (a new policy is deployed without cutting a call short); then, or at once without
  // --drain, the rest get a BYE on both sides (their media ports are freed with them),
  // and the loop ends once the BYEs had two seconds to be answered, or as soon as no
  // call is left. A second signal ends it at once.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  auto finish = [&] {
    transports.close();
    io.stop();
  };
  auto end_calls_and_finish = [&] {
    size_t open = proxy.dialog_count();
    if (open == 0) return finish();
    log::info("ending ", open, " calls still up");
    proxy.end_all_calls("SBC shutting down");
    timers.schedule(std::chrono::seconds(2), finish);
  };
  auto drain_until = std::chrono::steady_clock::now();
  std::function<void()> drain_check = [&] {
    if (proxy.dialog_count() == 0) {
      log::info("every call has ended, stopping");
      return finish();
    }
    if (std::chrono::steady_clock::now() >= drain_until) return end_calls_and_finish();
    timers.schedule(std::chrono::milliseconds(200), drain_check);
  };
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("signal ", signal, " received, stopping");
    proxy.refuse_new_calls();
    if (server_options.drain_s > 0 && proxy.dialog_count() > 0) {
      log::info("draining: ", proxy.dialog_count(), " calls may go on for up to ", server_options.drain_s, " s");
      drain_until = std::chrono::steady_clock::now() + std::chrono::seconds(server_options.drain_s);
      drain_check();
    } else {
      end_calls_and_finish();
    }
    signals.async_wait([&](const boost::system::error_code& again, int) {
      if (!again) finish();
    });
  });

  log::info(policy.identity, " ready: policy ", policy.source_name, " (",
            std::string_view(policy.source_hash).substr(0, 12), ")");
  io.run();
  const auto& stats = proxy.stats();
  log::info("stopped: ", stats.requests_received, " requests, ", stats.responses_received, " responses, ",
            stats.parse_errors, " malformed, ", stats.retransmissions_absorbed, " retransmissions absorbed, ",
            stats.transaction_timeouts, " transaction timeouts; dialogs ", stats.dialogs_established, " established, ",
            stats.dialogs_ended, " ended by BYE, ", stats.dialogs_expired, " expired, ", proxy.dialog_count(),
            " still open, ", stats.dialogs_ended_by_sbc, " ended by the sbc");
  if (media) {
    media::MediaTotals m = media->totals();
    log::info("media: ", m.sessions_started, " sessions, ", m.packets_relayed, " packets relayed, ", m.packets_dropped,
              " dropped, ", m.srtp_errors, " SRTP errors, ", m.ports_exhausted, " times out of ports, ",
              media->session_count(), " sessions still open");
  }
  return 0;
}

}  // namespace sbc::ops
