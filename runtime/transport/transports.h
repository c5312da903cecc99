// The transport layer of the SBC: a UDP socket, or a TCP/TLS acceptor, per listener of
// the policy; the table of open connections (accepted and outgoing) with the policy's
// limits and idle lifetime; and the Sender the proxy sends everything through.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "proxy/local_addresses.h"
#include "sbc/abi.h"
#include "transport/sender.h"
#include "transport/stream_connection.h"
#include "transport/udp_socket.h"

namespace sbc::transport {

class Transports : public Sender {
 public:
  // Every message received on any listener: (listener index, message, sender).
  using Receiver = std::function<void(uint32_t listener, std::string_view message, const Endpoint& source)>;

  Transports(boost::asio::io_context& io, const sbc_policy& policy, std::vector<proxy::Listener>& listeners);

  // Binds every listener; false (with `error`) when one cannot be opened.
  bool open(std::string& error);
  void start(Receiver receiver);
  void close();

  bool send(const proxy::Listener& listener, std::string_view data, const Endpoint& to) override;
  void alias(const proxy::Listener& listener, const Endpoint& source, const Endpoint& sent_by) override;

  size_t connection_count() const { return connections_.size(); }

 private:
  struct Key {
    uint32_t listener;
    Endpoint remote;
    bool operator<(const Key& other) const;
  };

  bool open_stream_listener(proxy::Listener& listener, std::string& error);
  void accept(size_t acceptor);
  std::shared_ptr<StreamConnection> adopt(std::shared_ptr<StreamConnection> connection, const Endpoint& remote);
  void forget(StreamConnection& connection);
  bool at_limit(uint32_t transport) const;
  void sweep_idle();
  boost::asio::ssl::context* tls_context(uint32_t listener_transport, uint32_t profile, bool server);

  boost::asio::io_context& io_;
  const sbc_policy& policy_;
  std::vector<proxy::Listener>& listeners_;
  Receiver receiver_;
  std::vector<std::unique_ptr<UdpSocket>> udp_;
  struct Acceptor {
    std::unique_ptr<boost::asio::ip::tcp::acceptor> socket;
    uint32_t listener;
  };
  std::vector<Acceptor> acceptors_;
  std::vector<std::unique_ptr<boost::asio::ssl::context>> server_contexts_;  // by TLS profile
  std::unique_ptr<boost::asio::ssl::context> client_context_;
  std::map<Key, std::shared_ptr<StreamConnection>> connections_;
  boost::asio::steady_timer sweeper_;
  bool closing_ = false;
};

}  // namespace sbc::transport
