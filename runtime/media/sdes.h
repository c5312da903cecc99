// SDES keying of SRTP (RFC 4568): the crypto suites the relay speaks and the master key
// and salt carried inline in "a=crypto" attributes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "media/sdp.h"

namespace sbc::media {

enum class SrtpSuite { AesCm128HmacSha1_80, AesCm128HmacSha1_32, AeadAes128Gcm };

struct SrtpKey {
  SrtpSuite suite = SrtpSuite::AesCm128HmacSha1_80;
  std::array<uint8_t, 30> material{};  // master key then master salt
  size_t length = 0;                   // 30 for AES-CM (16 + 14), 28 for AES-GCM (16 + 12)
};

std::optional<SrtpSuite> suite_from_name(std::string_view name);
std::string_view suite_name(SrtpSuite suite);
size_t key_length(SrtpSuite suite);

// The key of a crypto attribute whose suite the relay supports, or nothing (unknown
// suite, bad base64, wrong length, or a key with a lifetime or MKI, which this relay
// does not implement).
std::optional<SrtpKey> parse_key(const sdp::Crypto& crypto);

// A fresh key from the system's CSPRNG.
SrtpKey generate_key(SrtpSuite suite);

// The value of an "a=crypto" attribute: "TAG SUITE inline:BASE64".
std::string crypto_attribute(std::string_view tag, const SrtpKey& key);

}  // namespace sbc::media
