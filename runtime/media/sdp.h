// SDP (RFC 8866) as a media relay needs it: the lines of a session description read
// zero-copy (views into the SIP body), with what each media section says about where
// its media goes, and a rewrite into the description the other side must see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbc::media::sdp {

struct Line {
  char type = 0;           // 'v', 'o', 'c', 'm', 'a', …
  std::string_view value;  // after "x=", without the line end
};

// "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEY[|lifetime][|mki:len] [params]" (RFC 4568).
struct Crypto {
  std::string_view tag;
  std::string_view suite;
  std::string_view key_params;  // "inline:…" (the first one)
};

struct Media {
  std::string_view type;  // "audio", "video", …
  uint16_t port = 0;      // 0: the stream is rejected or disabled
  std::string_view proto;  // "RTP/AVP", "RTP/SAVP", …
  std::string_view formats;
  std::string_view connection;  // media-level c= address, empty when the session's applies
  std::string_view direction;   // "sendrecv", "sendonly", "recvonly", "inactive" or empty
  uint16_t rtcp_port = 0;       // a=rtcp, 0 when absent
  bool rtcp_mux = false;
  std::vector<Crypto> crypto;
  size_t first_line = 0;  // the m= line, index into Session::lines
  size_t end_line = 0;    // one past its last line

  bool is_rtp() const { return proto.starts_with("RTP/") || proto.starts_with("UDP/TLS/RTP/"); }
  bool is_secure() const { return proto.find("SAVP") != std::string_view::npos; }
};

struct Session {
  std::vector<Line> lines;
  std::string_view origin_address;  // o= unicast address
  std::string_view connection;      // session-level c= address
  std::vector<Media> media;

  // Where a media section's media is sent to: its own c= or the session's.
  std::string_view address_of(const Media& m) const { return m.connection.empty() ? connection : m.connection; }
};

// Reads `body` into `out` (views into `body`; reuse is fine). False, with a reason in
// `error`, when it is not an SDP a relay can work with.
bool parse(std::string_view body, Session& out, std::string& error);

// What the relayed copy of one media section says instead.
struct MediaRewrite {
  bool keep = false;  // copy the section unchanged (not relayed)
  uint16_t port = 0;  // RTP port of the relay; RTCP is port + 1 unless rtcp-mux
  std::string_view proto;  // empty: unchanged
  // Crypto attributes: unchanged when `replace_crypto` is false, else these lines'
  // values ("1 AES_CM_128_HMAC_SHA1_80 inline:…") instead of the received ones.
  bool replace_crypto = false;
  std::vector<std::string> crypto;
};

struct Rewrite {
  std::string_view address;  // the relay's (advertised) address on the receiving side
  bool ipv6 = false;
  std::vector<MediaRewrite> media;  // one per Session::media, same order
};

// The description the other side sees: origin and connection addresses, media ports,
// a=rtcp, crypto and proto as `plan` says; ICE attributes removed (the relay is not an
// ICE agent); a=ssrc cnames replaced by the relay's token (rtcp_privacy.h); a connection
// address of 0.0.0.0 (hold, RFC 2543) kept; everything else
// (formats, direction, …) as received.
std::string rewrite(const Session& session, const Rewrite& plan);

}  // namespace sbc::media::sdp
