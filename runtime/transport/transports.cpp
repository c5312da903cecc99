// See transports.h.
#include "transport/transports.h"

#include <cstring>

#include "ops/log.h"
#include "transport/tls_context.h"

namespace sbc::transport {

namespace asio = boost::asio;
using asio::ip::tcp;

bool Transports::Key::operator<(const Key& other) const {
  if (listener != other.listener) return listener < other.listener;
  sbc_ip a = remote.ip();
  sbc_ip b = other.remote.ip();
  if (int c = std::memcmp(&a, &b, sizeof a); c != 0) return c < 0;
  return remote.port() < other.remote.port();
}

Transports::Transports(asio::io_context& io, const sbc_policy& policy, std::vector<proxy::Listener>& listeners)
    : io_(io), policy_(policy), listeners_(listeners), sweeper_(io) {}

bool Transports::open(std::string& error) {
  server_contexts_.resize(policy_.tls_profile_count);
  for (auto& listener : listeners_) {
    if (listener.transport == SBC_TRANSPORT_UDP) {
      auto socket = UdpSocket::open(io_, listener.bind, error);
      if (!socket) {
        error = "cannot bind " + listener.name + " on udp " + listener.bind.to_string() + ": " + error;
        return false;
      }
      listener.udp = socket.get();
      listener.active = true;
      udp_.push_back(std::move(socket));
    } else if (!open_stream_listener(listener, error)) {
      return false;
    }
  }
  return true;
}

asio::ssl::context* Transports::tls_context(uint32_t listener_transport, uint32_t profile, bool server) {
  if (listener_transport != SBC_TRANSPORT_TLS) return nullptr;
  std::string error;
  if (server) {
    if (profile >= server_contexts_.size()) return nullptr;
    if (!server_contexts_[profile]) server_contexts_[profile] = make_tls_context(policy_.tls_profiles[profile], error);
    if (!error.empty()) log::error("TLS profile ", policy_.tls_profiles[profile].name, ": ", error);
    return server_contexts_[profile].get();
  }
  if (!client_context_) {
    for (uint32_t i = 0; i < policy_.tls_profile_count; ++i) {
      if (policy_.tls_profiles[i].server) continue;
      client_context_ = make_tls_context(policy_.tls_profiles[i], error);
      if (!error.empty()) log::error("TLS client profile ", policy_.tls_profiles[i].name, ": ", error);
      break;
    }
  }
  return client_context_.get();
}

bool Transports::open_stream_listener(proxy::Listener& listener, std::string& error) {
  if (listener.transport == SBC_TRANSPORT_TLS && !tls_context(SBC_TRANSPORT_TLS, listener.tls_profile, true)) {
    error = "listener " + listener.name + ": its TLS server profile cannot be loaded";
    return false;
  }
  boost::system::error_code ec;
  tcp::endpoint at(asio::ip::make_address(listener.bind.host_text(), ec), listener.bind.port());
  auto acceptor = std::make_unique<tcp::acceptor>(io_);
  acceptor->open(at.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(at, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + listener.name + " (" + listener.bind.to_string() + "): " + ec.message();
    return false;
  }
  listener.active = true;
  acceptors_.push_back({std::move(acceptor), listener.index});
  return true;
}

void Transports::start(Receiver receiver) {
  receiver_ = std::move(receiver);
  for (auto& listener : listeners_) {
    if (!listener.udp) continue;
    uint32_t index = listener.index;
    listener.udp->start([this, index](std::string_view datagram, const Endpoint& source) {
      receiver_(index, datagram, source);
    });
  }
  for (size_t i = 0; i < acceptors_.size(); ++i) accept(i);
  sweep_idle();
}

bool Transports::at_limit(uint32_t transport) const {
  uint32_t limit =
      transport == SBC_TRANSPORT_TLS ? policy_.limits.tls_max_connections : policy_.limits.tcp_max_connections;
  size_t open = 0;
  for (const auto& [key, connection] : connections_) {
    open += connection->is_tls() == (transport == SBC_TRANSPORT_TLS);
  }
  return open >= limit;
}

void Transports::accept(size_t index) {
  Acceptor& acceptor = acceptors_[index];
  const proxy::Listener& listener = listeners_[acceptor.listener];
  auto connection = std::make_shared<StreamConnection>(
      io_, listener.index, tls_context(listener.transport, listener.tls_profile, true));
  acceptor.socket->async_accept(connection->socket(), [this, index, connection](const boost::system::error_code& ec) {
    if (ec) return;  // closed
    const proxy::Listener& l = listeners_[acceptors_[index].listener];
    if (at_limit(l.transport)) {
      log::warn(l.name, ": connection limit reached, refusing a connection");
      boost::system::error_code ignored;
      connection->socket().close(ignored);
    } else {
      boost::system::error_code peer_ec;
      auto peer = connection->socket().remote_endpoint(peer_ec);
      Endpoint remote = Endpoint::from_sockaddr(peer.data(), static_cast<socklen_t>(peer.size()));
      adopt(connection, remote)->start_accepted(
          [this](std::string_view message, StreamConnection& c) { receiver_(c.listener(), message, c.remote()); },
          [this](StreamConnection& c) { forget(c); });
    }
    accept(index);
  });
}

std::shared_ptr<StreamConnection> Transports::adopt(std::shared_ptr<StreamConnection> connection,
                                                    const Endpoint& remote) {
  connections_[Key{connection->listener(), remote}] = connection;
  return connection;
}

// Drops every table entry (the connection's own and its aliases) for a closed connection.
void Transports::forget(StreamConnection& connection) {
  if (closing_) return;
  for (auto it = connections_.begin(); it != connections_.end();) {
    it = it->second.get() == &connection ? connections_.erase(it) : std::next(it);
  }
}

bool Transports::send(const proxy::Listener& listener, std::string_view data, const Endpoint& to) {
  if (listener.transport == SBC_TRANSPORT_UDP) return listener.udp && listener.udp->send_to(data, to);
  if (!listener.active) return false;
  auto it = connections_.find(Key{listener.index, to});
  if (it != connections_.end()) {
    it->second->send(data);
    return true;
  }
  if (at_limit(listener.transport)) {
    log::warn(listener.name, ": connection limit reached, cannot open a connection to ", to.to_string());
    return false;
  }
  asio::ssl::context* tls = tls_context(listener.transport, listener.tls_profile, false);
  if (listener.transport == SBC_TRANSPORT_TLS && !tls) {
    log::error(listener.name, ": no TLS client profile to connect to ", to.to_string());
    return false;
  }
  auto connection = adopt(std::make_shared<StreamConnection>(io_, listener.index, tls), to);
  connection->send(data);  // queued until connected
  connection->start_outgoing(
      listener.bind, to,
      [this](std::string_view message, StreamConnection& c) { receiver_(c.listener(), message, c.remote()); },
      [this](StreamConnection& c) { forget(c); });
  return true;
}

void Transports::alias(const proxy::Listener& listener, const Endpoint& source, const Endpoint& sent_by) {
  if (listener.transport == SBC_TRANSPORT_UDP || source == sent_by) return;
  auto it = connections_.find(Key{listener.index, source});
  if (it == connections_.end()) return;
  connections_.emplace(Key{listener.index, sent_by}, it->second);
}

// Closes connections idle for longer than the policy's lifetime, once a second.
void Transports::sweep_idle() {
  sweeper_.expires_after(std::chrono::seconds(1));
  sweeper_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || closing_) return;
    auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<StreamConnection>> idle;
    for (const auto& [key, connection] : connections_) {
      uint32_t lifetime = connection->is_tls() ? policy_.limits.tls_lifetime_s : policy_.limits.tcp_lifetime_s;
      if (now - connection->last_activity() > std::chrono::seconds(lifetime)) idle.push_back(connection);
    }
    for (auto& connection : idle) connection->close();
    sweep_idle();
  });
}

void Transports::close() {
  closing_ = true;
  sweeper_.cancel();
  for (auto& socket : udp_) socket->close();
  for (auto& acceptor : acceptors_) {
    boost::system::error_code ignored;
    acceptor.socket->close(ignored);
  }
  for (auto& [key, connection] : connections_) connection->close();
  connections_.clear();
}

}  // namespace sbc::transport
