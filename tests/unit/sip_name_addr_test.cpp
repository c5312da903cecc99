// Unit tests for sbc::sip name-addr parsing, header params and comma splitting.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "sip/name_addr.h"

namespace sbc::sip {
namespace {

struct ValidNameAddrCase {
  std::string_view text;
  std::string_view display, uri_text, params;
  std::string_view uri_user, uri_host, uri_params;
  bool angle;
};

class ValidNameAddrTest : public ::testing::TestWithParam<ValidNameAddrCase> {};

TEST_P(ValidNameAddrTest, ParsesEveryComponent) {
  const ValidNameAddrCase& c = GetParam();
  NameAddr name_addr;
  ASSERT_TRUE(parse_name_addr(c.text, name_addr)) << c.text;
  EXPECT_EQ(name_addr.display, c.display);
  EXPECT_EQ(name_addr.uri_text, c.uri_text);
  EXPECT_EQ(name_addr.params, c.params);
  EXPECT_EQ(name_addr.uri.user, c.uri_user);
  EXPECT_EQ(name_addr.uri.host, c.uri_host);
  EXPECT_EQ(name_addr.uri.params, c.uri_params);
  EXPECT_EQ(name_addr.has_angle_brackets, c.angle);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidNameAddrTest,
    ::testing::Values(
        ValidNameAddrCase{"Bob <sip:bob@biloxi.com>;tag=a6c85cf", "Bob", "sip:bob@biloxi.com",
                          "tag=a6c85cf", "bob", "biloxi.com", "", true},
        ValidNameAddrCase{"\"Alice Smith\" <sip:alice@atlanta.com;transport=tcp>;tag=1928301774",
                          "Alice Smith", "sip:alice@atlanta.com;transport=tcp", "tag=1928301774",
                          "alice", "atlanta.com", "transport=tcp", true},
        // Without <>, ';' params belong to the header (RFC 3261 §20.10).
        ValidNameAddrCase{"sip:carol@chicago.com;tag=887s", "", "sip:carol@chicago.com",
                          "tag=887s", "carol", "chicago.com", "", false},
        ValidNameAddrCase{"<sip:p1.example.com;lr>", "", "sip:p1.example.com;lr", "", "",
                          "p1.example.com", "lr", true},
        ValidNameAddrCase{"\"\\\"quoted\\\" <name>, with comma\"<sip:q@x.org>", "\\\"quoted\\\" <name>, with comma",
                          "sip:q@x.org", "", "q", "x.org", "", true},
        ValidNameAddrCase{"  Very  Long Name   <sip:v@[2001:db8::1]:5060> ; expires = 60 ; q=0.5  ",
                          "Very  Long Name", "sip:v@[2001:db8::1]:5060", "expires = 60 ; q=0.5",
                          "v", "2001:db8::1", "", true},
        ValidNameAddrCase{"<tel:+15551234567;phone-context=example.com>;tag=t", "",
                          "tel:+15551234567;phone-context=example.com", "tag=t", "+15551234567",
                          "", "phone-context=example.com", true},
        ValidNameAddrCase{"\"\" <sip:anon@anonymous.invalid>", "", "sip:anon@anonymous.invalid",
                          "", "anon", "anonymous.invalid", "", true},
        ValidNameAddrCase{"J\xC3\xBCrgen <sip:j@example.de>", "J\xC3\xBCrgen", "sip:j@example.de", "",
                          "j", "example.de", "", true},
        ValidNameAddrCase{"<sip:%61lice@example.com>", "", "sip:%61lice@example.com", "",
                          "%61lice", "example.com", "", true},
        ValidNameAddrCase{"\"Folded\"\r\n <sip:f@example.com>\r\n ;tag=1", "Folded",
                          "sip:f@example.com", "tag=1", "f", "example.com", "", true}));

class InvalidNameAddrTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(InvalidNameAddrTest, IsRejected) {
  NameAddr name_addr;
  EXPECT_FALSE(parse_name_addr(GetParam(), name_addr)) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidNameAddrTest,
    ::testing::Values("", "   ", "*", "<sip:x@y", "\"unterminated <sip:x@y>", "\"A\" sip:x@y",
                      "<sip:x@y> junk", "<sip:x@y>tag=1", "Bob sip:bob@x", "<>", "<http://x>",
                      "A\"B <sip:x@y>", "sip:a b@c", "\"A\" <sip:x@y>>", "<sip:x@y>;tag=1>"));

TEST(HeaderParam, FindsTagAndQuotedValues) {
  const std::string_view params = "tag=abc ; expires=3600;+sip.instance=\"<urn:uuid:1;x>\";Q=0.7";
  EXPECT_EQ(header_param(params, "TAG"), "abc");
  EXPECT_EQ(header_param(params, "expires"), "3600");
  EXPECT_EQ(header_param(params, "+sip.instance"), "\"<urn:uuid:1;x>\"");
  EXPECT_EQ(header_param(params, "q"), "0.7");
  bool present = true;
  EXPECT_EQ(header_param(params, "x>\"", &present), "");
  EXPECT_FALSE(present) << "';' inside quotes must not split";
}

TEST(HeaderParam, WorksOnParsedNameAddr) {
  NameAddr to;
  ASSERT_TRUE(parse_name_addr("<sip:bob@biloxi.com;tag=uri-tag>;tag=hdr-tag", to));
  EXPECT_EQ(header_param(to.params, "tag"), "hdr-tag");
  EXPECT_EQ(header_param(to.uri.params, "tag"), "uri-tag");
}

struct SplitCase {
  std::string_view text;
  std::vector<std::string_view> values;
};

class HeaderValueSplitTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(HeaderValueSplitTest, SplitsAtTopLevelCommasOnly) {
  std::string_view rest = GetParam().text;
  std::vector<std::string_view> values;
  std::string_view value;
  while (next_header_value(rest, value)) values.push_back(value);
  EXPECT_EQ(values, GetParam().values);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HeaderValueSplitTest,
    ::testing::Values(
        SplitCase{"a, <sip:x,y>, \"b,c\" <sip:z>", {"a", "<sip:x,y>", "\"b,c\" <sip:z>"}},
        SplitCase{"", {}},
        SplitCase{" , ,, ", {}},
        SplitCase{"one", {"one"}},
        SplitCase{"<sip:a@b>;tag=1,<sip:c@d>", {"<sip:a@b>;tag=1", "<sip:c@d>"}},
        SplitCase{"\"esc \\\", still quoted\" <sip:e@f>, g",
                  {"\"esc \\\", still quoted\" <sip:e@f>", "g"}},
        SplitCase{"x,\r\n y", {"x", "y"}},
        SplitCase{"\"unterminated, quote", {"\"unterminated, quote"}},
        SplitCase{"<unterminated, angle", {"<unterminated, angle"}},
        SplitCase{"trailing backslash \"\\", {"trailing backslash \"\\"}}));

}  // namespace
}  // namespace sbc::sip
