// See media_engine.h.
#include "media/media_engine.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "ops/log.h"

namespace sbc::media {
namespace {

std::string ip_text(const sbc_ip& ip) {
  char text[INET6_ADDRSTRLEN];
  inet_ntop(ip.family == 6 ? AF_INET6 : AF_INET, ip.bytes, text, sizeof text);
  return text;
}

// A non-blocking UDP socket bound to address:port, or -1.
int bind_udp(const sbc_ip& address, uint16_t port) {
  sockaddr_storage storage{};
  socklen_t length;
  if (address.family == 6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    std::memcpy(&a->sin6_addr, address.bytes, 16);
    length = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    std::memcpy(&a->sin_addr, address.bytes, 4);
    length = sizeof(sockaddr_in);
  }
  int fd = socket(address.family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// "RTP/AVP" <-> "RTP/SAVP", keeping a feedback profile's F.
std::string_view proto_for(std::string_view received, bool secure) {
  bool feedback = received.ends_with("F");
  if (secure) return feedback ? "RTP/SAVPF" : "RTP/SAVP";
  return feedback ? "RTP/AVPF" : "RTP/AVP";
}

bool same_key(const std::optional<SrtpKey>& a, const std::optional<SrtpKey>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->suite == b->suite && a->length == b->length && a->material == b->material;
}

bool is_unspecified(std::string_view address) { return address == "0.0.0.0" || address == "::"; }

}  // namespace

MediaEngine::MediaEngine(const sbc_policy& policy, Options options) : options_(std::move(options)) {
  for (uint32_t i = 0; i < policy.face_count; ++i) {
    const sbc_face& f = policy.faces[i];
    Face face;
    face.has_rtp = f.has_rtp != 0;
    if (face.has_rtp) {
      face.bind = f.rtp_address;
      face.advertised = ip_text(f.has_rtp_advertise ? f.rtp_advertise : f.rtp_address);
      face.ipv6 = (f.has_rtp_advertise ? f.rtp_advertise : f.rtp_address).family == 6;
      face.pool = PortPool(static_cast<uint16_t>(f.rtp_port_min), static_cast<uint16_t>(f.rtp_port_max));
    }
    faces_.push_back(std::move(face));
  }
  unsigned count = options_.threads ? options_.threads : 1;
  for (unsigned i = 0; i < count; ++i) {
    threads_.push_back(std::make_unique<MediaThread>(options_.idle_timeout, [this](StreamId id) {
      // On a media thread: the session map belongs to the SIP thread.
      if (options_.post_to_control) options_.post_to_control([this, id] { on_idle(id); });
    }, options_.io));
  }
}

MediaEngine::~MediaEngine() = default;

void MediaEngine::begin(std::string_view call_id, std::string_view caller_tag, uint32_t caller_face,
                        uint32_t callee_face, uint32_t profile) {
  std::string key(call_id);
  if (sessions_.count(key)) return;
  Session& s = sessions_[key];
  s.call_id = key;
  s.caller_tag = std::string(caller_tag);
  s.faces[0] = caller_face;
  s.faces[1] = callee_face;
  s.profile = profile;
  ++totals_.sessions_started;
}

const std::string* MediaEngine::caller_tag(std::string_view call_id) const {
  auto it = sessions_.find(std::string(call_id));
  return it == sessions_.end() ? nullptr : &it->second.caller_tag;
}

bool MediaEngine::open_stream(Session& session, StreamState& stream, std::string& error) {
  auto stream_data = std::make_unique<Stream>();
  for (int side = 0; side < 2; ++side) {
    Face& face = faces_[session.faces[side]];
    if (!face.has_rtp) {
      error = "a face without an rtp range";
      return false;
    }
    // A pair may be taken by another program: try a few before giving up.
    for (int attempt = 0; attempt < 8 && stream.ports[side] == 0; ++attempt) {
      auto port = face.pool.take();
      if (!port) break;
      int rtp = bind_udp(face.bind, *port);
      int rtcp = rtp >= 0 ? bind_udp(face.bind, static_cast<uint16_t>(*port + 1)) : -1;
      if (rtp < 0 || rtcp < 0) {
        if (rtp >= 0) close(rtp);
        face.pool.give_back(*port);
        continue;
      }
      stream.ports[side] = *port;
      stream_data->legs[side].rtp_fd = rtp;
      stream_data->legs[side].rtcp_fd = rtcp;
    }
    if (stream.ports[side] == 0) {
      for (int opened = 0; opened < side; ++opened) {
        close(stream_data->legs[opened].rtp_fd);
        close(stream_data->legs[opened].rtcp_fd);
        faces_[session.faces[opened]].pool.give_back(stream.ports[opened]);
        stream.ports[opened] = 0;
      }
      ++totals_.ports_exhausted;
      error = "no RTP ports left";
      return false;
    }
  }
  stream.id = next_stream_++;
  stream_data->id = stream.id;
  call_of_stream_[stream.id] = session.call_id;
  thread_for(stream.id).add(std::move(stream_data));
  return true;
}

// Tells the media thread what the control side now knows of one leg; SRTP sessions are
// made only when a key changed.
void MediaEngine::send_leg(StreamState& stream, int side, bool relatch) {
  LegState& leg = stream.legs[side];
  LegUpdate update;
  update.known = leg.known;
  update.rtp = leg.rtp;
  update.rtcp = leg.rtcp;
  update.rtcp_mux = leg.rtcp_mux;
  update.secure = leg.secure;
  if (!leg.keys_sent || !same_key(leg.sent_peer_key, leg.peer_key) || !same_key(leg.sent_our_key, leg.our_key)) {
    std::string error;
    update.replace_srtp = true;
    if (leg.peer_key) update.unprotect = SrtpSession::create(*leg.peer_key, SrtpSession::Direction::Unprotect, error);
    if (leg.our_key) update.protect = SrtpSession::create(*leg.our_key, SrtpSession::Direction::Protect, error);
    if (!error.empty()) log::warn("media: ", error);
    leg.keys_sent = true;
    leg.sent_peer_key = leg.peer_key;
    leg.sent_our_key = leg.our_key;
  }
  thread_for(stream.id).update(stream.id, side, std::move(update), relatch);
}

MediaEngine::Rewritten MediaEngine::rewrite(std::string_view call_id, bool from_caller, Role role,
                                            std::string_view body) {
  Rewritten result;
  auto it = sessions_.find(std::string(call_id));
  if (it == sessions_.end()) {
    result.error = "no media session";
    return result;
  }
  Session& session = it->second;
  sdp::Session sdp;
  if (!sdp::parse(body, sdp, result.error)) return result;
  int from = from_caller ? 0 : 1;
  int to = 1 - from;
  const Face& out_face = faces_[session.faces[to]];
  if (!out_face.has_rtp) {
    result.error = "the face toward the other side has no rtp range";
    return result;
  }
  sdp::Rewrite plan;
  plan.address = out_face.advertised;
  plan.ipv6 = out_face.ipv6;
  plan.media.resize(sdp.media.size());
  for (size_t i = 0; i < sdp.media.size(); ++i) {
    if (!rewrite_media(session, i, from, role, sdp, sdp.media[i], plan.media[i], result.error)) return result;
  }
  result.body = sdp::rewrite(sdp, plan);
  result.ok = true;
  return result;
}

bool MediaEngine::rewrite_media(Session& session, size_t index, int from, Role role, const sdp::Session& sdp,
                                const sdp::Media& m, sdp::MediaRewrite& out, std::string& error) {
  int to = 1 - from;
  if (m.port == 0 || !m.is_rtp()) {
    // Rejected by the sender, or not RTP (this relay does not carry it): rejected onward,
    // so no address of the sender's side ever crosses over.
    out.port = 0;
    out.replace_crypto = true;
    if (m.port != 0) log::at(log::Level::Warn, session.call_id, "media: ", m.type, " ", m.proto, " not relayed");
    return true;
  }
  if (session.streams.size() <= index) session.streams.resize(index + 1);
  StreamState& stream = session.streams[index];
  if (stream.id == 0 && !open_stream(session, stream, error)) return false;

  // What the sender said of its own leg.
  LegState& sender = stream.legs[from];
  std::string_view address = sdp.address_of(m);
  bool relatch = false;
  if (!is_unspecified(address)) {  // 0.0.0.0 is hold (RFC 2543): keep where media went
    auto rtp = transport::Endpoint::parse(address, m.port);
    uint16_t rtcp_port = m.rtcp_mux ? m.port : (m.rtcp_port ? m.rtcp_port : static_cast<uint16_t>(m.port + 1));
    auto rtcp = transport::Endpoint::parse(address, rtcp_port);
    if (!rtp || !rtcp) {
      error = "a connection address that is not an IP address";
      return false;
    }
    relatch = sender.known && !(sender.rtp == *rtp);
    sender.rtp = *rtp;
    sender.rtcp = *rtcp;
    sender.rtcp_mux = m.rtcp_mux;
    sender.known = true;
  }
  sender.secure = m.is_secure();
  sender.secure_decided = true;
  sender.peer_key.reset();
  sender.peer_tag.clear();
  if (sender.secure) {
    for (const auto& crypto : m.crypto) {
      if (auto key = parse_key(crypto)) {
        sender.peer_key = key;
        sender.peer_tag = std::string(crypto.tag);
        break;
      }
    }
    if (!sender.peer_key) {
      error = "no SRTP crypto suite this relay supports";
      return false;
    }
  }

  // The other leg: SRTP or not as the policy says (its `as` applies to the callee's leg),
  // decided once per stream.
  LegState& receiver = stream.legs[to];
  if (!receiver.secure_decided) {
    receiver.secure = session.profile == SBC_MEDIA_SAME ? sender.secure
                      : to == 1                         ? session.profile == SBC_MEDIA_SRTP
                                                        : false;
    receiver.secure_decided = true;
  }
  // SRTP on both legs and nothing asked of the relay: keys pass end to end untouched.
  bool transparent = sender.secure && receiver.secure && session.profile == SBC_MEDIA_SAME;
  out.port = stream.ports[to];
  out.proto = proto_for(m.proto, receiver.secure);
  if (transparent) {
    sender.peer_key.reset();
    receiver.our_key.reset();
  } else {
    out.replace_crypto = true;
    if (receiver.secure) {
      // Answering the receiver's offer: its tag and suite. Offering: the sender's suite.
      bool answering = role == Role::Answer && receiver.peer_key;
      SrtpSuite suite = answering         ? receiver.peer_key->suite
                        : sender.peer_key ? sender.peer_key->suite
                                          : SrtpSuite::AesCm128HmacSha1_80;
      if (!receiver.our_key || receiver.our_key->suite != suite) receiver.our_key = generate_key(suite);
      out.crypto.push_back(crypto_attribute(answering ? std::string_view(receiver.peer_tag) : "1", *receiver.our_key));
    } else {
      receiver.our_key.reset();
    }
  }
  send_leg(stream, from, relatch);
  send_leg(stream, to, false);
  return true;
}

void MediaEngine::end(std::string_view call_id, std::string_view reason) {
  auto it = sessions_.find(std::string(call_id));
  if (it == sessions_.end()) return;
  Session& session = it->second;
  for (StreamState& stream : session.streams) {
    if (stream.id == 0) continue;
    std::string call(call_id);
    std::string why(reason);
    thread_for(stream.id).remove(stream.id, [call, why](const Stream& s) {
      const LegCounters& a = s.legs[0].counters;
      const LegCounters& b = s.legs[1].counters;
      log::at(log::Level::Info, call, "media ended (", why, "): caller side ", a.packets_in, " packets in, ",
              a.packets_out, " out, ", a.dropped, " dropped, ", a.srtp_errors, " SRTP errors, ", a.srtcp_errors,
              " SRTCP errors; callee side ", b.packets_in, " in, ", b.packets_out, " out, ", b.dropped, " dropped, ",
              b.srtp_errors, " SRTP errors, ", b.srtcp_errors, " SRTCP errors");
    });
    for (int side = 0; side < 2; ++side) faces_[session.faces[side]].pool.give_back(stream.ports[side]);
    call_of_stream_.erase(stream.id);
  }
  sessions_.erase(it);
  ++totals_.sessions_ended;
}

void MediaEngine::on_idle(StreamId id) {
  auto it = call_of_stream_.find(id);
  if (it == call_of_stream_.end()) return;
  std::string call_id = it->second;
  ++totals_.sessions_timed_out;
  log::at(log::Level::Warn, call_id, "media: no packets for ", options_.idle_timeout.count(), " s");
  if (options_.on_timeout) options_.on_timeout(call_id);
  end(call_id, "media timeout");
}

MediaTotals MediaEngine::totals() const {
  MediaTotals t = totals_;
  for (const auto& thread : threads_) {
    const RelayTotals& r = thread->totals();
    t.packets_relayed += r.packets.load(std::memory_order_relaxed);
    t.bytes_relayed += r.bytes.load(std::memory_order_relaxed);
    t.packets_dropped += r.dropped.load(std::memory_order_relaxed);
    t.srtp_errors += r.srtp_errors.load(std::memory_order_relaxed);
    t.streams_open += r.streams.load(std::memory_order_relaxed);
  }
  return t;
}

}  // namespace sbc::media
