// The sbc_req_* and sbc_act_* functions of runtime/include/sbc/abi.h: the only calls
// compiled policy code makes. Reads are views into the request; the first decision wins.
#include <arpa/inet.h>

#include <cstring>

#include "abi/route_request.h"
#include "ops/log.h"

sbc_request::sbc_request(const sbc::sip::Message& msg, const sbc::transport::Endpoint& src,
                         const sbc::proxy::LocalAddresses& addresses)
    : message(msg), source(src), local(addresses) {
  ruri_ok = sbc::sip::parse_uri(msg.request_uri(), ruri);
  from_ok = sbc::sip::parse_name_addr(msg.from_value(), from);
  to_ok = sbc::sip::parse_name_addr(msg.to_value(), to);
}

namespace sbc::abi {

RouteDecision run_route(const sbc_policy& policy, sbc_request& request) {
  policy.route_request(&request);
  return request.decision;
}

}  // namespace sbc::abi

namespace {

sbc_str view(std::string_view text) { return {text.data(), text.size()}; }

const sbc::sip::Uri* uri_of(const sbc_request* r, uint32_t field) {
  switch (field) {
    case SBC_FIELD_RURI: return r->ruri_ok ? &r->ruri : nullptr;
    case SBC_FIELD_FROM_URI: return r->from_ok ? &r->from.uri : nullptr;
    case SBC_FIELD_TO_URI: return r->to_ok ? &r->to.uri : nullptr;
    default: return nullptr;
  }
}

bool already_decided(const sbc_request* r) { return r->decision.kind != sbc::abi::RouteDecision::Kind::None; }

}  // namespace

extern "C" {

uint32_t sbc_req_method(const sbc_request* r) { return static_cast<uint32_t>(r->message.method()); }

sbc_str sbc_req_field(const sbc_request* r, uint32_t field) {
  switch (field) {
    case SBC_FIELD_RURI: return view(r->message.request_uri());
    case SBC_FIELD_RURI_USER: return view(r->ruri.user);
    case SBC_FIELD_RURI_HOST: return view(r->ruri.host);
    case SBC_FIELD_FROM_URI: return view(r->from.uri_text);
    case SBC_FIELD_FROM_USER: return view(r->from.uri.user);
    case SBC_FIELD_FROM_HOST: return view(r->from.uri.host);
    case SBC_FIELD_TO_URI: return view(r->to.uri_text);
    case SBC_FIELD_TO_USER: return view(r->to.uri.user);
    case SBC_FIELD_TO_HOST: return view(r->to.uri.host);
    case SBC_FIELD_CALL_ID: return view(r->message.call_id());
    case SBC_FIELD_METHOD: return view(r->message.method_token());
    case SBC_FIELD_SOURCE_IP: {
      auto* self = const_cast<sbc_request*>(r);
      if (!self->source_text[0]) {
        sbc_ip ip = r->source.ip();
        inet_ntop(ip.family == 6 ? AF_INET6 : AF_INET, ip.bytes, self->source_text, sizeof self->source_text);
      }
      return view(r->source_text);
    }
    default: return {"", 0};
  }
}

int64_t sbc_req_int_field(const sbc_request* r, uint32_t field) {
  switch (field) {
    case SBC_FIELD_RURI_PORT: return r->ruri_ok && r->ruri.port ? r->ruri.port : -1;
    case SBC_FIELD_SOURCE_PORT: return r->source.port();
    default: return -1;
  }
}

uint32_t sbc_req_ip_field(const sbc_request* r, uint32_t field, sbc_ip* out) {
  if (field != SBC_FIELD_SOURCE_IP) return 0;
  *out = r->source.ip();
  return 1;
}

uint32_t sbc_req_is_myself(const sbc_request* r, uint32_t field) {
  const sbc::sip::Uri* uri = uri_of(r, field);
  return uri && r->local.is_myself(uri->host, uri->port);
}

uint32_t sbc_str_equal(const char* a, uint64_t a_len, const char* b, uint64_t b_len) {
  return a_len == b_len && (a_len == 0 || std::memcmp(a, b, a_len) == 0);
}

void sbc_act_forward_dispatcher(sbc_request* r, uint32_t dispatcher, uint32_t face, uint32_t transport) {
  if (already_decided(r)) return;
  r->decision.kind = sbc::abi::RouteDecision::Kind::ForwardDispatcher;
  r->decision.dispatcher = dispatcher;
  r->decision.face = face;
  r->decision.transport = transport;
}

void sbc_act_forward_uri(sbc_request* r, const char* uri, uint64_t uri_len, uint32_t face, uint32_t transport) {
  if (already_decided(r)) return;
  r->decision.kind = sbc::abi::RouteDecision::Kind::ForwardUri;
  r->decision.uri_is_request_uri = uri == nullptr;
  if (uri) r->decision.uri.assign(uri, uri_len);
  r->decision.face = face;
  r->decision.transport = transport;
}

void sbc_act_reply(sbc_request* r, uint32_t code, const char* reason, uint64_t reason_len) {
  if (already_decided(r)) return;
  r->decision.kind = sbc::abi::RouteDecision::Kind::Reply;
  r->decision.code = code;
  r->decision.reason.assign(reason, reason_len);
}

void sbc_act_media_relay(sbc_request* r, uint32_t from_face, uint32_t to_face, uint32_t profile) {
  r->decision.media = true;
  r->decision.media_from = from_face;
  r->decision.media_to = to_face;
  r->decision.media_profile = profile;
}

void sbc_act_log(sbc_request* r, uint32_t level, const char* message, uint64_t message_len) {
  auto l = level > SBC_LOG_ERROR ? sbc::log::Level::Error : static_cast<sbc::log::Level>(level);
  sbc::log::at(l, r->message.call_id(), "policy: ", std::string_view(message, message_len));
}

}  // extern "C"

// The ABI's method numbers are sip::Method's; keep them from drifting apart.
#include "sip/method.h"
static_assert(static_cast<uint32_t>(sbc::sip::Method::Invite) == SBC_METHOD_INVITE);
static_assert(static_cast<uint32_t>(sbc::sip::Method::Options) == SBC_METHOD_OPTIONS);
static_assert(static_cast<uint32_t>(sbc::sip::Method::Publish) == SBC_METHOD_PUBLISH);
static_assert(static_cast<uint32_t>(sbc::sip::Method::Other) == SBC_METHOD_OTHER);
