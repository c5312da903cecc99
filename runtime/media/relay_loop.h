// The I/O half of a media thread: waits for packets on the sockets of the streams it
// watches, and relays each through relay_packet (packet_relay.h). Two implementations:
// io_uring (uring_relay_loop.h: multishot receives and batched sends, one system call per
// round for every socket) where the kernel allows it, and epoll with recvmmsg/sendmmsg
// (epoll_relay_loop.h) where it does not (old kernels, containers whose seccomp profile
// forbids io_uring).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "media/packet_relay.h"

namespace sbc::media {

enum class RelayIo { Auto, Uring, Epoll };

class RelayLoop {
 public:
  virtual ~RelayLoop() = default;
  // Start relaying what the stream's four sockets receive.
  virtual void watch(Stream& stream) = 0;
  // Stop, before the sockets are closed. The stream must outlive what the loop still
  // holds of it: until `stream.pending_receives` is 0.
  virtual void unwatch(Stream& stream) = 0;
  // Waits up to `timeout` for packets or the wake-up descriptor; runs `on_wake` first
  // when it fired (commands may change what the packets of this round need), then relays
  // what arrived.
  virtual void run_once(std::chrono::milliseconds timeout, const std::function<void()>& on_wake) = 0;
  virtual std::string_view name() const = 0;
};

// The loop `wanted` says on this thread, with `wake_fd` (an eventfd) as its wake-up;
// Auto: io_uring if the kernel offers what it needs, epoll otherwise.
std::unique_ptr<RelayLoop> make_relay_loop(RelayIo wanted, int wake_fd, RelayTotals& totals);

}  // namespace sbc::media
