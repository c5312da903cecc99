// What "this SBC" is: its listeners (bound and advertised addresses per face and
// transport) and its aliases. Answers `is myself` and picks the listener a Route or
// Record-Route entry names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sbc/abi.h"
#include "transport/endpoint.h"

namespace sbc::transport {
class UdpSocket;
}

namespace sbc::proxy {

struct Listener {
  uint32_t index = 0;
  uint32_t face = 0;
  uint32_t transport = SBC_TRANSPORT_UDP;
  std::string name;
  std::string face_name;
  transport::Endpoint bind;
  std::string advertised_host;  // written in Via and Record-Route (IPv6 in brackets)
  uint16_t advertised_port = 0;
  std::string via_sent_by;      // "host:port"
  std::string contact_address;  // "host:port[;transport=tcp|tls]": where encoded Contacts point
  std::string_view via_transport = "UDP";  // as written in Via: UDP, TCP or TLS
  uint32_t tls_profile = SBC_DEFAULT;
  transport::UdpSocket* udp = nullptr;     // UDP listeners, once bound
  bool active = false;                     // bound and serving
};

class LocalAddresses {
 public:
  explicit LocalAddresses(const sbc_policy& policy);

  std::vector<Listener>& listeners() { return listeners_; }
  const std::vector<Listener>& listeners() const { return listeners_; }
  // True if host[:port] is one of our bound or advertised addresses (with a matching
  // port; an absent port means the transport's default), or an alias (any port).
  bool is_myself(std::string_view host, uint16_t port) const;
  // The listener that host:port (bound or advertised) and transport name, or null.
  const Listener* listener_named_by(std::string_view host, uint16_t port, uint32_t transport) const;
  // The first listener of `face` with `transport`, or null.
  const Listener* find(uint32_t face, uint32_t transport) const;

 private:
  bool address_matches(const Listener& l, std::string_view host, uint16_t port) const;

  std::vector<Listener> listeners_;
  std::vector<std::string> aliases_;
};

// Case-insensitive host comparison; IPv6 brackets are ignored.
bool same_host(std::string_view a, std::string_view b);

}  // namespace sbc::proxy
