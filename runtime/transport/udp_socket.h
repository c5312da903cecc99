// A bound UDP socket on the event loop. Readiness comes from Boost.Asio; datagrams are
// drained in batches with recvmmsg(2) into buffers allocated once, so receiving costs
// no allocation and one syscall per batch.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "transport/endpoint.h"

namespace sbc::transport {

class UdpSocket {
 public:
  // Called once per datagram; `datagram` is valid only during the call.
  using Handler = std::function<void(std::string_view datagram, const Endpoint& source)>;

  // Opens and binds; returns null and sets `error` (e.g. address in use) on failure.
  static std::unique_ptr<UdpSocket> open(boost::asio::io_context& io, const Endpoint& bind, std::string& error);

  void start(Handler handler);
  void close();
  // Best effort, like UDP itself; false (and counted) if the kernel refused it.
  bool send_to(std::string_view data, const Endpoint& destination);
  const Endpoint& local() const { return local_; }
  uint64_t send_errors() const { return send_errors_; }

 private:
  UdpSocket(boost::asio::io_context& io, int fd, const Endpoint& local);
  void wait_readable();
  void drain();

  static constexpr size_t kBatch = 16;
  static constexpr size_t kMaxDatagram = 65536;

  boost::asio::ip::udp::socket socket_;
  Endpoint local_;
  Handler handler_;
  std::vector<char> buffers_;
  uint64_t send_errors_ = 0;
};

}  // namespace sbc::transport
