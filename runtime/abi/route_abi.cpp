// The sbc_req_* and sbc_act_* functions of runtime/include/sbc/abi.h: the only calls
// compiled policy code makes. Reads are views into the request; the first decision wins.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "abi/route_request.h"
#include "ops/log.h"
#include "sip/ascii.h"
#include "sip/header_id.h"

sbc_request::sbc_request(const sbc::sip::Message& msg, const sbc::transport::Endpoint& src,
                         const sbc::proxy::Listener& in, const sbc::proxy::LocalAddresses& addresses,
                         std::vector<sbc::abi::DialogValue>& values)
    : message(msg), source(src), listener(in), local(addresses), dialog(values) {
  ruri_ok = sbc::sip::parse_uri(msg.request_uri(), ruri);
  from_ok = sbc::sip::parse_name_addr(msg.from_value(), from);
  to_ok = sbc::sip::parse_name_addr(msg.to_value(), to);
}

namespace sbc::abi {

RouteDecision run_route(sbc_route_fn entry, sbc_request& request) {
  if (entry) entry(&request);
  return std::move(request.decision);
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

const sbc::data::Row* row_of(sbc_request* r, uint32_t table, int64_t row) {
  if (!r->services.tables || table >= r->services.tables->size() || row < 0) return nullptr;
  const sbc::data::Table& t = r->services.tables->table(table);
  return static_cast<size_t>(row) < t.size() ? &t.row(row) : nullptr;
}

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
    case SBC_FIELD_LISTENER: return view(r->listener.name);
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
    case SBC_FIELD_STATUS: return r->status;
    case SBC_FIELD_FACE: return r->listener.face;
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

sbc_str sbc_req_header(const sbc_request* r, const char* name, uint64_t name_len) {
  // In reply handlers the response's headers are the interesting ones.
  const sbc::sip::Message& m = r->response ? *r->response : r->message;
  std::string_view wanted(name, name_len);
  sbc::sip::HeaderId id = sbc::sip::header_id_from_name(wanted);
  for (const auto& field : m.headers()) {
    bool match = id != sbc::sip::HeaderId::Other ? field.id == id : sbc::sip::iequals(field.name, wanted);
    if (match) return view(field.value);
  }
  return {"", 0};
}

uint32_t sbc_req_dispatcher(const sbc_request* r) { return r->dispatcher; }

int64_t sbc_table_lookup(sbc_request* r, uint32_t table, const char* key, uint64_t key_len) {
  if (!r->services.tables || table >= r->services.tables->size()) return -1;
  return r->services.tables->table(table).find(std::string_view(key, key_len));
}

sbc_str sbc_row_string(sbc_request* r, uint32_t table, int64_t row, uint32_t column) {
  const sbc::data::Row* found = row_of(r, table, row);
  if (!found || column >= found->text.size()) return {"", 0};
  return view(found->text[column]);
}

int64_t sbc_row_int(sbc_request* r, uint32_t table, int64_t row, uint32_t column) {
  const sbc::data::Row* found = row_of(r, table, row);
  if (!found || column >= found->number.size()) return -1;
  return found->number[column];
}

void sbc_dialog_set_string(sbc_request* r, uint32_t var, const char* value, uint64_t len) {
  if (var >= r->dialog.size()) return;
  r->dialog[var].set = true;
  r->dialog[var].text.assign(value, len);
}

void sbc_dialog_set_int(sbc_request* r, uint32_t var, int64_t value) {
  if (var >= r->dialog.size()) return;
  r->dialog[var].set = true;
  r->dialog[var].number = value;
}

sbc_str sbc_dialog_get_string(const sbc_request* r, uint32_t var) {
  if (var >= r->dialog.size()) return {"", 0};
  return view(r->dialog[var].text);
}

int64_t sbc_dialog_get_int(const sbc_request* r, uint32_t var) {
  return var < r->dialog.size() && r->dialog[var].set ? r->dialog[var].number : -1;
}

void sbc_act_header(sbc_request* r, uint32_t op, const char* name, uint64_t name_len, const char* value,
                    uint64_t value_len) {
  r->decision.headers.push_back({op, std::string(name, name_len), std::string(value, value_len)});
}

uint32_t sbc_act_retry_next(sbc_request* r) {
  if (already_decided(r) || !r->services.retry_next) return 0;
  return r->services.retry_next(r->decision) ? 1 : 0;
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
