// See sdes.h.
#include "media/sdes.h"

#include <algorithm>
#include <cstdlib>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace sbc::media {

std::optional<SrtpSuite> suite_from_name(std::string_view name) {
  if (name == "AES_CM_128_HMAC_SHA1_80") return SrtpSuite::AesCm128HmacSha1_80;
  if (name == "AES_CM_128_HMAC_SHA1_32") return SrtpSuite::AesCm128HmacSha1_32;
  if (name == "AEAD_AES_128_GCM") return SrtpSuite::AeadAes128Gcm;
  return std::nullopt;
}

std::string_view suite_name(SrtpSuite suite) {
  switch (suite) {
    case SrtpSuite::AesCm128HmacSha1_80: return "AES_CM_128_HMAC_SHA1_80";
    case SrtpSuite::AesCm128HmacSha1_32: return "AES_CM_128_HMAC_SHA1_32";
    case SrtpSuite::AeadAes128Gcm: return "AEAD_AES_128_GCM";
  }
  return "";
}

size_t key_length(SrtpSuite suite) { return suite == SrtpSuite::AeadAes128Gcm ? 28 : 30; }

std::optional<SrtpKey> parse_key(const sdp::Crypto& crypto) {
  auto suite = suite_from_name(crypto.suite);
  if (!suite) return std::nullopt;
  std::string_view text = crypto.key_params.substr(7);  // after "inline:"
  if (text.find('|') != std::string_view::npos) return std::nullopt;
  // Base64 of 30 or 28 bytes is 40 characters (with padding for 28).
  if (text.size() != 40) return std::nullopt;
  uint8_t decoded[32];
  int n = EVP_DecodeBlock(decoded, reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = (text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0);
  size_t length = static_cast<size_t>(n) - padding;
  if (length != key_length(*suite)) return std::nullopt;
  SrtpKey key;
  key.suite = *suite;
  key.length = length;
  std::copy(decoded, decoded + length, key.material.begin());
  return key;
}

SrtpKey generate_key(SrtpSuite suite) {
  SrtpKey key;
  key.suite = suite;
  key.length = key_length(suite);
  if (RAND_bytes(key.material.data(), static_cast<int>(key.length)) != 1) std::abort();  // no entropy: never guess
  return key;
}

std::string crypto_attribute(std::string_view tag, const SrtpKey& key) {
  unsigned char encoded[48];
  int n = EVP_EncodeBlock(encoded, key.material.data(), static_cast<int>(key.length));
  std::string out(tag);
  out += ' ';
  out.append(suite_name(key.suite));
  out += " inline:";
  out.append(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
  return out;
}

}  // namespace sbc::media
