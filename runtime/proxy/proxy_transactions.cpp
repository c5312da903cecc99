// Transaction bookkeeping and the RFC 3261 §17 timers: A/B and E/F retransmit and time
// out client requests, D/K/M absorb late responses, G/H retransmit a final non-2xx
// response until the ACK, I/J/L absorb late requests.
#include <algorithm>

#include "ops/log.h"
#include "proxy/message_builder.h"
#include "proxy/proxy.h"
#include "transport/udp_socket.h"

namespace sbc::proxy {

std::string Proxy::new_branch() {
  static constexpr char digits[] = "0123456789abcdef";
  uint64_t value = random_() ^ ++branch_counter_;
  std::string branch = "z9hG4bK";
  for (int i = 0; i < 16; ++i, value >>= 4) branch += digits[value & 15];
  return branch;
}

std::string Proxy::new_tag() {
  static constexpr char digits[] = "0123456789abcdef";
  uint64_t value = random_();
  std::string tag;
  for (int i = 0; i < 12; ++i, value >>= 4) tag += digits[value & 15];
  return tag;
}

bool Proxy::send(const Listener& listener, std::string_view data, const transport::Endpoint& to) {
  return sender_.send(listener, data, to);
}

const Listener* Proxy::listener_for(uint32_t face, uint32_t transport) const {
  for (const auto& l : local_.listeners()) {
    if (l.face == face && l.transport == transport && l.active) return &l;
  }
  return nullptr;
}

ServerTransaction& Proxy::create_server(std::string key, const Listener& in, const sip::Message& msg,
                                        const transport::Endpoint& source) {
  auto server = std::make_unique<ServerTransaction>();
  server->key = key;
  server->method = msg.method();
  server->request.assign(msg.text());
  server->call_id.assign(msg.call_id());
  server->source = source;
  server->listener = in.index;
  server->reliable = in.transport != SBC_TRANSPORT_UDP;
  server->to_tag = new_tag();
  auto& ref = *server;
  servers_.emplace(std::move(key), std::move(server));
  return ref;
}

ClientTransaction& Proxy::start_client(std::string branch, sip::Method method, std::string request,
                                       const Listener& out, const transport::Endpoint& destination,
                                       ServerTransaction* server) {
  auto client = std::make_unique<ClientTransaction>();
  client->key = transaction_key(branch, method);
  client->branch = std::move(branch);
  client->method = method;
  client->request = std::move(request);
  client->destination = destination;
  client->listener = out.index;
  client->state = method == sip::Method::Invite ? ClientState::Calling : ClientState::Trying;
  client->reliable = out.transport != SBC_TRANSPORT_UDP;
  client->server = server;
  if (server && server->client) server->client->server = nullptr;  // a retry: the old branch answers no more
  if (server) {
    client->call_id = server->call_id;
    server->client = client.get();
  }
  send(out, client->request, destination);
  auto& ref = *client;
  std::string key = client->key;
  clients_[key] = std::move(client);
  if (!ref.reliable) arm_retransmit(ref);  // A and E only on unreliable transports
  ref.timer_timeout = timers_.schedule(kTimerB, [this, key] { on_client_timeout(key); });
  return ref;
}

void Proxy::send_local_request(const Listener& from, const transport::Endpoint& to, std::string text,
                               std::string branch, sip::Method method, std::function<void(int)> on_final) {
  ClientTransaction& client = start_client(std::move(branch), method, std::move(text), from, to, nullptr);
  client.on_final = std::move(on_final);
}

void Proxy::arm_retransmit(ClientTransaction& client) {
  std::string key = client.key;
  client.timer_retransmit = timers_.schedule(client.interval, [this, key] {
    auto it = clients_.find(key);
    if (it == clients_.end()) return;
    ClientTransaction& c = *it->second;
    c.timer_retransmit = 0;
    bool invite_waiting = c.method == sip::Method::Invite && c.state == ClientState::Calling;
    bool request_waiting = c.method != sip::Method::Invite &&
                           (c.state == ClientState::Trying || c.state == ClientState::Proceeding);
    if (!invite_waiting && !request_waiting) return;
    send(local_.listeners()[c.listener], c.request, c.destination);
    // A doubles without bound; E doubles up to T2 (and stays at T2 once proceeding).
    c.interval = c.method == sip::Method::Invite ? c.interval * 2 : std::min(c.interval * 2, T2);
    arm_retransmit(c);
  });
}

// Timer C: a proxied INVITE that rings for more than three minutes is cancelled
// downstream and answered 408 upstream.
void Proxy::arm_timer_c(ClientTransaction& client) {
  timers_.cancel(client.timer_c);
  std::string key = client.key;
  client.timer_c = timers_.schedule(kTimerC, [this, key] {
    auto it = clients_.find(key);
    if (it == clients_.end()) return;
    ClientTransaction& c = *it->second;
    c.timer_c = 0;
    if (c.final_code != 0 || c.cancelled) return;
    ++stats_.transaction_timeouts;
    log::at(log::Level::Warn, c.call_id, "no final response from ", c.destination.to_string(), " (timer C)");
    c.cancelled = true;
    ServerTransaction* server = c.server;
    send_cancel(c);
    if (server) reply(*server, 408, "Request Timeout");
  });
}

void Proxy::on_client_timeout(const std::string& key) {
  auto it = clients_.find(key);
  if (it == clients_.end()) return;
  ClientTransaction& client = *it->second;
  client.timer_timeout = 0;
  if (client.final_code != 0 || client.state == ClientState::Proceeding) {
    if (client.method == sip::Method::Invite) return;  // B only matters while Calling
  }
  if (client.final_code != 0) return;
  ++stats_.transaction_timeouts;
  log::at(log::Level::Warn, client.call_id, "no response from ", client.destination.to_string(), " (timer ",
          client.method == sip::Method::Invite ? "B" : "F", ")");
  if (client.on_final) {
    auto callback = std::move(client.on_final);
    erase_client(key);
    callback(408);
    return;
  }
  ServerTransaction* server = client.server;
  erase_client(key);
  if (server && !route_failure(*server, nullptr, 408)) reply(*server, 408, "Request Timeout");
}

void Proxy::client_final_received(ClientTransaction& client, int code) {
  timers_.cancel(client.timer_retransmit);
  timers_.cancel(client.timer_timeout);
  // D and K are zero on reliable transports: nothing is retransmitted to absorb.
  if (client.method == sip::Method::Invite) {
    client.state = code < 300 ? ClientState::Accepted : ClientState::Completed;
    end_client_after(client, code < 300 ? kTimerB /* M */ : client.reliable ? milliseconds(0) : kTimerD);
  } else {
    client.state = ClientState::Completed;
    end_client_after(client, client.reliable ? milliseconds(0) : T4 /* K */);
  }
}

void Proxy::server_final_sent(ServerTransaction& server, int code) {
  media_final(server, code);
  if (server.method == sip::Method::Invite && code < 300) {
    server.state = ServerState::Accepted;
    end_server_after(server, kTimerB /* L */);
  } else if (server.method == sip::Method::Invite) {
    server.state = ServerState::Completed;
    server.g_interval = T1;
    if (!server.reliable) arm_response_retransmit(server);  // G only on unreliable transports
    end_server_after(server, kTimerB /* H */);
  } else {
    server.state = ServerState::Completed;
    end_server_after(server, server.reliable ? milliseconds(0) : kTimerB /* J */);
  }
}

void Proxy::arm_response_retransmit(ServerTransaction& server) {
  std::string key = server.key;
  server.timer_g = timers_.schedule(server.g_interval, [this, key] {
    auto it = servers_.find(key);
    if (it == servers_.end()) return;
    ServerTransaction& s = *it->second;
    s.timer_g = 0;
    if (s.state != ServerState::Completed) return;
    send(local_.listeners()[s.listener], s.last_response, s.source);
    s.g_interval = std::min(s.g_interval * 2, T2);
    arm_response_retransmit(s);
  });
}

void Proxy::end_server_after(ServerTransaction& server, milliseconds delay) {
  timers_.cancel(server.timer_end);
  std::string key = server.key;
  server.timer_end = timers_.schedule(delay, [this, key] { erase_server(key); });
}

void Proxy::end_client_after(ClientTransaction& client, milliseconds delay) {
  timers_.cancel(client.timer_end);
  std::string key = client.key;
  client.timer_end = timers_.schedule(delay, [this, key] { erase_client(key); });
}

void Proxy::erase_server(const std::string& key) {
  auto it = servers_.find(key);
  if (it == servers_.end()) return;
  ServerTransaction& server = *it->second;
  timers_.cancel(server.timer_g);
  timers_.cancel(server.timer_end);
  if (server.client) server.client->server = nullptr;
  servers_.erase(it);
}

void Proxy::erase_client(const std::string& key) {
  auto it = clients_.find(key);
  if (it == clients_.end()) return;
  ClientTransaction& client = *it->second;
  timers_.cancel(client.timer_retransmit);
  timers_.cancel(client.timer_timeout);
  timers_.cancel(client.timer_end);
  timers_.cancel(client.timer_c);
  if (client.server && client.server->client == &client) client.server->client = nullptr;
  clients_.erase(it);
}

}  // namespace sbc::proxy
