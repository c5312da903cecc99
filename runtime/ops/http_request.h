// An HTTP/1.1 request head as the ops endpoint reads it (RFC 9112): method, target and the
// two headers it looks at. Nothing else of HTTP is needed to serve /metrics and friends.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sbc::ops {

struct HttpRequest {
  std::string method;
  std::string path;           // the target without its query
  std::string authorization;  // the Authorization header's value, if any
  size_t content_length = 0;
};

// Parses the head (through the empty line). Nothing when it is not an HTTP/1.x request.
std::optional<HttpRequest> parse_http_request(std::string_view head);

// True when `authorization` is "Bearer TOKEN" (constant-time compare of the token).
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace sbc::ops
