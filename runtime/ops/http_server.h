// The policy's HTTP endpoint (the article's XHTTP listener), on the SIP event loop: a
// minimal HTTP/1.1 server for a scraper and an operator's curl. One request per
// connection (Connection: close), heads up to 8 kB, an optional bearer token; what each
// path answers comes from the handler (ops_endpoints.h).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <string>

#include "ops/http_request.h"
#include "sbc/abi.h"

namespace sbc::ops {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpServer {
 public:
  // A handler answers through `reply`, at once or later (a reload answers once the
  // tables are read); the connection waits for it.
  using Reply = std::function<void(HttpResponse)>;
  using Handler = std::function<void(const HttpRequest&, Reply)>;

  // `token` empty: no Authorization required.
  HttpServer(boost::asio::io_context& io, const sbc_http& config, std::string token, Handler handler);
  bool start(std::string& error);
  std::string address() const;

 private:
  void accept();
  void serve(std::shared_ptr<boost::asio::ip::tcp::socket> socket);
  static void respond(std::shared_ptr<boost::asio::ip::tcp::socket> socket, const HttpResponse& response);

  boost::asio::io_context& io_;
  const sbc_http& config_;
  std::string token_;
  Handler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

// The token the policy names (`token env "NAME"` or `token file "PATH"`); empty if none.
// False, with the reason, when it names one that cannot be read.
bool read_http_token(const sbc_http& config, std::string& token, std::string& error);

}  // namespace sbc::ops
