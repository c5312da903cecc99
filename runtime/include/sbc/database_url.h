/* The MariaDB/MySQL location a policy names, `mysql://[USER@]HOST[:PORT]/DATABASE`
   (`mariadb://` alike; HOST a name, an IPv4 address or [IPv6]). Parsed by the compiler,
   which refuses a policy whose URL does not parse, and by the runtime, which connects
   with it: one reading for both. Header-only C++. */
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sbc {

struct DatabaseUrl {
  std::string user;  // empty: the client's default (the Unix user)
  std::string host;
  uint16_t port = 3306;
  std::string database;
};

// Nothing when `url` is not of that form; `why` then says what is wrong.
inline std::optional<DatabaseUrl> parse_database_url(std::string_view url, std::string& why) {
  DatabaseUrl out;
  for (std::string_view scheme : {"mysql://", "mariadb://"}) {
    if (url.starts_with(scheme)) url.remove_prefix(scheme.size());
  }
  size_t slash = url.find('/');
  if (slash == std::string_view::npos || slash + 1 == url.size()) {
    why = "no database name after the host (mysql://USER@HOST:PORT/DATABASE)";
    return std::nullopt;
  }
  out.database = std::string(url.substr(slash + 1));
  std::string_view authority = url.substr(0, slash);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    out.user = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      why = "an IPv6 host without its closing ]";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (rest.starts_with(':'))
      port = rest.substr(1);
    else if (!rest.empty()) {
      why = "unexpected text after the IPv6 host";
      return std::nullopt;
    }
  } else {
    size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) {
    why = "no host";
    return std::nullopt;
  }
  if (!port.empty() || authority.ends_with(':')) {
    unsigned value = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), value);
    if (r.ec != std::errc() || r.ptr != port.data() + port.size() || value == 0 || value > 65535) {
      why = "the port is not a number from 1 to 65535";
      return std::nullopt;
    }
    out.port = static_cast<uint16_t>(value);
  }
  if (out.database.find_first_of("/?#") != std::string::npos) {
    why = "the database name holds '/', '?' or '#'";
    return std::nullopt;
  }
  return out;
}

}  // namespace sbc
