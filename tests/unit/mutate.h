// Deterministic mutation fuzzing for the parsers' unit tests: a few random edits of
// a real message (bytes changed, cut, duplicated, interesting separators inserted), so
// that a fixed seed gives the same thousands of malformed inputs on every run.
#pragma once

#include <random>
#include <string>
#include <string_view>

namespace sbc::testing {

inline std::string mutate(std::string text, std::mt19937& rng) {
  const std::string_view interesting[] = {"\r\n", "\n", " ", "\t", ":", ";", ",", "<", ">", "\"",
                                          "\\", "\0", "\r", "[", "]", "%", "=", "9999999999",
                                          "Content-Length: 5\r\n", "\r\n "};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    const size_t at = text.empty() ? 0 : rng() % text.size();
    switch (rng() % 6) {
      case 0:
        if (!text.empty()) text[at] = static_cast<char>(rng() & 0xff);
        break;
      case 1:
        if (!text.empty()) text.erase(at, 1 + rng() % 8);
        break;
      case 2: {
        const std::string_view piece = interesting[rng() % std::size(interesting)];
        text.insert(at, piece.empty() ? std::string_view("\0", 1) : piece);
        break;
      }
      case 3:
        text.resize(at);
        break;
      case 4:
        if (!text.empty()) text.insert(at, text.substr(rng() % text.size(), 1 + rng() % 40));
        break;
      default:
        if (!text.empty()) text[at] = static_cast<char>(text[at] ^ (1 << (rng() % 8)));
        break;
    }
  }
  return text;
}

}  // namespace sbc::testing
