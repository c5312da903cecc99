// See packet_relay.h.
#include "media/packet_relay.h"

#include <sys/socket.h>

#include "media/rtcp_privacy.h"
#include "ops/log.h"

namespace sbc::media {
namespace {

// RFC 5761 §4: with RTP and RTCP on one port, RTCP is told apart by its packet type,
// which falls where an RTP payload type (with the marker bit) would be 64..95.
bool looks_like_rtcp(const uint8_t* packet, size_t length) {
  if (length < 2) return false;
  uint8_t type = packet[1] & 0x7f;
  return type >= 64 && type <= 95;
}

// RTP and RTCP both start with version 2; anything else is not media.
bool looks_like_rtp_or_rtcp(const uint8_t* packet, size_t length) {
  return length >= 8 && (packet[0] >> 6) == 2;
}

// The source of a packet from a leg's peer is acceptable: the latched one, or, before
// anything was latched, whichever comes first (latched by the caller once the packet
// proved good, so a forged SRTP packet cannot claim the stream).
bool from_latched_source(const Leg& leg, bool rtcp_socket, const transport::Endpoint& source, bool& latch_now) {
  bool latched = rtcp_socket ? leg.rtcp_latched : leg.rtp_latched;
  const transport::Endpoint& known = rtcp_socket ? leg.rtcp_source : leg.rtp_source;
  latch_now = !latched;
  return !latched || known == source;
}

// The socket is also connected to the latched source: the kernel then drops other
// senders before they cost a wake-up, and sends to the peer skip the route lookup.
void latch(Leg& leg, bool rtcp_socket, const transport::Endpoint& source) {
  connect(rtcp_socket ? leg.rtcp_fd : leg.rtp_fd, source.sockaddr_ptr(), source.sockaddr_len());
  if (rtcp_socket) {
    leg.rtcp_source = source;
    leg.rtcp_latched = true;
  } else {
    leg.rtp_source = source;
    leg.rtp_latched = true;
  }
}

Forward drop(Leg& in, RelayTotals& totals) {
  ++in.counters.dropped;
  totals.dropped.fetch_add(1, std::memory_order_relaxed);
  return {};
}

// SRTP from the peer that fails authentication or the replay check: counted, and the
// first of a stream logged (one says enough; a flood of them must not flood the log).
Forward reject_srtp(const Stream& stream, Leg& in, bool rtcp, size_t length, const transport::Endpoint& from,
                    RelayTotals& totals) {
  uint64_t& errors = rtcp ? in.counters.srtcp_errors : in.counters.srtp_errors;
  if (errors++ == 0) {
    log::warn("media: ", rtcp ? "SRTCP" : "SRTP", " packet of ", length, " bytes from ", from.to_string(),
              " failed authentication or replay check (stream ", stream.id, ")");
  }
  totals.srtp_errors.fetch_add(1, std::memory_order_relaxed);
  return drop(in, totals);
}

}  // namespace

void unlatch(Leg& leg) {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  if (leg.rtp_latched) connect(leg.rtp_fd, &unspecified, sizeof unspecified);
  if (leg.rtcp_latched) connect(leg.rtcp_fd, &unspecified, sizeof unspecified);
  leg.rtp_latched = leg.rtcp_latched = false;
}

Forward relay_packet(const SocketTag& tag, uint8_t* packet, size_t& length, size_t room,
                     const transport::Endpoint* source, std::chrono::steady_clock::time_point now,
                     RelayTotals& totals) {
  Stream& stream = *tag.stream;
  Leg& in = stream.legs[tag.leg];
  Leg& out = stream.legs[1 - tag.leg];
  bool latch_now = false;
  if (!looks_like_rtp_or_rtcp(packet, length) || (source && !from_latched_source(in, tag.rtcp, *source, latch_now))) {
    return drop(in, totals);
  }
  bool rtcp = tag.rtcp || looks_like_rtcp(packet, length);
  if (SrtpSession* unprotect = in.peer.unprotect.get()) {
    if (length < (rtcp ? unprotect->min_rtcp_length() : unprotect->min_rtp_length())) {
      return drop(in, totals);  // too short to carry the suite's tag: not SRTP at all
    }
    if (!(rtcp ? unprotect->rtcp(packet, length) : unprotect->rtp(packet, length))) {
      const transport::Endpoint& from = source ? *source : (tag.rtcp ? in.rtcp_source : in.rtp_source);
      return reject_srtp(stream, in, rtcp, length, from, totals);
    }
  }
  if (latch_now) latch(in, tag.rtcp, *source);
  // RTCP the relay can read (plain, or decrypted just now) loses what it says of its
  // sender; SRTCP passed through end to end cannot be read, nor changed.
  if (rtcp && (!in.peer.secure || in.peer.unprotect)) anonymize_sdes(packet, length);
  ++in.counters.packets_in;
  in.counters.bytes_in += length;
  if (!out.peer.known) return drop(in, totals);  // the other side's SDP has not come yet
  if (SrtpSession* protect = out.peer.protect.get()) {
    if (length + SrtpSession::kMaxTrailer > room) return drop(in, totals);
    if (!(rtcp ? protect->rtcp(packet, length) : protect->rtp(packet, length))) return drop(in, totals);
  }
  bool via_rtcp_socket = rtcp && !out.peer.rtcp_mux;
  bool connected = via_rtcp_socket ? out.rtcp_latched : out.rtp_latched;
  ++out.counters.packets_out;
  out.counters.bytes_out += length;
  stream.last_packet = now;
  return {via_rtcp_socket ? out.rtcp_fd : out.rtp_fd, static_cast<uint8_t>(1 - tag.leg), via_rtcp_socket,
          connected ? nullptr : (via_rtcp_socket ? &out.rtcp_destination() : &out.rtp_destination())};
}

}  // namespace sbc::media
