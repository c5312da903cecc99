// The media relay's pieces: port pool, SDES keys, SRTP with known keys, and the engine
// relaying real packets between two loopback "phones" (RTP<->RTP and SRTP<->RTP).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "media/media_engine.h"
#include "media/port_pool.h"
#include "media/rtcp_privacy.h"
#include "media/sdes.h"
#include "media/sdp.h"
#include "media/srtp_session.h"

namespace sbc::media {
namespace {

// --- port pool -----------------------------------------------------------------------

TEST(PortPool, HandsOutEvenPortsWithTheirOddNeighbourInside) {
  PortPool pool(30001, 30008);  // pairs 30002/3, 30004/5, 30006/7
  EXPECT_EQ(pool.capacity(), 3u);
  EXPECT_EQ(pool.take(), 30002);
  EXPECT_EQ(pool.take(), 30004);
  EXPECT_EQ(pool.take(), 30006);
  EXPECT_EQ(pool.take(), std::nullopt) << "30008 has no 30009 in the range";
}

TEST(PortPool, FreedPairsQueueBehindTheOthers) {
  PortPool pool(30000, 30005);
  auto first = pool.take();
  pool.give_back(*first);
  EXPECT_EQ(pool.take(), 30002) << "not the pair just freed";
  EXPECT_EQ(pool.take(), 30004);
  EXPECT_EQ(pool.take(), 30000);
}

TEST(PortPool, DoubleOrForeignReleaseIsIgnored) {
  PortPool pool(30000, 30003);
  auto port = pool.take();
  pool.give_back(*port);
  pool.give_back(*port);
  pool.give_back(31000);
  pool.give_back(30001);
  EXPECT_EQ(pool.available(), 2u);
  EXPECT_EQ(pool.take(), 30002);
  EXPECT_EQ(pool.take(), 30000);
  EXPECT_EQ(pool.take(), std::nullopt);
}

// --- SDES ----------------------------------------------------------------------------

sdp::Crypto crypto(std::string_view tag, std::string_view suite, std::string_view params) {
  return {tag, suite, params};
}

TEST(Sdes, ParsesInlineKeys) {
  auto key = parse_key(crypto("1", "AES_CM_128_HMAC_SHA1_80", "inline:Yx8JvTZbMuMkE7U5vOq2JRlUjCNE7CsWkXkeyPo7"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->suite, SrtpSuite::AesCm128HmacSha1_80);
  EXPECT_EQ(key->length, 30u);
  EXPECT_EQ(key->material[0], 0x63);  // 'Y' 'x' '8' -> 0x63 0x1f ...
  EXPECT_EQ(key->material[1], 0x1f);
}

TEST(Sdes, RefusesWhatItCannotUse) {
  EXPECT_FALSE(parse_key(crypto("1", "F8_128_HMAC_SHA1_80", "inline:Yx8JvTZbMuMkE7U5vOq2JRlUjCNE7CsWkXkeyPo7")));
  EXPECT_FALSE(parse_key(crypto("1", "AES_CM_128_HMAC_SHA1_80", "inline:short")));
  EXPECT_FALSE(
      parse_key(crypto("1", "AES_CM_128_HMAC_SHA1_80", "inline:Yx8JvTZbMuMkE7U5vOq2JRlUjCNE7CsWkXkeyPo7|2^20")))
      << "lifetimes are not implemented: refused rather than ignored";
  EXPECT_FALSE(parse_key(crypto("1", "AES_CM_128_HMAC_SHA1_80", "inline:!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")));
}

TEST(Sdes, GeneratedKeysRoundTripThroughTheAttribute) {
  for (SrtpSuite suite : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32, SrtpSuite::AeadAes128Gcm}) {
    SrtpKey key = generate_key(suite);
    std::string attribute = crypto_attribute("7", key);
    sdp::Session s;
    std::string error;
    std::string body = "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/SAVP 0\r\na=crypto:" + attribute + "\r\n";
    ASSERT_TRUE(sdp::parse(body, s, error)) << error;
    ASSERT_EQ(s.media[0].crypto.size(), 1u) << attribute;
    auto back = parse_key(s.media[0].crypto[0]);
    ASSERT_TRUE(back) << attribute;
    EXPECT_EQ(back->suite, suite);
    EXPECT_EQ(back->material, key.material);
    EXPECT_EQ(s.media[0].crypto[0].tag, "7");
  }
  EXPECT_NE(generate_key(SrtpSuite::AesCm128HmacSha1_80).material,
            generate_key(SrtpSuite::AesCm128HmacSha1_80).material);
}

// --- SRTP ----------------------------------------------------------------------------

std::vector<uint8_t> rtp_packet(uint16_t seq, uint32_t ssrc, size_t payload = 160) {
  std::vector<uint8_t> p(12 + payload + SrtpSession::kMaxTrailer);
  p[0] = 0x80;
  p[1] = 0;  // PCMU
  p[2] = static_cast<uint8_t>(seq >> 8);
  p[3] = static_cast<uint8_t>(seq);
  p[4] = p[5] = p[6] = 0;
  p[7] = static_cast<uint8_t>(seq * 160);
  p[8] = static_cast<uint8_t>(ssrc >> 24);
  p[9] = static_cast<uint8_t>(ssrc >> 16);
  p[10] = static_cast<uint8_t>(ssrc >> 8);
  p[11] = static_cast<uint8_t>(ssrc);
  for (size_t i = 0; i < payload; ++i) p[12 + i] = static_cast<uint8_t>(i * 7 + seq);
  return p;
}

SrtpKey known_key(SrtpSuite suite) {
  SrtpKey key;
  key.suite = suite;
  key.length = key_length(suite);
  for (size_t i = 0; i < key.length; ++i) key.material[i] = static_cast<uint8_t>(0xa0 + i);
  return key;
}

TEST(Srtp, ProtectedWithAKeyUnprotectsWithTheSameKeyOnly) {
  for (SrtpSuite suite : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32, SrtpSuite::AeadAes128Gcm}) {
    SCOPED_TRACE(std::string(suite_name(suite)));
    std::string error;
    auto protect = SrtpSession::create(known_key(suite), SrtpSession::Direction::Protect, error);
    auto unprotect = SrtpSession::create(known_key(suite), SrtpSession::Direction::Unprotect, error);
    SrtpKey other = known_key(suite);
    other.material[3] ^= 1;
    auto wrong = SrtpSession::create(other, SrtpSession::Direction::Unprotect, error);
    ASSERT_TRUE(protect && unprotect && wrong) << error;

    std::vector<uint8_t> plain = rtp_packet(1, 0x11223344);
    std::vector<uint8_t> packet = plain;
    size_t length = 12 + 160;
    ASSERT_TRUE(protect->rtp(packet.data(), length));
    size_t tag = suite == SrtpSuite::AesCm128HmacSha1_32 ? 4 : suite == SrtpSuite::AeadAes128Gcm ? 16 : 10;
    EXPECT_EQ(length, 12 + 160 + tag);
    EXPECT_NE(std::memcmp(packet.data() + 12, plain.data() + 12, 160), 0) << "payload encrypted";

    std::vector<uint8_t> copy = packet;
    size_t copy_length = length;
    EXPECT_FALSE(wrong->rtp(copy.data(), copy_length)) << "another key fails authentication";
    ASSERT_TRUE(unprotect->rtp(packet.data(), length));
    EXPECT_EQ(length, 12u + 160u);
    EXPECT_EQ(std::memcmp(packet.data(), plain.data(), length), 0);
    size_t replay_length = copy_length;
    EXPECT_FALSE(unprotect->rtp(copy.data(), replay_length)) << "a replayed packet is refused";
  }
}

TEST(Srtp, TamperedPacketIsRefused) {
  std::string error;
  auto protect = SrtpSession::create(known_key(SrtpSuite::AesCm128HmacSha1_80), SrtpSession::Direction::Protect, error);
  auto unprotect =
      SrtpSession::create(known_key(SrtpSuite::AesCm128HmacSha1_80), SrtpSession::Direction::Unprotect, error);
  std::vector<uint8_t> packet = rtp_packet(5, 42);
  size_t length = 172;
  ASSERT_TRUE(protect->rtp(packet.data(), length));
  packet[20] ^= 0x40;
  EXPECT_FALSE(unprotect->rtp(packet.data(), length));
}

// --- the engine, over loopback ---------------------------------------------------------

sbc_ip ipv4(const char* text) {
  sbc_ip ip{};
  ip.family = 4;
  inet_pton(AF_INET, text, ip.bytes);
  return ip;
}

// A UDP socket standing for a phone's RTP port.
struct Phone {
  int fd = -1;
  uint16_t port = 0;
  std::string address;
  explicit Phone(const char* ip) : address(ip) {
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, ip, &a.sin_addr);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Phone() { close(fd); }
  void send_to(const char* address, uint16_t to, const uint8_t* data, size_t length) const {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(to);
    inet_pton(AF_INET, address, &a.sin_addr);
    sendto(fd, data, length, 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  // One datagram within `wait_ms`, or empty.
  std::vector<uint8_t> receive(int wait_ms = 2000) const {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) != 1) return {};
    std::vector<uint8_t> buffer(2048);
    ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
    buffer.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return buffer;
  }
};

// Every engine test runs over both relay loops (relay_loop.h).
class MediaEngineTest : public ::testing::TestWithParam<RelayIo> {
 protected:
  MediaEngineTest() {
    faces_[0] = {};
    faces_[0].name = "external";
    faces_[0].has_rtp = 1;
    faces_[0].rtp_address = ipv4("127.0.0.10");
    faces_[0].rtp_port_min = 41000;
    faces_[0].rtp_port_max = 41099;
    faces_[1] = faces_[0];
    faces_[1].name = "internal";
    faces_[1].rtp_address = ipv4("127.0.0.20");
    faces_[1].rtp_port_min = 42000;
    faces_[1].rtp_port_max = 42099;
    policy_.faces = faces_;
    policy_.face_count = 2;
  }

  void SetUp() override {
    if (GetParam() != RelayIo::Uring) return;
    try {  // a kernel or sandbox without io_uring: the epoll instance still runs
      MediaThread probe(std::chrono::seconds(0), nullptr, RelayIo::Uring);
    } catch (const std::exception& e) {
      GTEST_SKIP() << e.what();
    }
  }

  MediaEngine& engine() {
    if (!engine_) {
      MediaEngine::Options options;
      options.io = GetParam();
      engine_ = std::make_unique<MediaEngine>(policy_, std::move(options));
    }
    return *engine_;
  }

  static std::string offer(const Phone& phone, std::string_view proto = "RTP/AVP", std::string_view crypto = "") {
    std::string body = "v=0\r\no=- 1 1 IN IP4 " + phone.address + "\r\ns=-\r\nc=IN IP4 " + phone.address +
                       "\r\nt=0 0\r\nm=audio " + std::to_string(phone.port) + " " + std::string(proto) +
                       " 0\r\na=rtpmap:0 PCMU/8000\r\n";
    if (!crypto.empty()) body += "a=crypto:" + std::string(crypto) + "\r\n";
    return body;
  }

  static sdp::Session parsed(const std::string& body) {
    sdp::Session s;
    std::string error;
    EXPECT_TRUE(sdp::parse(body, s, error)) << error << "\n" << body;
    return s;
  }

  sbc_face faces_[2];
  sbc_policy policy_{};
  std::unique_ptr<MediaEngine> engine_;
};

TEST_P(MediaEngineTest, EachSideSeesOnlyItsOwnFaceAndPacketsFlowBothWays) {
  Phone caller("127.0.0.40");
  Phone callee("127.0.0.30");
  engine().begin("call-1", "tag-a", 0, 1, SBC_MEDIA_SAME);
  auto to_callee = engine().rewrite("call-1", true, MediaEngine::Role::Offer, offer(caller));
  ASSERT_TRUE(to_callee.ok) << to_callee.error;
  sdp::Session offered = parsed(to_callee.body);
  EXPECT_EQ(offered.connection, "127.0.0.20");
  EXPECT_EQ(offered.origin_address, "127.0.0.20");
  uint16_t relay_internal = offered.media[0].port;
  EXPECT_GE(relay_internal, 42000);

  std::string answer = offer(callee);
  auto to_caller = engine().rewrite("call-1", false, MediaEngine::Role::Answer, answer);
  ASSERT_TRUE(to_caller.ok) << to_caller.error;
  sdp::Session answered = parsed(to_caller.body);
  EXPECT_EQ(answered.connection, "127.0.0.10");
  uint16_t relay_external = answered.media[0].port;
  EXPECT_GE(relay_external, 41000);

  std::vector<uint8_t> packet = rtp_packet(1, 7);
  caller.send_to("127.0.0.10", relay_external, packet.data(), 172);
  std::vector<uint8_t> got = callee.receive();
  ASSERT_EQ(got.size(), 172u);
  EXPECT_EQ(std::memcmp(got.data(), packet.data(), 172), 0);

  std::vector<uint8_t> back = rtp_packet(9, 8);
  callee.send_to("127.0.0.20", relay_internal, back.data(), 172);
  got = caller.receive();
  ASSERT_EQ(got.size(), 172u);
  EXPECT_EQ(std::memcmp(got.data(), back.data(), 172), 0);

  // Latched: another source on the caller's side cannot inject into the call.
  Phone intruder("127.0.0.66");
  intruder.send_to("127.0.0.10", relay_external, packet.data(), 172);
  EXPECT_TRUE(callee.receive(300).empty());

  engine().end("call-1", "test");
  EXPECT_EQ(engine().session_count(), 0u);
}

TEST_P(MediaEngineTest, SrtpCallerPlainCallee) {
  Phone caller("127.0.0.40");
  Phone callee("127.0.0.30");
  SrtpKey caller_key = known_key(SrtpSuite::AesCm128HmacSha1_80);
  engine().begin("call-2", "tag-a", 0, 1, SBC_MEDIA_RTP);
  auto to_callee = engine().rewrite("call-2", true, MediaEngine::Role::Offer,
                                    offer(caller, "RTP/SAVP", crypto_attribute("1", caller_key)));
  ASSERT_TRUE(to_callee.ok) << to_callee.error;
  sdp::Session offered = parsed(to_callee.body);
  EXPECT_EQ(offered.media[0].proto, "RTP/AVP");
  EXPECT_TRUE(offered.media[0].crypto.empty());

  auto to_caller = engine().rewrite("call-2", false, MediaEngine::Role::Answer, offer(callee));
  ASSERT_TRUE(to_caller.ok) << to_caller.error;
  sdp::Session answered = parsed(to_caller.body);
  EXPECT_EQ(answered.media[0].proto, "RTP/SAVP");
  ASSERT_EQ(answered.media[0].crypto.size(), 1u);
  EXPECT_EQ(answered.media[0].crypto[0].tag, "1");
  auto relay_key = parse_key(answered.media[0].crypto[0]);
  ASSERT_TRUE(relay_key);

  std::string error;
  auto caller_protect = SrtpSession::create(caller_key, SrtpSession::Direction::Protect, error);
  auto caller_unprotect = SrtpSession::create(*relay_key, SrtpSession::Direction::Unprotect, error);
  std::vector<uint8_t> plain = rtp_packet(1, 7);
  std::vector<uint8_t> secured = plain;
  size_t length = 172;
  ASSERT_TRUE(caller_protect->rtp(secured.data(), length));
  caller.send_to("127.0.0.10", answered.media[0].port, secured.data(), length);
  std::vector<uint8_t> got = callee.receive();
  ASSERT_EQ(got.size(), 172u) << "decrypted to plain RTP for the callee";
  EXPECT_EQ(std::memcmp(got.data(), plain.data(), 172), 0);

  std::vector<uint8_t> back = rtp_packet(3, 8);
  callee.send_to("127.0.0.20", offered.media[0].port, back.data(), 172);
  got = caller.receive();
  ASSERT_GT(got.size(), 172u) << "encrypted toward the caller";
  got.resize(got.size() + SrtpSession::kMaxTrailer);
  size_t got_length = got.size() - SrtpSession::kMaxTrailer;
  ASSERT_TRUE(caller_unprotect->rtp(got.data(), got_length)) << "with the key the relay's answer gave";
  EXPECT_EQ(got_length, 172u);
  EXPECT_EQ(std::memcmp(got.data(), back.data(), 172), 0);
}

// `as srtp` with an SRTP caller: both legs SRTP, each with the relay's own key (the
// caller's key never reaches the callee), packets decrypted and encrypted again.
TEST_P(MediaEngineTest, SrtpBothLegsAreReKeyedWhenThePolicyAsksForSrtp) {
  Phone caller("127.0.0.40");
  Phone callee("127.0.0.30");
  SrtpKey caller_key = known_key(SrtpSuite::AesCm128HmacSha1_80);
  engine().begin("call-4", "tag-a", 0, 1, SBC_MEDIA_SRTP);
  std::string caller_attribute = crypto_attribute("1", caller_key);
  auto to_callee =
      engine().rewrite("call-4", true, MediaEngine::Role::Offer, offer(caller, "RTP/SAVP", caller_attribute));
  ASSERT_TRUE(to_callee.ok) << to_callee.error;
  sdp::Session offered = parsed(to_callee.body);
  EXPECT_EQ(offered.media[0].proto, "RTP/SAVP");
  ASSERT_EQ(offered.media[0].crypto.size(), 1u);
  auto relay_to_callee_key = parse_key(offered.media[0].crypto[0]);
  ASSERT_TRUE(relay_to_callee_key);
  EXPECT_NE(relay_to_callee_key->material, caller_key.material) << "re-keyed, not passed through";

  SrtpKey callee_key = known_key(SrtpSuite::AesCm128HmacSha1_80);
  callee_key.material[0] ^= 0x55;
  auto to_caller = engine().rewrite("call-4", false, MediaEngine::Role::Answer,
                                    offer(callee, "RTP/SAVP", crypto_attribute("1", callee_key)));
  ASSERT_TRUE(to_caller.ok) << to_caller.error;

  std::string error;
  auto caller_protect = SrtpSession::create(caller_key, SrtpSession::Direction::Protect, error);
  auto callee_unprotect = SrtpSession::create(*relay_to_callee_key, SrtpSession::Direction::Unprotect, error);
  std::vector<uint8_t> plain = rtp_packet(1, 7);
  std::vector<uint8_t> packet = plain;
  size_t length = 172;
  ASSERT_TRUE(caller_protect->rtp(packet.data(), length));
  caller.send_to("127.0.0.10", parsed(to_caller.body).media[0].port, packet.data(), length);
  std::vector<uint8_t> got = callee.receive();
  ASSERT_GT(got.size(), 172u);
  got.resize(got.size() + SrtpSession::kMaxTrailer);
  size_t got_length = got.size() - SrtpSession::kMaxTrailer;
  ASSERT_TRUE(callee_unprotect->rtp(got.data(), got_length)) << "the callee decrypts with the relay's key";
  EXPECT_EQ(std::memcmp(got.data(), plain.data(), 172), 0);
}

// SRTP on both legs and nothing asked of the relay: keys and packets pass untouched.
TEST_P(MediaEngineTest, SrtpBothLegsPassThroughWhenThePolicySaysSame) {
  Phone caller("127.0.0.40");
  SrtpKey caller_key = known_key(SrtpSuite::AesCm128HmacSha1_80);
  engine().begin("call-5", "tag-a", 0, 1, SBC_MEDIA_SAME);
  std::string attribute = crypto_attribute("1", caller_key);
  auto to_callee = engine().rewrite("call-5", true, MediaEngine::Role::Offer, offer(caller, "RTP/SAVP", attribute));
  ASSERT_TRUE(to_callee.ok) << to_callee.error;
  EXPECT_NE(to_callee.body.find("a=crypto:" + attribute), std::string::npos) << to_callee.body;
}

TEST_P(MediaEngineTest, SavpWithoutAUsableKeyIsRefused) {
  Phone caller("127.0.0.40");
  engine().begin("call-3", "tag-a", 0, 1, SBC_MEDIA_RTP);
  auto result = engine().rewrite("call-3", true, MediaEngine::Role::Offer, offer(caller, "RTP/SAVP"));
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("crypto"), std::string::npos) << result.error;
}

TEST_P(MediaEngineTest, PortsComeBackWhenTheCallEnds) {
  Phone caller("127.0.0.40");
  faces_[0].rtp_port_max = 41003;  // two pairs on the caller's face
  for (int round = 0; round < 5; ++round) {
    std::string call = "call-" + std::to_string(round);
    engine().begin(call, "t", 0, 1, SBC_MEDIA_SAME);
    ASSERT_TRUE(engine().rewrite(call, true, MediaEngine::Role::Offer, offer(caller)).ok) << "round " << round;
    engine().end(call, "test");
    // The media thread closes the sockets a moment later; only then is the pair bindable.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  engine().begin("a", "t", 0, 1, SBC_MEDIA_SAME);
  engine().begin("b", "t", 0, 1, SBC_MEDIA_SAME);
  engine().begin("c", "t", 0, 1, SBC_MEDIA_SAME);
  EXPECT_TRUE(engine().rewrite("a", true, MediaEngine::Role::Offer, offer(caller)).ok);
  auto second = engine().rewrite("b", true, MediaEngine::Role::Offer, offer(caller));
  EXPECT_TRUE(second.ok) << second.error;
  auto third = engine().rewrite("c", true, MediaEngine::Role::Offer, offer(caller));
  EXPECT_FALSE(third.ok);
  EXPECT_EQ(third.error, "no RTP ports left");
  EXPECT_EQ(engine().totals().ports_exhausted, 1u);
}

// More packets than the io_uring loop has receive buffers: each buffer must come back to
// the kernel's ring after its send, or the relay stops.
TEST_P(MediaEngineTest, BuffersAreReusedOverManyPackets) {
  Phone caller("127.0.0.40");
  Phone callee("127.0.0.30");
  engine().begin("call-6", "tag-a", 0, 1, SBC_MEDIA_SAME);
  auto to_callee = engine().rewrite("call-6", true, MediaEngine::Role::Offer, offer(caller));
  ASSERT_TRUE(to_callee.ok) << to_callee.error;
  auto to_caller = engine().rewrite("call-6", false, MediaEngine::Role::Answer, offer(callee));
  ASSERT_TRUE(to_caller.ok) << to_caller.error;
  uint16_t relay_external = parsed(to_caller.body).media[0].port;
  constexpr int kRounds = 100;
  constexpr int kPerRound = 60;  // few enough that no socket buffer on the way overflows
  int received = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kPerRound; ++i) {
      std::vector<uint8_t> packet = rtp_packet(static_cast<uint16_t>(round * kPerRound + i), 7);
      caller.send_to("127.0.0.10", relay_external, packet.data(), 172);
    }
    for (int i = 0; i < kPerRound && !callee.receive(1000).empty(); ++i) ++received;
  }
  EXPECT_EQ(received, kRounds * kPerRound);
  engine().end("call-6", "test");
}

// RTCP crossing the relay (muxed here) keeps its reports, loses what SDES says of the
// sender: the callee sees the relay's token where the caller's CNAME was.
TEST_P(MediaEngineTest, RtcpSdesIsAnonymizedOnTheWay) {
  Phone caller("127.0.0.40");
  Phone callee("127.0.0.30");
  auto muxed = [](const Phone& phone) { return offer(phone) + "a=rtcp-mux\r\n"; };
  engine().begin("call-7", "tag-a", 0, 1, SBC_MEDIA_SAME);
  ASSERT_TRUE(engine().rewrite("call-7", true, MediaEngine::Role::Offer, muxed(caller)).ok);
  auto to_caller = engine().rewrite("call-7", false, MediaEngine::Role::Answer, muxed(callee));
  ASSERT_TRUE(to_caller.ok) << to_caller.error;
  uint16_t relay_external = parsed(to_caller.body).media[0].port;
  std::string cname = "alice@192.168.1.10";
  std::vector<uint8_t> rtcp = {0x81, 202, 0, 0, 0x11, 0x22, 0x33, 0x44, 1, static_cast<uint8_t>(cname.size())};
  rtcp.insert(rtcp.end(), cname.begin(), cname.end());
  rtcp.push_back(0);
  while (rtcp.size() % 4) rtcp.push_back(0);
  rtcp[3] = static_cast<uint8_t>(rtcp.size() / 4 - 1);
  caller.send_to("127.0.0.10", relay_external, rtcp.data(), rtcp.size());
  std::vector<uint8_t> got = callee.receive();
  ASSERT_EQ(got.size(), rtcp.size());
  EXPECT_TRUE(std::equal(rtcp.begin(), rtcp.begin() + 10, got.begin()));
  EXPECT_EQ(std::string(got.begin() + 10, got.begin() + 10 + static_cast<long>(cname.size())), anonymized(cname));
  engine().end("call-7", "test");
}

TEST_P(MediaEngineTest, SaysWhichLoopItRuns) {
  EXPECT_EQ(engine().io_name(), GetParam() == RelayIo::Uring ? "io_uring" : "epoll");
}

INSTANTIATE_TEST_SUITE_P(Loops, MediaEngineTest, ::testing::Values(RelayIo::Uring, RelayIo::Epoll),
                         [](const ::testing::TestParamInfo<RelayIo>& info) {
                           return info.param == RelayIo::Uring ? std::string("io_uring") : std::string("epoll");
                         });

}  // namespace
}  // namespace sbc::media
