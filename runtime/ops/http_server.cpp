// See http_server.h.
#include "ops/http_server.h"

#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

#include "ops/log.h"
#include "transport/endpoint.h"

namespace sbc::ops {
namespace {

constexpr size_t kMaxHead = 8192;

std::string_view reason_of(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
  }
  return "Unknown";
}

std::string serialize(const HttpResponse& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(reason_of(r.status)) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (r.status == 401) out += "WWW-Authenticate: Bearer\r\n";
  out += "Connection: close\r\n\r\n";
  out += r.body;
  return out;
}

}  // namespace

HttpServer::HttpServer(boost::asio::io_context& io, const sbc_http& config, std::string token, Handler handler)
    : io_(io), config_(config), token_(std::move(token)), handler_(std::move(handler)), acceptor_(io) {}

std::string HttpServer::address() const {
  return transport::Endpoint::from_abi(config_.address, static_cast<uint16_t>(config_.port)).to_string();
}

bool HttpServer::start(std::string& error) {
  auto endpoint = transport::Endpoint::from_abi(config_.address, static_cast<uint16_t>(config_.port));
  boost::asio::ip::tcp::endpoint bind_to;
  bind_to.resize(endpoint.sockaddr_len());
  std::memcpy(bind_to.data(), endpoint.sockaddr_ptr(), endpoint.sockaddr_len());
  boost::system::error_code ec;
  acceptor_.open(bind_to.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(bind_to, ec);
  if (!ec) acceptor_.listen(64, ec);
  if (ec) {
    error = "cannot serve HTTP on " + endpoint.to_string() + ": " + ec.message();
    return false;
  }
  accept();
  return true;
}

void HttpServer::accept() {
  auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io_);
  acceptor_.async_accept(*socket, [this, socket](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (!ec) serve(socket);
    accept();
  });
}

void HttpServer::serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket) {
  auto buffer = std::make_shared<boost::asio::streambuf>(kMaxHead);
  boost::asio::async_read_until(*socket, *buffer, "\r\n\r\n", [this, socket, buffer](
                                                                   const boost::system::error_code& ec, size_t head) {
    std::string text(boost::asio::buffers_begin(buffer->data()), boost::asio::buffers_begin(buffer->data()) + (ec ? 0 : head));
    auto request = ec ? std::nullopt : parse_http_request(text);
    if (!request) {
      respond(socket, {400, "text/plain; charset=utf-8", "not an HTTP/1.1 request\n"});
    } else if (!token_.empty() && !bearer_matches(request->authorization, token_)) {
      respond(socket, {401, "text/plain; charset=utf-8", "a bearer token is required\n"});
    } else {
      handler_(*request, [socket](HttpResponse response) { respond(socket, response); });
    }
  });
}

void HttpServer::respond(std::shared_ptr<boost::asio::ip::tcp::socket> socket, const HttpResponse& response) {
  auto out = std::make_shared<std::string>(serialize(response));
  boost::asio::async_write(*socket, boost::asio::buffer(*out), [socket, out](const boost::system::error_code&, size_t) {
    boost::system::error_code ignored;
    socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  });
}

bool read_http_token(const sbc_http& config, std::string& token, std::string& error) {
  std::string_view source = config.token_source ? config.token_source : "";
  std::string name = config.token_name ? config.token_name : "";
  if (source == "env") {
    const char* value = std::getenv(name.c_str());
    if (!value || !*value) {
      error = "the HTTP token's environment variable " + name + " is not set";
      return false;
    }
    token = value;
  } else if (source == "file") {
    std::ifstream file(name);
    if (!file || !std::getline(file, token) || token.empty()) {
      error = "cannot read the HTTP token from " + name;
      return false;
    }
  }
  return true;
}

}  // namespace sbc::ops
