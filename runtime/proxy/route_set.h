// Loose routing (RFC 3261 §16.4, §16.12): which leading Route entries name this SBC,
// which listener the request must leave from, and where it goes next.
#pragma once

#include <cstddef>
#include <string_view>

#include "proxy/local_addresses.h"
#include "sip/message.h"
#include "sip/name_addr.h"

namespace sbc::proxy {

struct RouteInspection {
  size_t own_entries = 0;                // leading Route values that name this SBC
  const Listener* outbound = nullptr;    // the listener the last own entry names (double RR: the far face)
  bool has_next = false;                 // a Route value that is not ours follows
  sip::NameAddr next;                    // that value
};

RouteInspection inspect_routes(const sip::Message& request, const LocalAddresses& local);

// The transport a URI asks for: its transport= parameter, sips: meaning TLS, else UDP.
uint32_t uri_transport(const sip::Uri& uri);

}  // namespace sbc::proxy
