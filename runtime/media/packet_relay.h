// What happens to one packet a media socket received, whichever I/O loop received it
// (epoll_relay_loop.h, uring_relay_loop.h): checked (RTP version, latched source, SRTP
// authentication), transformed in place (SRTP unprotect/protect) and either dropped or
// handed back with the socket and address to send it from and to.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "media/relay_stream.h"

namespace sbc::media {

// Totals of one thread, read by the metrics endpoint from any thread.
struct RelayTotals {
  std::atomic<uint64_t> packets{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> srtp_errors{0};
  std::atomic<uint64_t> streams{0};
};

// Where a packet goes: `fd` -1 means dropped; otherwise the socket of leg `leg` (its
// RTCP socket when `rtcp`) it leaves from. `to` is null when that socket is connected to
// the peer (latched), which is where the packet goes then.
struct Forward {
  int fd = -1;
  uint8_t leg = 0;
  bool rtcp = false;
  const transport::Endpoint* to = nullptr;
  bool dropped() const { return fd < 0; }
};

// The packet of `length` bytes at `packet` (with `room` bytes writable from `packet`,
// for an SRTP trailer) arrived on the socket `tag` names, from `source` (null: the socket
// is connected to its latched peer, so it came from there). Updates the legs' counters
// and, for a forwarded packet, `length` and the stream's last-packet time.
Forward relay_packet(const SocketTag& tag, uint8_t* packet, size_t& length, size_t room,
                     const transport::Endpoint* source, std::chrono::steady_clock::time_point now, RelayTotals& totals);

// The peer announced a new address: forget the latched one (and the connection).
void unlatch(Leg& leg);

}  // namespace sbc::media
