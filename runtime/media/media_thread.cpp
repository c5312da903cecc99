// See media_thread.h.
#include "media/media_thread.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

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
bool looks_like_rtp_or_rtcp(const uint8_t* packet, size_t length) { return length >= 8 && (packet[0] >> 6) == 2; }

}  // namespace

MediaThread::MediaThread(std::chrono::seconds idle_after, Idle idle)
    : idle_after_(idle_after), idle_(std::move(idle)), buffers_(kBatch) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "media thread");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up descriptor
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  for (int i = 0; i < kBatch; ++i) {
    received_iov_[i] = {buffers_[i].data(), kBufferSize};
    received_[i].msg_hdr.msg_iov = &received_iov_[i];
    received_[i].msg_hdr.msg_iovlen = 1;
    received_[i].msg_hdr.msg_name = &sources_[i];
  }
  now_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
}

MediaThread::~MediaThread() {
  stopping_ = true;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
  thread_.join();
  apply_commands();  // streams added after the last round still own sockets
  for (auto& [id, stream] : streams_) close_stream(*stream);
  close(wake_fd_);
  close(epoll_fd_);
}

void MediaThread::add(std::unique_ptr<Stream> stream) {
  Command c;
  c.kind = Command::Kind::Add;
  c.stream = std::move(stream);
  post(std::move(c));
}

void MediaThread::update(StreamId id, int leg, LegUpdate peer, bool relatch) {
  Command c;
  c.kind = Command::Kind::Update;
  c.id = id;
  c.leg = leg;
  c.peer = std::move(peer);
  c.relatch = relatch;
  post(std::move(c));
}

void MediaThread::remove(StreamId id, Finished finished) {
  Command c;
  c.kind = Command::Kind::Remove;
  c.id = id;
  c.finished = std::move(finished);
  post(std::move(c));
}

void MediaThread::post(Command command) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(command));
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void MediaThread::run() {
  std::array<epoll_event, 64> events;
  auto last_scan = now_;
  while (!stopping_) {
    int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 1000);
    now_ = std::chrono::steady_clock::now();
    // Commands first: a packet of this batch may need what the answer just told. The
    // wake-up counter is reset before the queue is read, so a command posted meanwhile
    // wakes the next round instead of being missed. A stream removed now still has
    // events in this batch, so it waits in removed_ (its sockets closed and set to -1,
    // so a reused descriptor number is never read for it).
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr != nullptr) continue;
      uint64_t count;
      [[maybe_unused]] ssize_t r = read(wake_fd_, &count, sizeof count);
      apply_commands();
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr != nullptr) relay_from(*static_cast<const SocketTag*>(events[i].data.ptr));
    }
    removed_.clear();
    if (now_ - last_scan >= std::chrono::seconds(1)) {
      last_scan = now_;
      report_idle_streams(now_);
    }
  }
}

void MediaThread::apply_commands() {
  std::vector<Command> commands;
  {
    std::lock_guard lock(mutex_);
    commands.swap(pending_);
  }
  for (auto& command : commands) apply(command);
}

void MediaThread::apply(Command& c) {
  switch (c.kind) {
    case Command::Kind::Add: {
      Stream& stream = *c.stream;
      stream.last_packet = now_;
      StreamId id = stream.id;
      streams_[id] = std::move(c.stream);
      watch(stream);
      totals_.streams.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    case Command::Kind::Update: {
      auto it = streams_.find(c.id);
      if (it == streams_.end()) return;
      Leg& leg = it->second->legs[c.leg];
      if (!c.peer.replace_srtp) {
        c.peer.unprotect = std::move(leg.peer.unprotect);
        c.peer.protect = std::move(leg.peer.protect);
      }
      leg.peer = std::move(c.peer);
      if (c.relatch) unlatch(leg);
      break;
    }
    case Command::Kind::Remove: {
      auto it = streams_.find(c.id);
      if (it == streams_.end()) return;
      close_stream(*it->second);
      if (c.finished) c.finished(*it->second);
      removed_.push_back(std::move(it->second));
      streams_.erase(it);
      totals_.streams.fetch_sub(1, std::memory_order_relaxed);
      break;
    }
  }
}

// The peer announced a new address: forget the latched one (and the connection).
void MediaThread::unlatch(Leg& leg) {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  if (leg.rtp_latched) connect(leg.rtp_fd, &unspecified, sizeof unspecified);
  if (leg.rtcp_latched) connect(leg.rtcp_fd, &unspecified, sizeof unspecified);
  leg.rtp_latched = leg.rtcp_latched = false;
}

void MediaThread::watch(Stream& stream) {
  for (int leg = 0; leg < 2; ++leg) {
    for (int rtcp = 0; rtcp < 2; ++rtcp) {
      SocketTag& tag = stream.tags[leg][rtcp];
      tag = {&stream, static_cast<uint8_t>(leg), rtcp == 1};
      int fd = rtcp ? stream.legs[leg].rtcp_fd : stream.legs[leg].rtp_fd;
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.ptr = &tag;
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    }
  }
}

void MediaThread::close_stream(Stream& stream) {
  for (Leg& leg : stream.legs) {
    if (leg.rtp_fd >= 0) close(leg.rtp_fd);  // closing also leaves the epoll set
    if (leg.rtcp_fd >= 0) close(leg.rtcp_fd);
    leg.rtp_fd = leg.rtcp_fd = -1;
  }
}

// `with_sources`: a latched (connected) socket only receives from its peer, so the
// kernel need not copy out where each datagram came from.
int MediaThread::receive_batch(int fd, bool with_sources) {
  for (int i = 0; i < kBatch; ++i) {
    received_[i].msg_hdr.msg_name = with_sources ? &sources_[i] : nullptr;
    received_[i].msg_hdr.msg_namelen = with_sources ? sizeof(sockaddr_storage) : 0;
    received_iov_[i].iov_len = kBufferSize;
  }
  return recvmmsg(fd, received_.data(), kBatch, MSG_DONTWAIT, nullptr);
}

namespace {

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

int send_all(int fd, mmsghdr* messages, int count) {
  if (count == 1) {  // the common case at 50 packets/s per stream: one plain send
    const msghdr& m = messages[0].msg_hdr;
    return sendto(fd, m.msg_iov[0].iov_base, m.msg_iov[0].iov_len, MSG_DONTWAIT,
                  static_cast<const sockaddr*>(m.msg_name), m.msg_namelen) >= 0;
  }
  int sent = 0;
  while (sent < count) {
    int n = sendmmsg(fd, messages + sent, static_cast<unsigned>(count - sent), MSG_DONTWAIT);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      ++sent;  // the kernel refused this one (buffer full, unreachable): skip it, keep the rest
      continue;
    }
    sent += n;
  }
  return sent;
}

}  // namespace

void MediaThread::relay_from(const SocketTag& tag) {
  Stream& stream = *tag.stream;
  Leg& in = stream.legs[tag.leg];
  Leg& out = stream.legs[1 - tag.leg];
  int fd = tag.rtcp ? in.rtcp_fd : in.rtp_fd;
  if (fd < 0) return;  // removed in this round
  // A few batches per event, then the other sockets get their turn (level-triggered).
  bool connected = tag.rtcp ? in.rtcp_latched : in.rtp_latched;
  for (int round = 0; round < 4; ++round) {
    int n = receive_batch(fd, !connected);
    if (n <= 0) return;
    int rtp_count = 0;
    int rtcp_count = 0;
    uint64_t bytes = 0;
    uint64_t dropped = 0;
    for (int i = 0; i < n; ++i) {
      uint8_t* packet = buffers_[i].data();
      size_t length = received_[i].msg_len;
      transport::Endpoint source;
      if (!connected) {
        source = transport::Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sources_[i]),
                                                    received_[i].msg_hdr.msg_namelen);
      }
      bool latch_now = false;
      if (!looks_like_rtp_or_rtcp(packet, length) ||
          (!connected && !from_latched_source(in, tag.rtcp, source, latch_now))) {
        ++dropped;
        continue;
      }
      bool rtcp = tag.rtcp || looks_like_rtcp(packet, length);
      if (in.peer.unprotect &&
          length < (rtcp ? in.peer.unprotect->min_rtcp_length() : in.peer.unprotect->min_rtp_length())) {
        ++dropped;  // too short to carry the suite's tag: not SRTP at all
        continue;
      }
      if (in.peer.unprotect && !(rtcp ? in.peer.unprotect->rtcp(packet, length) : in.peer.unprotect->rtp(packet, length))) {
        uint64_t& errors = rtcp ? in.counters.srtcp_errors : in.counters.srtp_errors;
        if (errors++ == 0) {  // the first of a stream says enough
          log::warn("media: ", rtcp ? "SRTCP" : "SRTP", " packet of ", length, " bytes from ",
                    (connected ? (tag.rtcp ? in.rtcp_source : in.rtp_source) : source).to_string(),
                    " failed authentication or replay check (stream ", stream.id, ")");
        }
        totals_.srtp_errors.fetch_add(1, std::memory_order_relaxed);
        ++dropped;
        continue;
      }
      if (latch_now) latch(in, tag.rtcp, source);
      ++in.counters.packets_in;
      in.counters.bytes_in += length;
      if (!out.peer.known) {  // the other side's SDP has not come yet: nowhere to send
        ++dropped;
        continue;
      }
      if (out.peer.protect && !(rtcp ? out.peer.protect->rtcp(packet, length) : out.peer.protect->rtp(packet, length))) {
        ++dropped;
        continue;
      }
      bool via_rtcp_socket = rtcp && !out.peer.rtcp_mux;
      const transport::Endpoint& to = via_rtcp_socket ? out.rtcp_destination() : out.rtp_destination();
      mmsghdr& message = via_rtcp_socket ? rtcp_out_[rtcp_count++] : rtp_out_[rtp_count++];
      out_iov_[i] = {packet, length};
      message.msg_hdr = {};
      message.msg_hdr.msg_iov = &out_iov_[i];
      message.msg_hdr.msg_iovlen = 1;
      bool connected = via_rtcp_socket ? out.rtcp_latched : out.rtp_latched;
      message.msg_hdr.msg_name = connected ? nullptr : const_cast<sockaddr*>(to.sockaddr_ptr());
      message.msg_hdr.msg_namelen = connected ? 0 : to.sockaddr_len();
      bytes += length;
    }
    int sent = 0;
    if (rtp_count) sent += send_all(out.rtp_fd, rtp_out_.data(), rtp_count);
    if (rtcp_count) sent += send_all(out.rtcp_fd, rtcp_out_.data(), rtcp_count);
    out.counters.packets_out += static_cast<uint64_t>(rtp_count + rtcp_count);
    out.counters.bytes_out += bytes;
    in.counters.dropped += dropped;
    if (rtp_count + rtcp_count) stream.last_packet = now_;
    totals_.packets.fetch_add(static_cast<uint64_t>(sent), std::memory_order_relaxed);
    totals_.bytes.fetch_add(bytes, std::memory_order_relaxed);
    if (dropped) totals_.dropped.fetch_add(dropped, std::memory_order_relaxed);
    if (n < kBatch) return;
  }
}

void MediaThread::report_idle_streams(std::chrono::steady_clock::time_point now) {
  if (idle_after_.count() == 0 || !idle_) return;
  for (auto& [id, stream] : streams_) {
    if (now - stream->last_packet < idle_after_) continue;
    stream->last_packet = now;  // reported once per idle period, not every second
    idle_(id);
  }
}

}  // namespace sbc::media
