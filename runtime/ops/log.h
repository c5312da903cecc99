// Process-wide logging: one line per event on stderr, `time LEVEL [call-id] message`.
// The level is set once at start-up; a disabled level costs one comparison.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace sbc::log {

enum class Level : uint8_t { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level level);
// One JSON object per line ({"time","level","call_id","message"}) instead of text.
void set_json(bool json);
Level level();
bool parse_level(std::string_view text, Level& out);
inline bool enabled(Level l) { return l >= level(); }

// Writes one complete line (a single write(2), so lines never interleave).
void write(Level l, std::string_view call_id, std::string_view message);

inline void append(std::string& out, std::string_view text) { out.append(text); }
inline void append(std::string& out, const char* text) { out.append(text); }
inline void append(std::string& out, const std::string& text) { out.append(text); }
inline void append(std::string& out, char c) { out.push_back(c); }
template <typename T>
  requires std::is_integral_v<T>
void append(std::string& out, T value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

// log::at(Level::Info, call_id, "forwarded to ", host, ":", port)
template <typename... Parts>
void at(Level l, std::string_view call_id, const Parts&... parts) {
  if (!enabled(l)) return;
  std::string line;
  (append(line, parts), ...);
  write(l, call_id, line);
}

template <typename... Parts>
void debug(const Parts&... parts) { at(Level::Debug, {}, parts...); }
template <typename... Parts>
void info(const Parts&... parts) { at(Level::Info, {}, parts...); }
template <typename... Parts>
void warn(const Parts&... parts) { at(Level::Warn, {}, parts...); }
template <typename... Parts>
void error(const Parts&... parts) { at(Level::Error, {}, parts...); }

}  // namespace sbc::log
