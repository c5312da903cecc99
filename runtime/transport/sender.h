// What the proxy sends through: one call for every transport, so the proxy never cares
// whether a listener is UDP, TCP or TLS (and tests can put a fake underneath).
#pragma once

#include <string_view>

#include "transport/endpoint.h"

namespace sbc::proxy {
struct Listener;
}

namespace sbc::transport {

class Sender {
 public:
  virtual ~Sender() = default;
  // Sends one message from `listener` to `to`: a datagram, or over the connection to
  // `to` (opened when there is none). False when it could not be handed to the kernel.
  virtual bool send(const proxy::Listener& listener, std::string_view data, const Endpoint& to) = 0;
  // A request that arrived over a connection announced `sent_by` in its Via: later
  // requests to that address reuse the connection (RFC 5923's alias, Kamailio's
  // tcp_accept_aliases), since a client behind NAT cannot be reached otherwise.
  virtual void alias(const proxy::Listener& listener, const Endpoint& source, const Endpoint& sent_by) = 0;
};

}  // namespace sbc::transport
