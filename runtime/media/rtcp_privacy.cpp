// See rtcp_privacy.h.
#include "media/rtcp_privacy.h"

#include <random>

namespace sbc::media {
namespace {

constexpr uint8_t kSdes = 202;  // RFC 3550 §6.5

uint64_t process_key() {
  static const uint64_t key = [] {
    std::random_device random;
    return (uint64_t{random()} << 32) ^ random();
  }();
  return key;
}

// FNV-1a over the key and the text: unlinkable enough for a display token, and cheap.
uint64_t mix(uint64_t seed, const uint8_t* text, size_t length) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (size_t i = 0; i < length; ++i) h = (h ^ text[i]) * 1099511628211ull;
  return h;
}

void fill(uint8_t* out, const uint8_t* original, size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t h = mix(process_key(), original, length);
  for (size_t i = 0; i < length; ++i) {
    if (i % 16 == 0 && i) h = mix(h, reinterpret_cast<const uint8_t*>(&i), sizeof i);
    out[i] = static_cast<uint8_t>(kHex[(h >> (4 * (i % 16))) & 15]);
  }
}

}  // namespace

std::string anonymized(std::string_view text) {
  std::string out(text.size(), '\0');
  fill(reinterpret_cast<uint8_t*>(out.data()), reinterpret_cast<const uint8_t*>(text.data()), text.size());
  return out;
}

void anonymize_sdes(uint8_t* packet, size_t length) {
  size_t offset = 0;
  while (offset + 4 <= length && (packet[offset] >> 6) == 2) {
    size_t end = offset + (((size_t{packet[offset + 2]} << 8) | packet[offset + 3]) + 1) * 4;
    if (end > length) return;
    if (packet[offset + 1] == kSdes) {
      size_t pos = offset + 4;
      for (unsigned chunk = packet[offset] & 0x1f; chunk > 0 && pos + 4 <= end; --chunk) {
        pos += 4;                                // the SSRC/CSRC the items describe
        while (pos < end && packet[pos] != 0) {  // items up to the null one
          if (pos + 2 > end) return;
          size_t item = packet[pos + 1];
          if (pos + 2 + item > end) return;
          uint8_t original[255];
          std::copy(packet + pos + 2, packet + pos + 2 + item, original);
          fill(packet + pos + 2, original, item);
          pos += 2 + item;
        }
        pos = (pos + 4) & ~size_t{3};  // the null item, then padding to 32 bits
      }
    }
    offset = end;
  }
}

}  // namespace sbc::media
