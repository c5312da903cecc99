// See http_request.h.
#include "ops/http_request.h"

#include <charconv>

#include "sip/ascii.h"

namespace sbc::ops {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<HttpRequest> parse_http_request(std::string_view head) {
  size_t end = head.find("\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view line = head.substr(0, end);
  size_t first = line.find(' ');
  size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || !line.substr(second + 1).starts_with("HTTP/1.")) return std::nullopt;
  HttpRequest request;
  request.method = std::string(line.substr(0, first));
  std::string_view target = line.substr(first + 1, second - first - 1);
  if (target.empty() || target.front() != '/') return std::nullopt;
  request.path = std::string(target.substr(0, target.find('?')));
  head.remove_prefix(end + 2);
  while (!head.empty()) {
    end = head.find("\r\n");
    std::string_view field = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view{} : head.substr(end + 2);
    size_t colon = field.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(field.substr(0, colon));
    std::string_view value = trim(field.substr(colon + 1));
    if (sip::iequals(name, "authorization")) request.authorization = std::string(value);
    if (sip::iequals(name, "content-length")) std::from_chars(value.data(), value.data() + value.size(), request.content_length);
  }
  return request;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty() || authorization.size() != kScheme.size() + token.size()) return false;
  if (!sip::iequals(authorization.substr(0, kScheme.size()), kScheme)) return false;
  unsigned char differ = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    differ |= static_cast<unsigned char>(authorization[kScheme.size() + i] ^ token[i]);
  }
  return differ == 0;
}

}  // namespace sbc::ops
