// Unit tests for sbc::sip Via parsing, including multi-value Via headers.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "sip/name_addr.h"
#include "sip/via.h"

namespace sbc::sip {
namespace {

struct ValidViaCase {
  std::string_view text;
  std::string_view protocol, transport, host, port_text;
  uint16_t port;
  std::string_view branch, received;
  bool has_rport;
  uint16_t rport;
  bool ipv6;
};

class ValidViaTest : public ::testing::TestWithParam<ValidViaCase> {};

TEST_P(ValidViaTest, ParsesEveryComponent) {
  const ValidViaCase& c = GetParam();
  Via via;
  ASSERT_TRUE(parse_via(c.text, via)) << c.text;
  EXPECT_EQ(via.protocol, c.protocol);
  EXPECT_EQ(via.transport, c.transport);
  EXPECT_EQ(via.host, c.host);
  EXPECT_EQ(via.port_text, c.port_text);
  EXPECT_EQ(via.port, c.port);
  EXPECT_EQ(via.branch, c.branch);
  EXPECT_EQ(via.received, c.received);
  EXPECT_EQ(via.has_rport, c.has_rport);
  EXPECT_EQ(via.rport, c.rport);
  EXPECT_EQ(via.host_is_ipv6, c.ipv6);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidViaTest,
    ::testing::Values(
        ValidViaCase{"SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds", "SIP/2.0/UDP", "UDP",
                     "pc33.atlanta.com", "", 0, "z9hG4bK776asdhds", "", false, 0, false},
        ValidViaCase{"SIP/2.0/TCP 192.0.2.1:5061;branch=z9hG4bKx;received=198.51.100.7;rport=4242",
                     "SIP/2.0/TCP", "TCP", "192.0.2.1", "5061", 5061, "z9hG4bKx", "198.51.100.7",
                     true, 4242, false},
        ValidViaCase{"SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKabc", "SIP/2.0/UDP", "UDP",
                     "10.0.0.1", "", 0, "z9hG4bKabc", "", true, 0, false},
        ValidViaCase{"SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111", "SIP/2.0/UDP",
                     "UDP", "2001:db8::9:1", "5060", 5060, "z9hG4bKas3-111", "", false, 0, true},
        ValidViaCase{"SIP/2.0/UDP [2001:db8::9:255];branch=z9hG4bKas3;received=2001:db8::9:255",
                     "SIP/2.0/UDP", "UDP", "2001:db8::9:255", "", 0, "z9hG4bKas3",
                     "2001:db8::9:255", false, 0, true},
        // RFC 4475 wsinv-style blanks around '/', ':', ';' and '='.
        ValidViaCase{"SIP  /   2.0 / UDP    192.0.2.2 : 5060 ;   branch   =   z9hG4bK;rport = 1",
                     "SIP  /   2.0 / UDP", "UDP", "192.0.2.2", "5060", 5060, "z9hG4bK", "", true,
                     1, false},
        ValidViaCase{"SIP/2.0/UDP\r\n  host.example.com;\r\n branch=z9hG4bKfold", "SIP/2.0/UDP",
                     "UDP", "host.example.com", "", 0, "z9hG4bKfold", "", false, 0, false},
        ValidViaCase{"sip/2.0/tls edge.example.com:5061;BRANCH=z9hG4bKcase", "sip/2.0/tls", "tls",
                     "edge.example.com", "5061", 5061, "z9hG4bKcase", "", false, 0, false},
        ValidViaCase{"SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKws;ttl=1;maddr=x",
                     "SIP/2.0/WSS", "WSS", "df7jal23ls0d.invalid", "", 0, "z9hG4bKws", "", false,
                     0, false}));

class InvalidViaTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(InvalidViaTest, IsRejected) {
  Via via;
  EXPECT_FALSE(parse_via(GetParam(), via)) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidViaTest,
    ::testing::Values("", "SIP/2.0/UDP", "SIP/2.0/UDP ", "SIP/2.0 host", "SIP/3.0/UDP host",
                      "HTTP/2.0/UDP host", "SIP/2.0/UDPhost", "SIP/2.0/ host", "SIP/2.0/UDP :5060",
                      "SIP/2.0/UDP host:99999", "SIP/2.0/UDP host:5060 junk;branch=x",
                      "SIP/2.0/UDP host;rport=abc", "SIP/2.0/UDP host;rport=70000",
                      "SIP/2.0/UDP [2001:db8::1;branch=x", "SIP/2.0/UDP 2001:db8::1",
                      "SIP/2.0/UDP a, SIP/2.0/UDP b", "SIP/2.0/UDP h;branch=<x>",
                      "SIP/2.0/UDP h;x=\"unterminated"));

TEST(Via, ParamsKeepEverythingAfterFirstSemicolon) {
  Via via;
  ASSERT_TRUE(parse_via("SIP/2.0/UDP h;branch=z9hG4bK1;x-custom=\"a;b\";lr", via));
  EXPECT_EQ(via.params, "branch=z9hG4bK1;x-custom=\"a;b\";lr");
  EXPECT_EQ(via.branch, "z9hG4bK1");
}

TEST(Via, MultipleValuesInOneHeaderSplitAtTopLevelCommas) {
  std::string_view rest =
      "SIP/2.0/UDP first.example.com:4000;branch=z9hG4bKa ,\r\n SIP/2.0/TCP "
      "second.example.com;branch=z9hG4bKb;received=192.0.2.9, SIP/2.0/UDP [::1];branch=z9hG4bKc";
  std::vector<Via> vias;
  std::string_view value;
  while (next_header_value(rest, value)) {
    Via via;
    ASSERT_TRUE(parse_via(value, via)) << value;
    vias.push_back(via);
  }
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].host, "first.example.com");
  EXPECT_EQ(vias[0].port, 4000);
  EXPECT_EQ(vias[1].transport, "TCP");
  EXPECT_EQ(vias[1].received, "192.0.2.9");
  EXPECT_TRUE(vias[2].host_is_ipv6);
  EXPECT_EQ(vias[2].branch, "z9hG4bKc");
}

}  // namespace
}  // namespace sbc::sip
