// One TCP or TLS connection carrying SIP: reads are framed by Content-Length
// (sip::frame_stream_message) into whole messages; writes are queued and sent in order.
// Owned by the ConnectionTable; every callback runs on the event loop thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "transport/endpoint.h"

namespace sbc::transport {

class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
 public:
  using MessageHandler = std::function<void(std::string_view message, StreamConnection& connection)>;
  using CloseHandler = std::function<void(StreamConnection& connection)>;

  // `tls` null: plain TCP.
  StreamConnection(boost::asio::io_context& io, uint32_t listener, boost::asio::ssl::context* tls);

  boost::asio::ip::tcp::socket& socket();
  // An accepted connection: TLS handshake (as server) if any, then reading.
  void start_accepted(MessageHandler on_message, CloseHandler on_close);
  // An outgoing connection from `local` (port 0: any) to `remote`; what was queued with
  // send() goes out once connected.
  void start_outgoing(const Endpoint& local, const Endpoint& remote, MessageHandler on_message, CloseHandler on_close);
  void send(std::string_view data);
  void close();

  uint32_t listener() const { return listener_; }
  const Endpoint& remote() const { return remote_; }
  std::chrono::steady_clock::time_point last_activity() const { return last_activity_; }
  bool is_tls() const { return tls_ != nullptr; }

 private:
  void handshake(boost::asio::ssl::stream_base::handshake_type type);
  void read();
  void on_read(size_t bytes);
  void write_next();
  void fail(const char* what, const boost::system::error_code& ec);

  static constexpr size_t kReadChunk = 16384;

  uint32_t listener_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  boost::asio::ip::tcp::socket plain_;
  Endpoint remote_;
  std::string inbox_;
  size_t inbox_used_ = 0;
  std::deque<std::string> outbox_;
  bool ready_ = false;    // connected (and handshaken): writes may go
  bool writing_ = false;
  bool closed_ = false;
  MessageHandler on_message_;
  CloseHandler on_close_;
  std::chrono::steady_clock::time_point last_activity_ = std::chrono::steady_clock::now();
};

}  // namespace sbc::transport
