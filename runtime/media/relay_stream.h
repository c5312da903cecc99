// What a media thread holds for one relayed media stream (one m= line of a call): two
// legs, each with the relay's RTP and RTCP sockets on its face and what is known of the
// peer on that face. Owned and touched only by its media thread; the control side sends
// it changes as LegUpdate commands (media_thread.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "media/srtp_session.h"
#include "transport/endpoint.h"

namespace sbc::media {

using StreamId = uint64_t;

struct LegCounters {
  uint64_t packets_in = 0;   // received from this leg's peer and accepted
  uint64_t bytes_in = 0;
  uint64_t packets_out = 0;  // sent to this leg's peer
  uint64_t bytes_out = 0;
  uint64_t dropped = 0;       // from an address other than the latched one
  uint64_t srtp_errors = 0;   // RTP packets that failed authentication or replay
  uint64_t srtcp_errors = 0;  // RTCP packets that did
};

// What the control side knows of a leg's peer and keys, from the SDP it sent.
struct LegUpdate {
  bool known = false;        // the peer's SDP has been seen: media can be sent to it
  transport::Endpoint rtp;   // where the peer said it receives RTP
  transport::Endpoint rtcp;  // and RTCP (== rtp with rtcp-mux)
  bool rtcp_mux = false;
  bool secure = false;  // the peer speaks SRTP (decrypted here only with `unprotect`)
  // The keys changed: the sessions below replace the leg's. Otherwise the leg keeps its
  // own, whose rollover counters and replay windows must survive a re-INVITE.
  bool replace_srtp = false;
  std::unique_ptr<SrtpSession> unprotect;  // packets from the peer; null: plain RTP
  std::unique_ptr<SrtpSession> protect;    // packets to the peer; null: plain RTP
};

struct Leg {
  int rtp_fd = -1;
  int rtcp_fd = -1;
  LegUpdate peer;
  // Symmetric latching: the first packet's source becomes where this leg's media goes
  // (a peer behind NAT sends from somewhere else than its SDP says); packets from any
  // other source are then dropped, so nobody can take the stream over.
  bool rtp_latched = false;
  bool rtcp_latched = false;
  transport::Endpoint rtp_source;
  transport::Endpoint rtcp_source;
  LegCounters counters;

  const transport::Endpoint& rtp_destination() const { return rtp_latched ? rtp_source : peer.rtp; }
  const transport::Endpoint& rtcp_destination() const {
    if (peer.rtcp_mux) return rtp_destination();
    return rtcp_latched ? rtcp_source : peer.rtcp;
  }
};

// Which socket of which stream an I/O event is for.
struct SocketTag {
  struct Stream* stream = nullptr;
  uint8_t leg = 0;
  bool rtcp = false;
  uint8_t receive_errors = 0;  // io_uring: receives ended by an error since the last packet
};

struct Stream {
  StreamId id = 0;
  Leg legs[2];
  SocketTag tags[2][2];  // [leg][rtcp]
  std::chrono::steady_clock::time_point last_packet;
  int pending_receives = 0;  // receives the I/O loop still has in the kernel (io_uring)
  int fixed_files = -1;      // io_uring: first of its sockets' registered-file slots, or -1
};

}  // namespace sbc::media
