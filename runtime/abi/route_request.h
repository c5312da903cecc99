// The runtime side of `sbc_request`: what a compiled route function sees of one
// initial request, and the decision it records through the sbc_act_* calls.
#pragma once

#include <cstdint>
#include <string>

#include "proxy/local_addresses.h"
#include "sbc/abi.h"
#include "sip/message.h"
#include "sip/name_addr.h"
#include "sip/uri.h"
#include "transport/endpoint.h"

namespace sbc::abi {

struct RouteDecision {
  enum class Kind : uint8_t { None, ForwardDispatcher, ForwardUri, Reply };
  Kind kind = Kind::None;
  uint32_t dispatcher = 0;
  uint32_t face = SBC_DEFAULT;
  uint32_t transport = SBC_DEFAULT;
  bool uri_is_request_uri = false;
  std::string uri;
  uint32_t code = 0;
  std::string reason;
  // media relay from -> to as profile (the media engine applies it; the reverse on answers)
  bool media = false;
  uint32_t media_from = 0;
  uint32_t media_to = 0;
  uint32_t media_profile = SBC_MEDIA_SAME;
};

}  // namespace sbc::abi

struct sbc_request {
  sbc_request(const sbc::sip::Message& msg, const sbc::transport::Endpoint& src, const sbc::proxy::LocalAddresses& local);

  const sbc::sip::Message& message;
  sbc::transport::Endpoint source;
  const sbc::proxy::LocalAddresses& local;
  sbc::sip::Uri ruri;
  bool ruri_ok = false;
  sbc::sip::NameAddr from;
  bool from_ok = false;
  sbc::sip::NameAddr to;
  bool to_ok = false;
  char source_text[48] = {};  // SBC_FIELD_SOURCE_IP as text, filled on first use
  sbc::abi::RouteDecision decision;
};

namespace sbc::abi {

// Runs the compiled route function on one initial request and returns its decision.
RouteDecision run_route(const sbc_policy& policy, sbc_request& request);

}  // namespace sbc::abi
