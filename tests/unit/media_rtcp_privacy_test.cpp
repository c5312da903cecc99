// What the relay hides of the endpoints in RTCP SDES and in the SDP's a=ssrc cname:
// real packets and bodies in, tokens of the same length out, nothing else changed.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "media/rtcp_privacy.h"
#include "media/sdp.h"
#include "mutate.h"

namespace sbc::media {
namespace {

void put16(std::vector<uint8_t>& p, size_t at, unsigned v) {
  p[at] = static_cast<uint8_t>(v >> 8);
  p[at + 1] = static_cast<uint8_t>(v);
}

// A receiver report without blocks, then an SDES chunk with CNAME and NAME.
std::vector<uint8_t> rr_and_sdes(const std::string& cname, const std::string& name) {
  std::vector<uint8_t> p = {0x80, 201, 0, 1, 0x11, 0x22, 0x33, 0x44, 0x81, 202, 0, 0, 0x11, 0x22, 0x33, 0x44};
  size_t sdes = 8;
  p.push_back(1);
  p.push_back(static_cast<uint8_t>(cname.size()));
  p.insert(p.end(), cname.begin(), cname.end());
  p.push_back(2);
  p.push_back(static_cast<uint8_t>(name.size()));
  p.insert(p.end(), name.begin(), name.end());
  p.push_back(0);
  while (p.size() % 4) p.push_back(0);
  put16(p, sdes + 2, static_cast<unsigned>((p.size() - sdes) / 4 - 1));
  return p;
}

std::string text_at(const std::vector<uint8_t>& p, size_t at, size_t length) {
  return std::string(p.begin() + static_cast<long>(at), p.begin() + static_cast<long>(at + length));
}

TEST(RtcpPrivacyTest, SdesItemsBecomeTokensOfTheSameLength) {
  std::string cname = "alice@192.168.1.10";
  std::vector<uint8_t> packet = rr_and_sdes(cname, "Alice Example");
  std::vector<uint8_t> before = packet;
  anonymize_sdes(packet.data(), packet.size());
  ASSERT_EQ(packet.size(), before.size());
  EXPECT_TRUE(std::equal(before.begin(), before.begin() + 18, packet.begin())) << "headers, SSRC, item type/length";
  std::string token = text_at(packet, 18, cname.size());
  EXPECT_EQ(token, anonymized(cname)) << "the same token as the SDP's a=ssrc cname";
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  EXPECT_EQ(token.find("192.168"), std::string::npos);
  EXPECT_NE(text_at(packet, 18 + cname.size() + 2, 13), "Alice Example");
  std::vector<uint8_t> again = before;
  anonymize_sdes(again.data(), again.size());
  EXPECT_EQ(again, packet) << "the same CNAME gives the same token in every packet";
}

TEST(RtcpPrivacyTest, MalformedPacketsAreLeftAloneWithinBounds) {
  std::vector<uint8_t> packet = rr_and_sdes("bob@10.0.0.7", "Bob");
  packet[8 + 9] = 200;  // the CNAME item claims 200 bytes: past the end
  std::vector<uint8_t> before = packet;
  anonymize_sdes(packet.data(), packet.size());
  EXPECT_EQ(packet, before);
  std::vector<uint8_t> cut(before.begin(), before.begin() + 14);  // the SDES header says more than there is
  anonymize_sdes(cut.data(), cut.size());
  anonymize_sdes(nullptr, 0);
}

TEST(RtcpPrivacyTest, SdpSsrcCnameIsReplacedOtherSourceAttributesPass) {
  std::string body =
      "v=0\r\no=- 1 1 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 192.168.1.10\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 0\r\na=ssrc:1234 cname:alice@192.168.1.10\r\na=ssrc:1234 label:mic\r\n";
  sdp::Session session;
  std::string error;
  ASSERT_TRUE(sdp::parse(body, session, error)) << error;
  sdp::Rewrite plan;
  plan.address = "127.0.0.20";
  sdp::MediaRewrite media;
  media.port = 35000;
  plan.media.push_back(media);
  std::string out = sdp::rewrite(session, plan);
  EXPECT_NE(out.find("a=ssrc:1234 cname:" + anonymized("alice@192.168.1.10") + "\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("a=ssrc:1234 label:mic\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("192.168"), std::string::npos) << out;
}

// RTCP from a peer can be anything: compound packets mutated 20000 times with a fixed
// seed are walked without reading or writing out of bounds (ASan in the test build) and
// never change length.
TEST(RtcpPrivacyTest, SurvivesMutatedPackets) {
  std::mt19937 rng(3550);
  std::vector<uint8_t> packet = rr_and_sdes("carol@172.16.0.9", "Carol");
  std::string original(packet.begin(), packet.end());
  for (int i = 0; i < 20000; ++i) {
    std::string mutated = sbc::testing::mutate(original, rng);
    std::vector<uint8_t> bytes(mutated.begin(), mutated.end());
    anonymize_sdes(bytes.data(), bytes.size());
    ASSERT_EQ(bytes.size(), mutated.size());
  }
}

}  // namespace
}  // namespace sbc::media
