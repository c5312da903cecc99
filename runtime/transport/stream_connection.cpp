// See stream_connection.h.
#include "transport/stream_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include "ops/log.h"
#include "sip/stream_framing.h"

namespace sbc::transport {

namespace asio = boost::asio;
using asio::ip::tcp;

StreamConnection::StreamConnection(asio::io_context& io, uint32_t listener, asio::ssl::context* tls)
    : listener_(listener), plain_(io) {
  if (tls) tls_ = std::make_unique<asio::ssl::stream<tcp::socket>>(io, *tls);
}

tcp::socket& StreamConnection::socket() { return tls_ ? tls_->next_layer() : plain_; }

void StreamConnection::start_accepted(MessageHandler on_message, CloseHandler on_close) {
  on_message_ = std::move(on_message);
  on_close_ = std::move(on_close);
  boost::system::error_code ec;
  auto peer = socket().remote_endpoint(ec);
  if (!ec) remote_ = Endpoint::from_sockaddr(peer.data(), static_cast<socklen_t>(peer.size()));
  socket().set_option(tcp::no_delay(true), ec);
  if (tls_) return handshake(asio::ssl::stream_base::server);
  ready_ = true;
  read();
}

void StreamConnection::start_outgoing(const Endpoint& local, const Endpoint& remote, MessageHandler on_message,
                                      CloseHandler on_close) {
  on_message_ = std::move(on_message);
  on_close_ = std::move(on_close);
  remote_ = remote;
  boost::system::error_code ec;
  tcp::endpoint from(local.is_ipv6() ? tcp::v6() : tcp::v4(), 0);
  from.address(asio::ip::make_address(local.host_text(), ec));
  socket().open(from.protocol(), ec);
  if (!ec) socket().bind(from, ec);  // leave from the listener's address, as its Via says
  if (ec) return fail("bind", ec);
  tcp::endpoint to(asio::ip::make_address(remote.host_text(), ec), remote.port());
  socket().async_connect(to, [self = shared_from_this()](const boost::system::error_code& error) {
    if (error) return self->fail("connect", error);
    boost::system::error_code ignored;
    self->socket().set_option(tcp::no_delay(true), ignored);
    if (self->tls_) return self->handshake(asio::ssl::stream_base::client);
    self->ready_ = true;
    self->write_next();
    self->read();
  });
}

void StreamConnection::handshake(asio::ssl::stream_base::handshake_type type) {
  tls_->async_handshake(type, [self = shared_from_this()](const boost::system::error_code& error) {
    if (error) return self->fail("TLS handshake", error);
    self->ready_ = true;
    self->write_next();
    self->read();
  });
}

void StreamConnection::read() {
  if (closed_) return;
  if (inbox_.size() < inbox_used_ + kReadChunk) inbox_.resize(inbox_used_ + kReadChunk);
  auto buffer = asio::buffer(inbox_.data() + inbox_used_, kReadChunk);
  auto handler = [self = shared_from_this()](const boost::system::error_code& error, size_t bytes) {
    if (error) return self->fail("read", error);
    self->on_read(bytes);
  };
  if (tls_) {
    tls_->async_read_some(buffer, handler);
  } else {
    plain_.async_read_some(buffer, handler);
  }
}

void StreamConnection::on_read(size_t bytes) {
  last_activity_ = std::chrono::steady_clock::now();
  inbox_used_ += bytes;
  size_t consumed = 0;
  while (!closed_) {
    std::string_view pending(inbox_.data() + consumed, inbox_used_ - consumed);
    sip::StreamFrame frame = sip::frame_stream_message(pending);
    if (frame.status == sip::FrameStatus::NeedMore) break;
    if (frame.status == sip::FrameStatus::Error) {
      log::warn("closing connection from ", remote_.to_string(), ": ", frame.error_reason);
      close();
      return;
    }
    if (frame.status == sip::FrameStatus::Message) on_message_(pending.substr(0, frame.length), *this);
    if (frame.status == sip::FrameStatus::KeepAlive && frame.is_ping) send("\r\n");  // RFC 5626 pong
    consumed += frame.length;
  }
  // Keep the unconsumed tail at the front of the buffer for the next read.
  inbox_.erase(0, consumed);
  inbox_used_ -= consumed;
  read();
}

void StreamConnection::send(std::string_view data) {
  if (closed_) return;
  last_activity_ = std::chrono::steady_clock::now();
  outbox_.emplace_back(data);
  if (ready_ && !writing_) write_next();
}

void StreamConnection::write_next() {
  if (closed_ || writing_ || outbox_.empty()) return;
  writing_ = true;
  auto handler = [self = shared_from_this()](const boost::system::error_code& error, size_t) {
    self->writing_ = false;
    if (error) return self->fail("write", error);
    self->outbox_.pop_front();
    self->write_next();
  };
  if (tls_) {
    asio::async_write(*tls_, asio::buffer(outbox_.front()), handler);
  } else {
    asio::async_write(plain_, asio::buffer(outbox_.front()), handler);
  }
}

void StreamConnection::fail(const char* what, const boost::system::error_code& ec) {
  if (closed_) return;
  if (ec != asio::error::eof && ec != asio::error::operation_aborted) {
    log::debug("connection ", remote_.to_string(), ": ", what, " failed: ", ec.message());
  }
  close();
}

void StreamConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
  if (on_close_) on_close_(*this);
}

}  // namespace sbc::transport
