// See srtp_session.h.
#include "media/srtp_session.h"

#include <srtp2/srtp.h>

#include <algorithm>
#include <mutex>

namespace sbc::media {
namespace {

void initialise_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { srtp_init(); });
}

void set_policy(const SrtpKey& key, srtp_policy_t& policy) {
  switch (key.suite) {
    case SrtpSuite::AesCm128HmacSha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case SrtpSuite::AesCm128HmacSha1_32:
      // RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag with the _32 suite.
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case SrtpSuite::AeadAes128Gcm:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      break;
  }
}

}  // namespace

std::unique_ptr<SrtpSession> SrtpSession::create(const SrtpKey& key, Direction direction, std::string& error) {
  initialise_library_once();
  srtp_policy_t policy{};
  set_policy(key, policy);
  policy.ssrc.type = direction == Direction::Protect ? ssrc_any_outbound : ssrc_any_inbound;
  // libsrtp reads the key and salt from one buffer; it does not keep the pointer.
  uint8_t material[32]{};
  std::copy(key.material.begin(), key.material.begin() + static_cast<long>(key.length), material);
  policy.key = material;
  policy.window_size = 128;
  policy.allow_repeat_tx = 1;  // a peer's retransmitted packet relayed twice is not an attack
  srtp_t context = nullptr;
  srtp_err_status_t status = srtp_create(&context, &policy);
  if (status != srtp_err_status_ok) {
    error = "libsrtp2 refused the key (status " + std::to_string(static_cast<int>(status)) + ")";
    return nullptr;
  }
  size_t rtp_tag = key.suite == SrtpSuite::AesCm128HmacSha1_32 ? 4 : key.suite == SrtpSuite::AeadAes128Gcm ? 16 : 10;
  size_t rtcp_tag = key.suite == SrtpSuite::AeadAes128Gcm ? 16 : 10;
  return std::unique_ptr<SrtpSession>(new SrtpSession(context, direction, rtp_tag, rtcp_tag));
}

SrtpSession::~SrtpSession() { srtp_dealloc(static_cast<srtp_t>(context_)); }

bool SrtpSession::rtp(uint8_t* packet, size_t& length) {
  int n = static_cast<int>(length);
  srtp_err_status_t status = direction_ == Direction::Protect
                                 ? srtp_protect(static_cast<srtp_t>(context_), packet, &n)
                                 : srtp_unprotect(static_cast<srtp_t>(context_), packet, &n);
  if (status != srtp_err_status_ok) return false;
  length = static_cast<size_t>(n);
  return true;
}

bool SrtpSession::rtcp(uint8_t* packet, size_t& length) {
  int n = static_cast<int>(length);
  srtp_err_status_t status = direction_ == Direction::Protect
                                 ? srtp_protect_rtcp(static_cast<srtp_t>(context_), packet, &n)
                                 : srtp_unprotect_rtcp(static_cast<srtp_t>(context_), packet, &n);
  if (status != srtp_err_status_ok) return false;
  length = static_cast<size_t>(n);
  return true;
}

}  // namespace sbc::media
