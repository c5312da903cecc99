// The media relay's hooks in the proxy: a call's media session begins with the INVITE
// the policy relays media for, every SDP crossing the SBC is rewritten by the media
// engine (offer or answer, from the caller's side or the callee's), and the session ends
// with the call (BYE, a failed or cancelled INVITE, dialog expiry).
#include "media/media_engine.h"
#include "ops/log.h"
#include "proxy/proxy.h"
#include "sip/ascii.h"
#include "sip/name_addr.h"

namespace sbc::proxy {
namespace {

bool has_sdp(const sip::Message& msg) {
  if (msg.body().empty()) return false;
  const sip::HeaderField* type = msg.first(sip::HeaderId::ContentType);
  if (!type) return false;
  std::string_view value = type->value;
  return value.size() >= 15 && sip::iequals(value.substr(0, 15), "application/sdp");
}

bool carries_offer_or_answer(sip::Method method) {
  return method == sip::Method::Invite || method == sip::Method::Update || method == sip::Method::Prack ||
         method == sip::Method::Ack;
}

}  // namespace

void Proxy::attach_media(media::MediaEngine* media) { media_ = media; }

bool Proxy::media_for_request(ServerTransaction* server, const sip::Message& msg, std::optional<std::string>& body) {
  if (!media_) return true;
  bool sdp = has_sdp(msg);
  if (server) server->sdp_in_request = sdp;
  if (server && server->media && msg.method() == sip::Method::Invite && !media_->has(msg.call_id())) {
    media_->begin(msg.call_id(), sip::tag_of(msg.from_value()), server->media_from, server->media_to,
                  server->media_profile);
    server->media_began = true;
  }
  if (!media_->has(msg.call_id())) return true;
  if (msg.method() == sip::Method::Bye) {
    media_->end(msg.call_id(), "BYE");
    return true;
  }
  if (!sdp || !carries_offer_or_answer(msg.method())) return true;
  const std::string* caller = media_->caller_tag(msg.call_id());
  bool from_caller = caller && *caller == sip::tag_of(msg.from_value());
  bool answer = msg.method() == sip::Method::Ack || msg.method() == sip::Method::Prack;
  auto rewritten = media_->rewrite(msg.call_id(), from_caller, answer ? media::MediaEngine::Role::Answer
                                                                      : media::MediaEngine::Role::Offer,
                                   msg.body());
  if (!rewritten.ok) {
    log::at(log::Level::Warn, msg.call_id(), "media: SDP of ", msg.method_token(), " refused: ", rewritten.error);
    if (server && server->media_began) {
      media_->end(msg.call_id(), "SDP refused");
      server->media_began = false;
    }
    return false;
  }
  body = std::move(rewritten.body);
  return true;
}

void Proxy::media_for_response(const ServerTransaction& server, const sip::Message& response,
                               std::optional<std::string>& body) {
  if (!media_ || !has_sdp(response) || !media_->has(response.call_id())) return;
  int code = response.status_code();
  if (code < 180 || code >= 300 || !carries_offer_or_answer(response.cseq_method())) return;
  const std::string* caller = media_->caller_tag(response.call_id());
  // A response comes from the side the request went to.
  bool from_caller = !(caller && *caller == sip::tag_of(response.from_value()));
  auto role = server.sdp_in_request ? media::MediaEngine::Role::Answer : media::MediaEngine::Role::Offer;
  auto rewritten = media_->rewrite(response.call_id(), from_caller, role, response.body());
  if (!rewritten.ok) {
    // Fail closed: the other side never gets an address it must not see.
    log::at(log::Level::Warn, response.call_id(), "media: SDP of ", code, " dropped: ", rewritten.error);
    body = std::string();
    return;
  }
  body = std::move(rewritten.body);
}

void Proxy::media_final(ServerTransaction& server, int code) {
  if (!media_ || !server.media_began || code < 300) return;
  server.media_began = false;
  media_->end(server.call_id, code == 487 ? "cancelled" : "call failed");
}

void Proxy::end_media(const std::string& call_id, std::string_view reason) {
  if (media_) media_->end(call_id, reason);
}

}  // namespace sbc::proxy
