// JSON string literals for the logs and the HTTP endpoint (RFC 8259 §7): quotes,
// backslashes and control characters escaped, everything else (UTF-8 included) as is.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace sbc::ops {

inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace sbc::ops
