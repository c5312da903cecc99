// See uring_relay_loop.h.
#include "media/uring_relay_loop.h"

#include <netinet/in.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "ops/log.h"

namespace sbc::media {
namespace {

[[noreturn]] void unavailable(const char* what, int error) {
  throw std::runtime_error(std::string("io_uring: ") + what + ": " + std::strerror(error));
}

uint64_t tag_data(const SocketTag& tag) {
  return reinterpret_cast<uint64_t>(&tag) | 0;
}

}  // namespace

UringRelayLoop::UringRelayLoop(int wake_fd, RelayTotals& totals)
    : wake_fd_(wake_fd), totals_(totals), send_slots_(kBuffers) {
  try {
    set_up_ring();
    set_up_buffers();
    check_multishot_receive();
  } catch (...) {  // the destructor does not run for a half-made loop
    release();
    throw;
  }
  // Without registered files (an old kernel, a low descriptor limit) sends look the
  // descriptor up each time: slower, not wrong.
  files_registered_ = io_uring_register_files_sparse(&ring_, kFixedFiles) == 0;
  if (files_registered_) {
    for (int slot = kFixedFiles - 4; slot >= 0; slot -= 4) free_file_slots_.push_back(slot);
  }
  arm_wake();
}

UringRelayLoop::~UringRelayLoop() {
  if (ring_ready_) drain();
  release();
}

void UringRelayLoop::release() {
  if (ring_ready_) {
    // Synchronously, so the sockets are closed (their ports free) when this returns,
    // not whenever the kernel gets round to freeing the ring.
    if (files_registered_) io_uring_unregister_files(&ring_);
    io_uring_queue_exit(&ring_);
    ring_ready_ = false;
  }
  if (buffer_ring_) munmap(buffer_ring_, kBuffers * sizeof(io_uring_buf));
  buffer_ring_ = nullptr;
}

// Task work (the copies into receive buffers) deferred to the moment this thread asks for
// completions batches it with the round; kernels before 6.1 lack that, and get the rest.
void UringRelayLoop::set_up_ring() {
  io_uring_params params{};
  params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
  params.cq_entries = kCompletions;
  int r = io_uring_queue_init_params(1024, &ring_, &params);
  if (r == -EINVAL) {
    params = {};
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN;
    params.cq_entries = kCompletions;
    r = io_uring_queue_init_params(1024, &ring_, &params);
  }
  if (r < 0) unavailable("set-up", -r);
  ring_ready_ = true;
  io_uring_register_ring_fd(&ring_);  // spares the kernel a descriptor look-up per round
}

void UringRelayLoop::set_up_buffers() {
  size_t ring_bytes = kBuffers * sizeof(io_uring_buf);
  void* memory = mmap(nullptr, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (memory == MAP_FAILED) unavailable("buffer ring", errno);
  buffer_ring_ = static_cast<io_uring_buf_ring*>(memory);
  io_uring_buf_reg registration{};
  registration.ring_addr = reinterpret_cast<uint64_t>(memory);
  registration.ring_entries = kBuffers;
  registration.bgid = kBufferGroup;
  if (int r = io_uring_register_buf_ring(&ring_, &registration, 0); r < 0) unavailable("buffer ring", -r);
  buffers_ = std::make_unique<uint8_t[]>(kBuffers * kBufferSize);
  buffer_ring_->tail = 0;
  for (unsigned i = 0; i < kBuffers; ++i) give_back(i);
  io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(given_back_));
  given_back_ = 0;
  receive_template_.msg_namelen = sizeof(sockaddr_in6);
}

// Multishot recvmsg came in Linux 6.0, after buffer rings (5.19): ask for one on a
// socket with nothing to read and cancel it; a kernel without it fails the request.
void UringRelayLoop::check_multishot_receive() {
  int probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) unavailable("probe socket", errno);
  SocketTag tag{};
  io_uring_sqe* sqe = next_sqe();
  io_uring_prep_recvmsg_multishot(sqe, probe, &receive_template_, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufferGroup;
  io_uring_sqe_set_data64(sqe, tag_data(tag));
  io_uring_prep_cancel64(next_sqe(), tag_data(tag), 0);
  io_uring_submit(&ring_);
  int result = 0;
  for (int seen = 0; seen < 2;) {
    io_uring_cqe* cqe = nullptr;
    if (int r = io_uring_wait_cqe(&ring_, &cqe); r < 0) {
      close(probe);
      unavailable("probe", -r);
    }
    if (cqe->user_data == tag_data(tag)) result = cqe->res;
    io_uring_cqe_seen(&ring_, cqe);
    ++seen;
  }
  close(probe);
  if (result != -ECANCELED) unavailable("multishot recvmsg", result < 0 ? -result : EINVAL);
}

io_uring_sqe* UringRelayLoop::next_sqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  while (!sqe) {  // the submission queue is full: hand it to the kernel now
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  return sqe;
}

void UringRelayLoop::register_files(Stream& stream) {
  if (free_file_slots_.empty()) return;
  int fds[4] = {stream.legs[0].rtp_fd, stream.legs[0].rtcp_fd, stream.legs[1].rtp_fd, stream.legs[1].rtcp_fd};
  int slot = free_file_slots_.back();
  if (io_uring_register_files_update(&ring_, static_cast<unsigned>(slot), fds, 4) != 4) return;
  free_file_slots_.pop_back();
  stream.fixed_files = slot;
}

// Sends queued for the stream are submitted first: its slots may be given to another
// stream in this round, and a queued send must not leave through that one's socket.
void UringRelayLoop::unregister_files(Stream& stream) {
  if (stream.fixed_files < 0) return;
  io_uring_submit(&ring_);
  int none[4] = {-1, -1, -1, -1};
  io_uring_register_files_update(&ring_, static_cast<unsigned>(stream.fixed_files), none, 4);
  free_file_slots_.push_back(stream.fixed_files);
  stream.fixed_files = -1;
}

void UringRelayLoop::target(io_uring_sqe* sqe, const Stream& stream, int leg, bool rtcp, int fd) {
  if (stream.fixed_files < 0) {
    sqe->fd = fd;
    return;
  }
  sqe->fd = stream.fixed_files + leg * 2 + (rtcp ? 1 : 0);
  sqe->flags |= IOSQE_FIXED_FILE;
}

void UringRelayLoop::arm_receive(SocketTag& tag) {
  Leg& leg = tag.stream->legs[tag.leg];
  int fd = tag.rtcp ? leg.rtcp_fd : leg.rtp_fd;
  if (fd < 0) return;
  io_uring_sqe* sqe = next_sqe();
  io_uring_prep_recvmsg_multishot(sqe, fd, &receive_template_, 0);
  target(sqe, *tag.stream, tag.leg, tag.rtcp, fd);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufferGroup;
  io_uring_sqe_set_data64(sqe, tag_data(tag));
  ++tag.stream->pending_receives;
  ++in_kernel_;
}

void UringRelayLoop::arm_wake() {
  io_uring_sqe* sqe = next_sqe();
  io_uring_prep_read(sqe, wake_fd_, &wake_count_, sizeof wake_count_, 0);
  io_uring_sqe_set_data64(sqe, kWake);
  ++in_kernel_;
}

void UringRelayLoop::watch(Stream& stream) {
  register_files(stream);
  for (auto& leg_tags : stream.tags) {
    for (SocketTag& tag : leg_tags) arm_receive(tag);
  }
}

// Each receive ends with a completion without IORING_CQE_F_MORE (-ECANCELED), which is
// when the stream's pending_receives drops; the sockets may be closed meanwhile, the
// requests hold their own references.
void UringRelayLoop::unwatch(Stream& stream) {
  // Receives queued for the stream (added and removed in one batch of commands) reach
  // the kernel now, holding their sockets, before the descriptors are closed and their
  // numbers given to other sockets.
  io_uring_submit(&ring_);
  for (auto& leg_tags : stream.tags) {
    for (SocketTag& tag : leg_tags) {
      io_uring_sqe* sqe = next_sqe();
      io_uring_prep_cancel64(sqe, tag_data(tag), 0);
      io_uring_sqe_set_data64(sqe, kCancel);
      sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
    }
  }
  unregister_files(stream);
}

void UringRelayLoop::run_once(std::chrono::milliseconds timeout, const std::function<void()>& on_wake) {
  __kernel_timespec wait{};
  wait.tv_sec = timeout.count() / 1000;
  wait.tv_nsec = (timeout.count() % 1000) * 1000000;
  io_uring_cqe* first = nullptr;
  io_uring_submit_and_wait_timeout(&ring_, &first, 1, &wait, nullptr);
  now_ = std::chrono::steady_clock::now();
  constexpr unsigned kBatch = 256;
  io_uring_cqe* cqes[kBatch];
  for (;;) {
    unsigned n = io_uring_peek_batch_cqe(&ring_, cqes, kBatch);
    if (n == 0) break;
    // The wake-up first: the commands it brings may change what these packets need.
    for (unsigned i = 0; i < n; ++i) {
      if (cqes[i]->user_data == kWake) wake(on_wake);
    }
    for (unsigned i = 0; i < n; ++i) {
      const io_uring_cqe& cqe = *cqes[i];
      switch (cqe.user_data & 3) {
        case kReceive:
          on_receive(cqe);
          break;
        case kSend:
          on_send(cqe);
          break;
        case kWake:
          break;  // handled above
        case kCancel:
          break;  // a cancel that found nothing: the receive ended already
      }
    }
    io_uring_cq_advance(&ring_, n);
    if (n < kBatch) break;
  }
  io_uring_buf_ring_advance(buffer_ring_, static_cast<int>(given_back_));
  given_back_ = 0;
  std::vector<SocketTag*> starved;
  starved.swap(starved_);
  for (SocketTag* tag : starved) arm_receive(*tag);
}

// Sends already queued go to the kernel before the commands run: a removed stream's
// descriptors are closed by them, and their numbers may come back for another stream
// in the same batch of commands.
void UringRelayLoop::wake(const std::function<void()>& on_wake) {
  --in_kernel_;
  io_uring_submit(&ring_);
  on_wake();
  arm_wake();
}

void UringRelayLoop::on_receive(const io_uring_cqe& cqe) {
  SocketTag& tag = *reinterpret_cast<SocketTag*>(cqe.user_data);
  bool more = cqe.flags & IORING_CQE_F_MORE;
  if (cqe.flags & IORING_CQE_F_BUFFER) relay(tag, cqe.flags >> IORING_CQE_BUFFER_SHIFT, cqe.res);
  if (more) return;
  --in_kernel_;
  --tag.stream->pending_receives;
  Leg& leg = tag.stream->legs[tag.leg];
  if ((tag.rtcp ? leg.rtcp_fd : leg.rtp_fd) < 0) return;  // unwatched: the cancel's own end
  // Ended by the kernel: out of buffers (re-armed once some came back), or an error the
  // socket reported (an ICMP port unreachable on a connected socket): armed again, but
  // not for ever on an error that comes back at once.
  if (cqe.res == -ENOBUFS) {
    starved_.push_back(&tag);
  } else if (cqe.res < 0 && ++tag.receive_errors >= kMaxReceiveErrors) {
    log::error("media: stream ", tag.stream->id, ": receiving stopped on a socket after ", int{tag.receive_errors},
               " errors in a row (last: ", std::strerror(-cqe.res), ")");
  } else {
    arm_receive(tag);
  }
}

void UringRelayLoop::relay(SocketTag& tag, unsigned index, int received) {
  uint8_t* base = buffer(index);
  Leg& in = tag.stream->legs[tag.leg];
  io_uring_recvmsg_out* header = received > 0 ? io_uring_recvmsg_validate(base, received, &receive_template_) : nullptr;
  tag.receive_errors = 0;
  if (!header || (header->flags & MSG_TRUNC) || (tag.rtcp ? in.rtcp_fd : in.rtp_fd) < 0) {
    give_back(index);  // too large for a buffer, or its stream is gone
    return;
  }
  auto* packet = static_cast<uint8_t*>(io_uring_recvmsg_payload(header, &receive_template_));
  size_t length = io_uring_recvmsg_payload_length(header, received, &receive_template_);
  // A packet received before its socket latched and connected is read after: the
  // source is always checked, not assumed from the connection.
  transport::Endpoint source =
      transport::Endpoint::from_sockaddr(static_cast<const sockaddr*>(io_uring_recvmsg_name(header)), header->namelen);
  Forward forward =
      relay_packet(tag, packet, length, static_cast<size_t>(base + kBufferSize - packet), &source, now_, totals_);
  if (forward.dropped()) {
    give_back(index);
    return;
  }
  io_uring_sqe* sqe = next_sqe();
  if (forward.to) {
    SendSlot& slot = send_slots_[index];
    std::memcpy(&slot.to, forward.to->sockaddr_ptr(), forward.to->sockaddr_len());
    slot.data = {packet, length};
    slot.header = {};
    slot.header.msg_name = &slot.to;
    slot.header.msg_namelen = forward.to->sockaddr_len();
    slot.header.msg_iov = &slot.data;
    slot.header.msg_iovlen = 1;
    io_uring_prep_sendmsg(sqe, forward.fd, &slot.header, MSG_DONTWAIT);
  } else {
    io_uring_prep_send(sqe, forward.fd, packet, length, MSG_DONTWAIT);
  }
  target(sqe, *tag.stream, forward.leg, forward.rtcp, forward.fd);
  io_uring_sqe_set_data64(sqe, (uint64_t{index} << 2) | kSend);
  ++in_kernel_;
}

// A send refused (socket buffer full, ICMP unreachable) loses that packet only: media
// is better dropped than queued behind its own lateness.
void UringRelayLoop::on_send(const io_uring_cqe& cqe) {
  --in_kernel_;
  if (cqe.res >= 0) {
    totals_.packets.fetch_add(1, std::memory_order_relaxed);
    totals_.bytes.fetch_add(static_cast<uint64_t>(cqe.res), std::memory_order_relaxed);
  } else {
    totals_.dropped.fetch_add(1, std::memory_order_relaxed);
  }
  give_back(static_cast<unsigned>(cqe.user_data >> 2));
}

void UringRelayLoop::give_back(unsigned index) {
  io_uring_buf_ring_add(buffer_ring_, buffer(index), kBufferSize, static_cast<unsigned short>(index),
                        io_uring_buf_ring_mask(kBuffers), static_cast<int>(given_back_++));
}

// Before the ring and the buffers go: every request cancelled and its end collected, so
// the kernel writes into no buffer after it is freed.
void UringRelayLoop::drain() {
  io_uring_sqe* sqe = next_sqe();
  io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
  io_uring_sqe_set_data64(sqe, kCancel);
  io_uring_submit(&ring_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (in_kernel_ > 0 && std::chrono::steady_clock::now() < deadline) {
    __kernel_timespec wait{0, 100 * 1000000};
    io_uring_cqe* cqe = nullptr;
    if (io_uring_wait_cqe_timeout(&ring_, &cqe, &wait) < 0) continue;
    uint64_t kind = cqe->user_data & 3;
    if (kind == kWake || kind == kSend || (kind == kReceive && !(cqe->flags & IORING_CQE_F_MORE))) --in_kernel_;
    io_uring_cqe_seen(&ring_, cqe);
  }
}

}  // namespace sbc::media
