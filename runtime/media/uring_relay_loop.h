// The relay loop on io_uring: every socket has one multishot receive in the kernel that
// fills buffers from a ring the kernel picks from, and every packet to pass on becomes a
// send queued in the same ring. One io_uring_enter per round submits the sends of the
// last round and collects what arrived since, so a round of hundreds of packets costs one
// system call instead of two per packet (epoll_relay_loop.h).
//
// A buffer's life: the kernel fills it (receive completion), relay_packet transforms it
// in place, a send reads it, and its send completion hands it back to the ring. A
// dropped packet's buffer goes back at once.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "media/relay_loop.h"

namespace sbc::media {

class UringRelayLoop final : public RelayLoop {
 public:
  // Throws std::runtime_error when the kernel lacks a feature it needs (io_uring itself,
  // provided-buffer rings, multishot recvmsg: Linux 6.0), so the caller can use epoll.
  // Must be made on the thread that runs it (the ring has a single issuer).
  UringRelayLoop(int wake_fd, RelayTotals& totals);
  ~UringRelayLoop() override;
  UringRelayLoop(const UringRelayLoop&) = delete;
  UringRelayLoop& operator=(const UringRelayLoop&) = delete;

  void watch(Stream& stream) override;
  void unwatch(Stream& stream) override;
  void run_once(std::chrono::milliseconds timeout, const std::function<void()>& on_wake) override;
  std::string_view name() const override { return "io_uring"; }

 private:
  // A completion's user_data: a SocketTag pointer (8-byte aligned) or a buffer index
  // shifted left, with the kind in the low two bits.
  enum Kind : uint64_t { kReceive = 0, kSend = 1, kWake = 2, kCancel = 3 };
  // A power of two, as the kernel asks. Buffers are taken in ring order, so all of them
  // cycle through the cache: few enough to stay there, enough for a round's packets
  // (a receive that finds none waits for the next round, its packets queued in the
  // socket meanwhile).
  static constexpr unsigned kBuffers = 1024;
  // Registered-file slots, four per stream (a stream beyond them uses plain descriptors):
  // a send on a registered socket skips the kernel's descriptor look-up.
  static constexpr unsigned kFixedFiles = 16384;
  // Room for a round's completions (receives, sends); more wait in the kernel.
  static constexpr unsigned kCompletions = 16384;
  // Room for the kernel's io_uring_recvmsg_out, the source address, a full-size
  // datagram and the SRTP trailer added in place.
  static constexpr size_t kBufferSize = 2048 + 64 + SrtpSession::kMaxTrailer;
  static constexpr int kBufferGroup = 0;

  static constexpr uint8_t kMaxReceiveErrors = 16;

  void release();
  void set_up_ring();
  void set_up_buffers();
  void check_multishot_receive();
  io_uring_sqe* next_sqe();
  void register_files(Stream& stream);
  void unregister_files(Stream& stream);
  // Points `sqe` at socket (`leg`, `rtcp`) of `stream`: its registered slot, or `fd`.
  static void target(io_uring_sqe* sqe, const Stream& stream, int leg, bool rtcp, int fd);
  void arm_receive(SocketTag& tag);
  void arm_wake();
  void wake(const std::function<void()>& on_wake);
  void on_receive(const io_uring_cqe& cqe);
  void relay(SocketTag& tag, unsigned buffer, int received);
  void on_send(const io_uring_cqe& cqe);
  void give_back(unsigned buffer);
  uint8_t* buffer(unsigned index) { return buffers_.get() + size_t{index} * kBufferSize; }
  void drain();

  int wake_fd_;
  RelayTotals& totals_;
  io_uring ring_{};
  bool ring_ready_ = false;
  io_uring_buf_ring* buffer_ring_ = nullptr;
  std::unique_ptr<uint8_t[]> buffers_;
  unsigned given_back_ = 0;    // buffers added to the ring this round, made visible at its end
  msghdr receive_template_{};  // what each multishot receive reports: the source, no control
  struct SendSlot {            // a send with an explicit destination: the kernel reads these
    msghdr header;
    iovec data;
    sockaddr_storage to;
  };
  std::vector<SendSlot> send_slots_;  // one per buffer
  bool files_registered_ = false;
  std::vector<int> free_file_slots_;  // first slot of each free group of four
  uint64_t wake_count_ = 0;
  int in_kernel_ = 0;                // receives, sends and the wake-up read the kernel still holds
  std::vector<SocketTag*> starved_;  // receives stopped for want of buffers, re-armed after the round
  std::chrono::steady_clock::time_point now_;
};

}  // namespace sbc::media
