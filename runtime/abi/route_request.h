// The runtime side of `sbc_request`: what a compiled route function sees of one request
// (and, in reply and failure handlers, of the response), and the decisions it records
// through the sbc_act_* calls.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/table_store.h"
#include "proxy/local_addresses.h"
#include "sbc/abi.h"
#include "sip/message.h"
#include "sip/name_addr.h"
#include "sip/uri.h"
#include "transport/endpoint.h"

namespace sbc::abi {

// One dialog variable's value: numbers for int/bool/enum/duration, text for strings.
struct DialogValue {
  bool set = false;
  int64_t number = -1;
  std::string text;
};

struct HeaderEdit {
  uint32_t op = SBC_HEADER_ADD;  // enum sbc_header_op
  std::string name;
  std::string value;
};

struct RouteDecision {
  enum class Kind : uint8_t { None, ForwardDispatcher, ForwardUri, Reply, Retry };
  Kind kind = Kind::None;
  uint32_t dispatcher = 0;
  uint32_t face = SBC_DEFAULT;
  uint32_t transport = SBC_DEFAULT;
  bool uri_is_request_uri = false;
  std::string uri;
  uint32_t code = 0;
  std::string reason;
  size_t retry_destination = 0;  // Retry: index into the dispatcher set's destinations
  // media relay from -> to as profile (the media engine applies it; the reverse on answers)
  bool media = false;
  uint32_t media_from = 0;
  uint32_t media_to = 0;
  uint32_t media_profile = SBC_MEDIA_SAME;
  std::vector<HeaderEdit> headers;
};

// What the runtime lends route code beyond the message.
struct RouteServices {
  data::TableStore* tables = nullptr;
  // Failure handlers: chooses the next untried destination into the decision; false
  // when every destination of the set was tried.
  std::function<bool(RouteDecision&)> retry_next;
};

}  // namespace sbc::abi

struct sbc_request {
  sbc_request(const sbc::sip::Message& msg, const sbc::transport::Endpoint& src, const sbc::proxy::Listener& in,
              const sbc::proxy::LocalAddresses& local, std::vector<sbc::abi::DialogValue>& dialog);

  const sbc::sip::Message& message;  // the request (in reply and failure handlers too)
  const sbc::sip::Message* response = nullptr;
  int64_t status = -1;
  uint32_t dispatcher = SBC_DEFAULT;
  sbc::transport::Endpoint source;
  const sbc::proxy::Listener& listener;
  const sbc::proxy::LocalAddresses& local;
  std::vector<sbc::abi::DialogValue>& dialog;
  sbc::abi::RouteServices services;
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

// Runs a compiled route entry (request, reply or failure) and returns its decision.
RouteDecision run_route(sbc_route_fn entry, sbc_request& request);

}  // namespace sbc::abi
