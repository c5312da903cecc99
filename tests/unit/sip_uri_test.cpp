// Unit tests for sbc::sip URI parsing, host:port parsing and URI params.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "sip/host_port.h"
#include "sip/uri.h"

namespace sbc::sip {
namespace {

struct ValidUriCase {
  std::string_view text;
  std::string_view scheme, user, password, host, port_text;
  uint16_t port;
  std::string_view params, headers;
  bool ipv6;
};

class ValidUriTest : public ::testing::TestWithParam<ValidUriCase> {};

TEST_P(ValidUriTest, ParsesEveryComponent) {
  const ValidUriCase& c = GetParam();
  Uri uri;
  ASSERT_TRUE(parse_uri(c.text, uri)) << c.text;
  EXPECT_EQ(uri.scheme, c.scheme);
  EXPECT_EQ(uri.user, c.user);
  EXPECT_EQ(uri.password, c.password);
  EXPECT_EQ(uri.host, c.host);
  EXPECT_EQ(uri.port_text, c.port_text);
  EXPECT_EQ(uri.port, c.port);
  EXPECT_EQ(uri.params, c.params);
  EXPECT_EQ(uri.headers, c.headers);
  EXPECT_EQ(uri.host_is_ipv6, c.ipv6);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidUriTest,
    ::testing::Values(
        ValidUriCase{"sip:alice@atlanta.com", "sip", "alice", "", "atlanta.com", "", 0, "", "", false},
        ValidUriCase{"sip:atlanta.com", "sip", "", "", "atlanta.com", "", 0, "", "", false},
        ValidUriCase{"SIP:bob@192.0.2.4:5070", "SIP", "bob", "", "192.0.2.4", "5070", 5070, "", "",
                     false},
        ValidUriCase{"sips:alice:secretword@atlanta.com;transport=tcp", "sips", "alice",
                     "secretword", "atlanta.com", "", 0, "transport=tcp", "", false},
        ValidUriCase{"sip:[2001:db8::1]:5060", "sip", "", "", "2001:db8::1", "5060", 5060, "", "",
                     true},
        ValidUriCase{"sip:bob@[2001:db8::10]", "sip", "bob", "", "2001:db8::10", "", 0, "", "",
                     true},
        ValidUriCase{"sip:[::ffff:192.0.2.1];lr", "sip", "", "", "::ffff:192.0.2.1", "", 0, "lr",
                     "", true},
        ValidUriCase{"sip:%61lice%20x@atlanta.com", "sip", "%61lice%20x", "", "atlanta.com", "",
                     0, "", "", false},
        ValidUriCase{"sip:sips%3Auser%40example.com@example.net", "sip",
                     "sips%3Auser%40example.com", "", "example.net", "", 0, "", "", false},
        ValidUriCase{"sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip", "+1-212-555-1212",
                     "1234", "gateway.com", "", 0, "user=phone", "", false},
        ValidUriCase{"sip:+15551234;npdi;rn=+1555@carrier.example", "sip",
                     "+15551234;npdi;rn=+1555", "", "carrier.example", "", 0, "", "", false},
        ValidUriCase{"sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "sip", "", "",
                     "atlanta.com", "", 0, "method=REGISTER", "to=alice%40atlanta.com", false},
        ValidUriCase{"sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip", "alice",
                     "", "atlanta.com", "", 0, "", "subject=project%20x&priority=urgent", false},
        ValidUriCase{"sip:p1.example.com:5060;lr;r2=on;transport=udp", "sip", "", "",
                     "p1.example.com", "5060", 5060, "lr;r2=on;transport=udp", "", false},
        ValidUriCase{"sip:user@host_with_underscore.local:65535", "sip", "user", "",
                     "host_with_underscore.local", "65535", 65535, "", "", false},
        ValidUriCase{"tel:+1-201-555-0123", "tel", "+1-201-555-0123", "", "", "", 0, "", "",
                     false},
        ValidUriCase{"tel:7042;phone-context=example.com", "tel", "7042", "", "", "", 0,
                     "phone-context=example.com", "", false},
        ValidUriCase{"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
                     "sip", "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
                     "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", "example.com", "", 0, "", "",
                     false}));

class InvalidUriTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(InvalidUriTest, IsRejected) {
  Uri uri;
  EXPECT_FALSE(parse_uri(GetParam(), uri)) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidUriTest,
    ::testing::Values("", "sip:", "sip", "alice@atlanta.com", "http://example.com",
                      "sip:@host", "sip:alice@", "sip:alice@host:0", "sip:alice@host:65536",
                      "sip:alice@host:50a", "sip:alice@host:", "sip:host name",
                      "sip:alice@[2001:db8::1", "sip:[]", "sip:[zz::1]", "sip:[1.2.3.4]",
                      "sip:alice@host\r\n", "sip:<alice>@host", "sip:\"a\"@host",
                      "sip:a@b@", "tel:", "tel:;phone-context=x", "sip:host:5060:5061",
                      "sip:ho$t", std::string_view("sip:a\0b@host", 12)));

TEST(UriParam, FindsFlagsAndValuesCaseInsensitively) {
  const std::string_view params = "lr;Transport=UDP;r2=on;maddr=239.255.255.1;ttl=15";
  bool present = false;
  EXPECT_EQ(uri_param(params, "lr", &present), "");
  EXPECT_TRUE(present);
  EXPECT_EQ(uri_param(params, "transport"), "UDP");
  EXPECT_EQ(uri_param(params, "TRANSPORT"), "UDP");
  EXPECT_EQ(uri_param(params, "r2"), "on");
  EXPECT_EQ(uri_param(params, "ttl"), "15");
  EXPECT_EQ(uri_param(params, "user", &present), "");
  EXPECT_FALSE(present);
  EXPECT_EQ(uri_param(params, "l", &present), "");
  EXPECT_FALSE(present) << "prefix of a name must not match";
}

TEST(UriParam, ToleratesLeadingSemicolonAndEmptyItems) {
  bool present = false;
  EXPECT_EQ(uri_param(";;lr;;x=1;", "x"), "1");
  uri_param(";;lr;;x=1;", "lr", &present);
  EXPECT_TRUE(present);
  uri_param("", "lr", &present);
  EXPECT_FALSE(present);
}

TEST(UriParam, ParsedUriParamsAreSearchable) {
  Uri uri;
  ASSERT_TRUE(parse_uri("sip:proxy.example.com;transport=tcp;lr", uri));
  bool lr = false;
  uri_param(uri.params, "lr", &lr);
  EXPECT_TRUE(lr);
  EXPECT_EQ(uri_param(uri.params, "transport"), "tcp");
}

TEST(HostPort, ToleratesBlanksAroundColon) {
  HostPort host_port;
  ASSERT_TRUE(parse_host_port("example.com : 5061", host_port));
  EXPECT_EQ(host_port.host, "example.com");
  EXPECT_EQ(host_port.port, 5061);
  ASSERT_TRUE(parse_host_port("[::1] :5060", host_port));
  EXPECT_EQ(host_port.host, "::1");
  EXPECT_TRUE(host_port.is_ipv6);
  EXPECT_FALSE(parse_host_port("[::1]x", host_port));
  EXPECT_FALSE(parse_host_port("exa mple.com", host_port));
  EXPECT_FALSE(parse_host_port("", host_port));
}

TEST(Uri, FieldsViewIntoTheInput) {
  const std::string text = "sip:alice:pw@[2001:db8::1]:5080;lr?x=y";
  Uri uri;
  ASSERT_TRUE(parse_uri(text, uri));
  for (std::string_view part : {uri.scheme, uri.user, uri.password, uri.host, uri.port_text,
                                uri.params, uri.headers}) {
    EXPECT_GE(part.data(), text.data());
    EXPECT_LE(part.data() + part.size(), text.data() + text.size());
  }
}

}  // namespace
}  // namespace sbc::sip
