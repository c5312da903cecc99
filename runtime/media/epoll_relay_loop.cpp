// See epoll_relay_loop.h.
#include "media/epoll_relay_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sbc::media {
namespace {

int send_all(int fd, mmsghdr* messages, int count) {
  if (count == 1) {  // the common case at 50 packets/s per stream: one plain send
    const msghdr& m = messages[0].msg_hdr;
    return sendto(fd, m.msg_iov[0].iov_base, m.msg_iov[0].iov_len, MSG_DONTWAIT,
                  static_cast<const sockaddr*>(m.msg_name), m.msg_namelen) >= 0;
  }
  int sent = 0;
  int accepted = 0;
  while (sent < count) {
    int n = sendmmsg(fd, messages + sent, static_cast<unsigned>(count - sent), MSG_DONTWAIT);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      ++sent;  // the kernel refused this one (buffer full, unreachable): skip it, keep the rest
      continue;
    }
    sent += n;
    accepted += n;
  }
  return accepted;
}

}  // namespace

EpollRelayLoop::EpollRelayLoop(int wake_fd, RelayTotals& totals)
    : wake_fd_(wake_fd), totals_(totals), buffers_(kBatch) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "media thread: epoll");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up descriptor
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  for (int i = 0; i < kBatch; ++i) {
    received_iov_[i] = {buffers_[i].data(), kBufferSize};
    received_[i].msg_hdr.msg_iov = &received_iov_[i];
    received_[i].msg_hdr.msg_iovlen = 1;
    received_[i].msg_hdr.msg_name = &sources_[i];
    received_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
}

EpollRelayLoop::~EpollRelayLoop() {
  close(epoll_fd_);
}

void EpollRelayLoop::watch(Stream& stream) {
  for (int leg = 0; leg < 2; ++leg) {
    for (int rtcp = 0; rtcp < 2; ++rtcp) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.ptr = &stream.tags[leg][rtcp];
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, rtcp ? stream.legs[leg].rtcp_fd : stream.legs[leg].rtp_fd, &event);
    }
  }
}

void EpollRelayLoop::run_once(std::chrono::milliseconds timeout, const std::function<void()>& on_wake) {
  std::array<epoll_event, 64> events;
  int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(timeout.count()));
  now_ = std::chrono::steady_clock::now();
  // The wake-up counter is reset before the commands are read, so a command posted
  // meanwhile wakes the next round instead of being missed.
  for (int i = 0; i < n; ++i) {
    if (events[i].data.ptr != nullptr) continue;
    uint64_t count;
    [[maybe_unused]] ssize_t r = read(wake_fd_, &count, sizeof count);
    on_wake();
  }
  for (int i = 0; i < n; ++i) {
    if (events[i].data.ptr != nullptr) relay_from(*static_cast<const SocketTag*>(events[i].data.ptr));
  }
}

void EpollRelayLoop::relay_from(const SocketTag& tag) {
  Leg& in = tag.stream->legs[tag.leg];
  int fd = tag.rtcp ? in.rtcp_fd : in.rtp_fd;
  if (fd < 0) return;  // removed in this round
  // A few batches per event, then the other sockets get their turn (level-triggered).
  for (int round = 0; round < 4; ++round) {
    int n = recvmmsg(fd, received_.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    int out_fds[2] = {-1, -1};  // RTP and RTCP socket of the other leg, as relay_packet chose
    int counts[2] = {0, 0};
    uint64_t bytes = 0;
    for (int i = 0; i < n; ++i) {
      size_t length = received_[i].msg_len;
      // The source is checked even on a connected (latched) socket: a packet queued
      // before the connect() may come from anyone.
      transport::Endpoint source = transport::Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sources_[i]),
                                                                      received_[i].msg_hdr.msg_namelen);
      received_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);  // the kernel shrank it
      if (received_[i].msg_hdr.msg_flags & MSG_TRUNC) {             // larger than a buffer: not media
        totals_.dropped.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      Forward forward = relay_packet(tag, buffers_[i].data(), length, buffers_[i].size(), &source, now_, totals_);
      if (forward.dropped()) continue;
      int which = forward.rtcp ? 1 : 0;
      out_fds[which] = forward.fd;
      mmsghdr& message = which == 0 ? rtp_out_[counts[0]++] : rtcp_out_[counts[1]++];
      out_iov_[i] = {buffers_[i].data(), length};
      message.msg_hdr = {};
      message.msg_hdr.msg_iov = &out_iov_[i];
      message.msg_hdr.msg_iovlen = 1;
      message.msg_hdr.msg_name = forward.to ? const_cast<sockaddr*>(forward.to->sockaddr_ptr()) : nullptr;
      message.msg_hdr.msg_namelen = forward.to ? forward.to->sockaddr_len() : 0;
      bytes += length;
    }
    int sent = 0;
    if (counts[0]) sent += send_all(out_fds[0], rtp_out_.data(), counts[0]);
    if (counts[1]) sent += send_all(out_fds[1], rtcp_out_.data(), counts[1]);
    totals_.packets.fetch_add(static_cast<uint64_t>(sent), std::memory_order_relaxed);
    if (sent < counts[0] + counts[1]) {  // refused by the kernel (buffer full, unreachable)
      totals_.dropped.fetch_add(static_cast<uint64_t>(counts[0] + counts[1] - sent), std::memory_order_relaxed);
    }
    totals_.bytes.fetch_add(bytes, std::memory_order_relaxed);
    if (n < kBatch) return;
  }
}

}  // namespace sbc::media
