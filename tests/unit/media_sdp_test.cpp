// SDP parse and rewrite (runtime/media/sdp.h) over bodies as real user agents send them.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "media/sdp.h"
#include "mutate.h"

namespace sbc::media::sdp {
namespace {

// SIPp 3.6's built-in UAC offer.
constexpr std::string_view kSipp =
    "v=0\r\n"
    "o=user1 53655765 2353687637 IN IP4 127.0.0.40\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.40\r\n"
    "t=0 0\r\n"
    "m=audio 6000 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

// baresip 1.0 with mediaenc=srtp-mand (SDES), trimmed of codecs.
constexpr std::string_view kBaresipSrtp =
    "v=0\r\n"
    "o=- 1413813431 3281209946 IN IP4 127.0.0.40\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.40\r\n"
    "t=0 0\r\n"
    "m=audio 10372 RTP/SAVP 0 8 101\r\n"
    "b=AS:64\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=sendrecv\r\n"
    "a=rtcp-mux\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Yx8JvTZbMuMkE7U5vOq2JRlUjCNE7CsWkXkeyPo7\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:sPwOY5nuqyS2RJGcPA9xqa3PTmxRPzgUGaUs3UmS\r\n"
    "a=ssrc:2473215373 cname:a6ef6c1b\r\n";

// Audio and video, a media-level connection, ICE, an explicit a=rtcp, a rejected stream.
constexpr std::string_view kWebrtcLike =
    "v=0\n"
    "o=- 4611731400430051336 2 IN IP4 192.0.2.10\n"
    "s=-\n"
    "t=0 0\n"
    "a=ice-options:trickle\n"
    "m=audio 49170 RTP/AVP 0 8\n"
    "c=IN IP4 192.0.2.10\n"
    "a=rtcp:49171 IN IP4 192.0.2.10\n"
    "a=ice-ufrag:F7gI\n"
    "a=ice-pwd:x9cml/YzichV2+XlhiMu8g\n"
    "a=candidate:1 1 UDP 2130706431 192.0.2.10 49170 typ host\n"
    "a=candidate:2 1 UDP 1694498815 198.51.100.7 61665 typ srflx raddr 192.0.2.10 rport 49170\n"
    "a=end-of-candidates\n"
    "a=sendonly\n"
    "m=video 51372 RTP/AVPF 96\n"
    "c=IN IP4 192.0.2.11\n"
    "a=rtpmap:96 VP8/90000\n"
    "m=image 0 udptl t38\n";

// RFC 2543-style hold: connection address 0.0.0.0.
constexpr std::string_view kHold =
    "v=0\r\n"
    "o=alice 2890844526 2890844527 IN IP4 127.0.0.40\r\n"
    "s=-\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "t=0 0\r\n"
    "m=audio 6000 RTP/AVP 0\r\n"
    "a=inactive\r\n";

Session parsed(std::string_view body) {
  Session s;
  std::string error;
  EXPECT_TRUE(parse(body, s, error)) << error;
  return s;
}

Rewrite relay_at(std::string_view address, std::vector<uint16_t> ports) {
  Rewrite plan;
  plan.address = address;
  for (uint16_t port : ports) {
    MediaRewrite m;
    m.port = port;
    plan.media.push_back(m);
  }
  return plan;
}

TEST(SdpParse, SippOffer) {
  Session s = parsed(kSipp);
  EXPECT_EQ(s.origin_address, "127.0.0.40");
  EXPECT_EQ(s.connection, "127.0.0.40");
  ASSERT_EQ(s.media.size(), 1u);
  EXPECT_EQ(s.media[0].type, "audio");
  EXPECT_EQ(s.media[0].port, 6000);
  EXPECT_EQ(s.media[0].proto, "RTP/AVP");
  EXPECT_EQ(s.media[0].formats, "0");
  EXPECT_TRUE(s.media[0].is_rtp());
  EXPECT_FALSE(s.media[0].is_secure());
  EXPECT_EQ(s.address_of(s.media[0]), "127.0.0.40");
}

TEST(SdpParse, SdesCryptoAndRtcpMux) {
  Session s = parsed(kBaresipSrtp);
  ASSERT_EQ(s.media.size(), 1u);
  const Media& m = s.media[0];
  EXPECT_TRUE(m.is_secure());
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.direction, "sendrecv");
  ASSERT_EQ(m.crypto.size(), 2u);
  EXPECT_EQ(m.crypto[0].tag, "1");
  EXPECT_EQ(m.crypto[0].suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_EQ(m.crypto[0].key_params, "inline:Yx8JvTZbMuMkE7U5vOq2JRlUjCNE7CsWkXkeyPo7");
  EXPECT_EQ(m.crypto[1].suite, "AES_CM_128_HMAC_SHA1_32");
}

TEST(SdpParse, MediaLevelConnectionRtcpAndSeveralStreams) {
  Session s = parsed(kWebrtcLike);
  EXPECT_EQ(s.connection, "");
  ASSERT_EQ(s.media.size(), 3u);
  EXPECT_EQ(s.address_of(s.media[0]), "192.0.2.10");
  EXPECT_EQ(s.media[0].rtcp_port, 49171);
  EXPECT_EQ(s.media[0].direction, "sendonly");
  EXPECT_EQ(s.address_of(s.media[1]), "192.0.2.11");
  EXPECT_EQ(s.media[1].proto, "RTP/AVPF");
  EXPECT_EQ(s.media[2].port, 0);
  EXPECT_FALSE(s.media[2].is_rtp());
}

TEST(SdpParse, RefusesWhatIsNotSdp) {
  Session s;
  std::string error;
  EXPECT_FALSE(parse("hello", s, error));
  EXPECT_FALSE(parse("o=- 1 1 IN IP4 1.2.3.4\r\nv=0\r\n", s, error)) << "v= must come first";
  EXPECT_FALSE(parse("v=0\r\nm=audio x RTP/AVP 0\r\n", s, error));
  EXPECT_FALSE(parse("v=0\r\nm=audio 5000 RTP/AVP 0\r\n", s, error)) << "no connection address";
  EXPECT_FALSE(error.empty());
}

TEST(SdpRewrite, AddressesAndPortsBecomeTheRelays) {
  Session s = parsed(kSipp);
  std::string out = rewrite(s, relay_at("203.0.113.5", {30000}));
  EXPECT_EQ(out,
            "v=0\r\n"
            "o=user1 53655765 2353687637 IN IP4 203.0.113.5\r\n"
            "s=-\r\n"
            "c=IN IP4 203.0.113.5\r\n"
            "t=0 0\r\n"
            "m=audio 30000 RTP/AVP 0\r\n"
            "a=rtpmap:0 PCMU/8000\r\n");
  EXPECT_EQ(out.find("127.0.0.40"), std::string::npos);
}

TEST(SdpRewrite, IceRemovedRtcpRewrittenDirectionKeptRejectedStaysRejected) {
  Session s = parsed(kWebrtcLike);
  Rewrite plan = relay_at("127.0.0.10", {30000, 30002, 0});
  std::string out = rewrite(s, plan);
  for (std::string_view gone : {"ice-", "candidate", "192.0.2.", "198.51.100."}) {
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << " in\n" << out;
  }
  EXPECT_NE(out.find("m=audio 30000 RTP/AVP 0 8\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("a=rtcp:30001 IN IP4 127.0.0.10\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("a=sendonly\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("m=video 30002 RTP/AVPF 96\r\nc=IN IP4 127.0.0.10\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("m=image 0 udptl t38\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("\r\n\n"), std::string::npos) << "LF-only input comes out with CRLF";
}

TEST(SdpRewrite, HoldAddressIsKept) {
  Session s = parsed(kHold);
  std::string out = rewrite(s, relay_at("127.0.0.20", {35000}));
  EXPECT_NE(out.find("c=IN IP4 0.0.0.0\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("o=alice 2890844526 2890844527 IN IP4 127.0.0.20\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("a=inactive\r\n"), std::string::npos) << out;
}

TEST(SdpRewrite, CryptoReplacedAndProtoChanged) {
  Session s = parsed(kBaresipSrtp);
  Rewrite plan = relay_at("127.0.0.20", {35000});
  plan.media[0].proto = "RTP/AVP";
  plan.media[0].replace_crypto = true;
  std::string out = rewrite(s, plan);
  EXPECT_NE(out.find("m=audio 35000 RTP/AVP 0 8 101\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("a=crypto"), std::string::npos) << out;
  EXPECT_NE(out.find("a=rtcp-mux\r\n"), std::string::npos) << out;

  plan.media[0].proto = "RTP/SAVP";
  plan.media[0].crypto = {"1 AES_CM_128_HMAC_SHA1_80 inline:AAAA"};
  out = rewrite(s, plan);
  EXPECT_NE(out.find("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("Yx8JvTZb"), std::string::npos) << "the caller's key never crosses";
}

TEST(SdpRewrite, KeptSectionIsCopiedAsIs) {
  Session s = parsed(kSipp);
  Rewrite plan;
  plan.address = "127.0.0.10";
  plan.media.resize(1);
  plan.media[0].keep = true;
  std::string out = rewrite(s, plan);
  EXPECT_NE(out.find("m=audio 6000 RTP/AVP 0\r\n"), std::string::npos);
}

TEST(SdpRewrite, Ipv6Relay) {
  Session s = parsed(kSipp);
  Rewrite plan = relay_at("2001:db8::5", {30000});
  plan.ipv6 = true;
  std::string out = rewrite(s, plan);
  EXPECT_NE(out.find("c=IN IP6 2001:db8::5\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("IN IP6 2001:db8::5\r\ns="), std::string::npos) << out;
}

bool inside(std::string_view view, std::string_view buffer) {
  return view.empty() || (view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size());
}

// Malformed SDP from a peer must be refused or relayed, never read out of bounds: the
// bodies above, mutated 5000 times each with a fixed seed; every view the parser gives
// points into the body, and a body it accepts can be rewritten (run under ASan too).
TEST(SdpParse, SurvivesMutatedBodies) {
  std::mt19937 rng(8866);
  int accepted = 0;
  for (std::string_view body : {kSipp, kBaresipSrtp, kWebrtcLike, kHold}) {
    for (int i = 0; i < 5000; ++i) {
      std::string mutated = sbc::testing::mutate(std::string(body), rng);
      Session session;
      std::string error;
      if (!parse(mutated, session, error)) continue;
      ++accepted;
      ASSERT_TRUE(inside(session.connection, mutated) && inside(session.origin_address, mutated)) << mutated;
      for (const Line& line : session.lines) ASSERT_TRUE(inside(line.value, mutated)) << mutated;
      std::vector<uint16_t> ports(session.media.size(), 30000);
      std::string out = rewrite(session, relay_at("203.0.113.5", ports));
      ASSERT_FALSE(out.empty());
    }
  }
  EXPECT_GT(accepted, 1000) << "the mutations should leave many bodies parseable";
}

}  // namespace
}  // namespace sbc::media::sdp
