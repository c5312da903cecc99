// A DURATION token of the language ("250ms", "30s", "5m", "1h") in milliseconds; one
// reading for every place durations appear (probes, refresh, limits).
#pragma once

#include <cstdint>
#include <string_view>

namespace sbcc {

// Saturates instead of overflowing; a text without a unit reads as seconds.
inline uint64_t duration_ms(std::string_view text) {
  size_t digits = text.find_first_not_of("0123456789");
  if (digits == std::string_view::npos) digits = text.size();
  uint64_t value = 0;
  for (char c : text.substr(0, digits)) {
    uint64_t next = value * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != value) return UINT64_MAX;
    value = next;
  }
  std::string_view unit = text.substr(digits);
  uint64_t scale = unit == "ms" ? 1 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : 1000;
  return value > UINT64_MAX / scale ? UINT64_MAX : value * scale;
}

}  // namespace sbcc
