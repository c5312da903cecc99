// One direction of SRTP on one leg (libsrtp2): unprotect what a peer sends with the key
// it announced, or protect what the relay sends with the key the relay announced.
// Packets are transformed in place in the relay's receive buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "media/sdes.h"

namespace sbc::media {

class SrtpSession {
 public:
  enum class Direction { Protect, Unprotect };
  // Room a protected packet needs past its plain length (authentication tag).
  static constexpr size_t kMaxTrailer = 16 + 128;

  // nullptr, with the library's reason in `error`, when the key is refused.
  static std::unique_ptr<SrtpSession> create(const SrtpKey& key, Direction direction, std::string& error);
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  // `length` is updated; the buffer must have kMaxTrailer bytes of room past it to protect.
  // False when the packet is refused (authentication, replay, malformed): drop it.
  bool rtp(uint8_t* packet, size_t& length);
  bool rtcp(uint8_t* packet, size_t& length);

  // The shortest packet that can be SRTP / SRTCP of this suite (header, index, tag):
  // anything shorter is not worth a decryption attempt.
  size_t min_rtp_length() const { return 12 + rtp_tag_; }
  size_t min_rtcp_length() const { return 8 + 4 + rtcp_tag_; }

 private:
  SrtpSession(void* context, Direction direction, size_t rtp_tag, size_t rtcp_tag)
      : context_(context), direction_(direction), rtp_tag_(rtp_tag), rtcp_tag_(rtcp_tag) {}
  void* context_;  // srtp_t
  Direction direction_;
  size_t rtp_tag_;
  size_t rtcp_tag_;
};

}  // namespace sbc::media
