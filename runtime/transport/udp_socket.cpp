// See udp_socket.h.
#include "transport/udp_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sbc::transport {

std::unique_ptr<UdpSocket> UdpSocket::open(boost::asio::io_context& io, const Endpoint& bind, std::string& error) {
  int fd = ::socket(bind.is_ipv6() ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  // Large buffers absorb bursts; Kamailio's failures in the anchor run were drops here.
  int buffer = 8 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  if (::bind(fd, bind.sockaddr_ptr(), bind.sockaddr_len()) != 0) {
    error = std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<UdpSocket>(new UdpSocket(io, fd, bind));
}

UdpSocket::UdpSocket(boost::asio::io_context& io, int fd, const Endpoint& local)
    : socket_(io), local_(local), buffers_(kBatch * kMaxDatagram) {
  socket_.assign(local.is_ipv6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), fd);
}

void UdpSocket::start(Handler handler) {
  handler_ = std::move(handler);
  wait_readable();
}

void UdpSocket::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpSocket::wait_readable() {
  socket_.async_wait(boost::asio::ip::udp::socket::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;  // closed
    drain();
    wait_readable();
  });
}

void UdpSocket::drain() {
  mmsghdr messages[kBatch];
  iovec vectors[kBatch];
  sockaddr_storage sources[kBatch];
  // Bounded, so one busy socket cannot starve the others or the timers.
  for (int round = 0; round < 8; ++round) {
    for (size_t i = 0; i < kBatch; ++i) {
      vectors[i] = {buffers_.data() + i * kMaxDatagram, kMaxDatagram};
      messages[i].msg_hdr = {};
      messages[i].msg_hdr.msg_name = &sources[i];
      messages[i].msg_hdr.msg_namelen = sizeof sources[i];
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int n = ::recvmmsg(socket_.native_handle(), messages, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i) {
      Endpoint source = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&sources[i]), messages[i].msg_hdr.msg_namelen);
      handler_(std::string_view(buffers_.data() + i * kMaxDatagram, messages[i].msg_len), source);
    }
    if (static_cast<size_t>(n) < kBatch) return;
  }
}

bool UdpSocket::send_to(std::string_view data, const Endpoint& destination) {
  ssize_t sent = ::sendto(socket_.native_handle(), data.data(), data.size(), MSG_DONTWAIT, destination.sockaddr_ptr(),
                          destination.sockaddr_len());
  if (sent == static_cast<ssize_t>(data.size())) return true;
  ++send_errors_;
  return false;
}

}  // namespace sbc::transport
