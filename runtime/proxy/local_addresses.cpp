// See local_addresses.h.
#include "proxy/local_addresses.h"

#include "sip/ascii.h"

namespace sbc::proxy {
namespace {

std::string_view strip_brackets(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

std::string bracketed(const transport::Endpoint& e) {
  if (!e.is_ipv6()) return e.host_text();
  std::string out(1, '[');
  out.append(e.host_text());
  out.push_back(']');
  return out;
}

}  // namespace

bool same_host(std::string_view a, std::string_view b) { return sip::iequals(strip_brackets(a), strip_brackets(b)); }

LocalAddresses::LocalAddresses(const sbc_policy& policy) {
  for (uint32_t i = 0; i < policy.listener_count; ++i) {
    const sbc_listener& l = policy.listeners[i];
    Listener listener;
    listener.index = i;
    listener.face = l.face;
    listener.transport = l.transport;
    listener.name = l.name;
    listener.face_name = policy.faces[l.face].name;
    listener.bind = transport::Endpoint::from_abi(l.address, static_cast<uint16_t>(l.port));
    if (l.has_advertise) {
      auto adv = transport::Endpoint::from_abi(l.advertise, static_cast<uint16_t>(l.advertise_port));
      listener.advertised_host = bracketed(adv);
      listener.advertised_port = static_cast<uint16_t>(l.advertise_port);
    } else {
      listener.advertised_host = bracketed(listener.bind);
      listener.advertised_port = static_cast<uint16_t>(l.port);
    }
    listener.via_sent_by = listener.advertised_host + ":" + std::to_string(listener.advertised_port);
    listener.via_transport = l.transport == SBC_TRANSPORT_TLS ? "TLS" : l.transport == SBC_TRANSPORT_TCP ? "TCP" : "UDP";
    listener.tls_profile = l.tls_profile;
    listener.contact_address = listener.via_sent_by + (l.transport == SBC_TRANSPORT_TLS   ? ";transport=tls"
                                                       : l.transport == SBC_TRANSPORT_TCP ? ";transport=tcp"
                                                                                          : "");
    listeners_.push_back(std::move(listener));
  }
  for (uint32_t i = 0; i < policy.alias_count; ++i) aliases_.emplace_back(policy.aliases[i]);
}

bool LocalAddresses::address_matches(const Listener& l, std::string_view host, uint16_t port) const {
  uint16_t wanted = port ? port : (l.transport == SBC_TRANSPORT_TLS ? 5061 : 5060);
  if (same_host(host, l.advertised_host) && wanted == l.advertised_port) return true;
  return same_host(host, l.bind.host_text()) && wanted == l.bind.port();
}

bool LocalAddresses::is_myself(std::string_view host, uint16_t port) const {
  for (const auto& alias : aliases_) {
    if (same_host(host, alias)) return true;
  }
  for (const auto& l : listeners_) {
    if (address_matches(l, host, port)) return true;
  }
  return false;
}

const Listener* LocalAddresses::listener_named_by(std::string_view host, uint16_t port, uint32_t transport) const {
  for (const auto& l : listeners_) {
    if (l.transport == transport && address_matches(l, host, port)) return &l;
  }
  // The transport parameter may be missing or differ (a TLS face record-routed as sips);
  // the address alone still identifies the face.
  for (const auto& l : listeners_) {
    if (address_matches(l, host, port)) return &l;
  }
  return nullptr;
}

const Listener* LocalAddresses::find(uint32_t face, uint32_t transport) const {
  for (const auto& l : listeners_) {
    if (l.face == face && l.transport == transport) return &l;
  }
  return nullptr;
}

}  // namespace sbc::proxy
