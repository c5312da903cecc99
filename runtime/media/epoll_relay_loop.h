// The portable relay loop: epoll over every socket, recvmmsg to read what one socket has
// and sendmmsg (or one sendto) to pass it on. Two system calls per packet at 50
// packets/s per stream, since each socket rarely has more than one packet waiting; the
// io_uring loop does better where it can run.
#pragma once

#include <sys/socket.h>

#include <array>
#include <vector>

#include "media/relay_loop.h"

namespace sbc::media {

class EpollRelayLoop final : public RelayLoop {
 public:
  EpollRelayLoop(int wake_fd, RelayTotals& totals);
  ~EpollRelayLoop() override;
  void watch(Stream& stream) override;
  void unwatch(Stream&) override {}  // closing a socket takes it out of the epoll set
  void run_once(std::chrono::milliseconds timeout, const std::function<void()>& on_wake) override;
  std::string_view name() const override { return "epoll"; }

 private:
  static constexpr int kBatch = 32;
  static constexpr size_t kBufferSize = 2048;

  void relay_from(const SocketTag& tag);

  int epoll_fd_ = -1;
  int wake_fd_;
  RelayTotals& totals_;
  std::chrono::steady_clock::time_point now_;
  // Batch state, reused for every receive: packets are transformed in place.
  std::vector<std::array<uint8_t, kBufferSize + SrtpSession::kMaxTrailer>> buffers_;
  std::array<mmsghdr, kBatch> received_{};
  std::array<iovec, kBatch> received_iov_{};
  std::array<sockaddr_storage, kBatch> sources_{};
  std::array<mmsghdr, kBatch> rtp_out_{};
  std::array<mmsghdr, kBatch> rtcp_out_{};
  std::array<iovec, kBatch> out_iov_{};
};

}  // namespace sbc::media
