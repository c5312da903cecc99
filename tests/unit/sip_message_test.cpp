// Unit tests for sbc::sip::Message parsing, method/header-name lookup and
// stream framing: real-world messages, RFC 4475-style torture cases, prefixes,
// random garbage and deterministic mutation fuzzing.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "mutate.h"
#include "sip/header_id.h"
#include "sip/message.h"
#include "sip/method.h"
#include "sip/name_addr.h"
#include "sip/stream_framing.h"
#include "sip/via.h"

namespace sbc::sip {
namespace {

// Test messages are written with '\n'; SIP wants CRLF.
std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Replaces the "{CL}" placeholder with the real size of what follows the head.
std::string with_content_length(std::string text) {
  const size_t head_end = text.find("\r\n\r\n") + 4;
  const std::string length = std::to_string(text.size() - head_end);
  text.replace(text.find("{CL}"), 4, length);
  return text;
}

bool view_inside(std::string_view part, std::string_view buffer) {
  if (part.empty()) return true;
  return part.data() >= buffer.data() && part.data() + part.size() <= buffer.data() + buffer.size();
}

void expect_all_views_inside(const Message& message, std::string_view buffer) {
  for (const HeaderField& field : message.headers()) {
    ASSERT_TRUE(view_inside(field.name, buffer));
    ASSERT_TRUE(view_inside(field.value, buffer));
    ASSERT_TRUE(view_inside(field.raw_line, buffer));
  }
  for (std::string_view part :
       {message.method_token(), message.request_uri(), message.reason_phrase(), message.call_id(),
        message.cseq_method_token(), message.top_via_value(), message.from_value(),
        message.to_value(), message.body(), message.start_line(), message.head(),
        message.text()}) {
    ASSERT_TRUE(view_inside(part, buffer));
  }
}

const std::string kInvite = with_content_length(crlf(
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: {CL}\n"
    "\n"
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\n"
    "s=-\n"
    "c=IN IP4 192.0.2.101\n"
    "t=0 0\n"
    "m=audio 49172 RTP/AVP 0\n"
    "a=rtpmap:0 PCMU/8000\n"));

// --- Method and HeaderId -----------------------------------------------------

TEST(Method, MapsTokensCaseSensitively) {
  EXPECT_EQ(method_from_token("INVITE"), Method::Invite);
  EXPECT_EQ(method_from_token("PUBLISH"), Method::Publish);
  EXPECT_EQ(method_from_token("invite"), Method::Other);
  EXPECT_EQ(method_from_token("INVITEX"), Method::Other);
  EXPECT_EQ(method_from_token(""), Method::Other);
  for (int i = 0; i < static_cast<int>(Method::Other); ++i) {
    const auto method = static_cast<Method>(i);
    EXPECT_EQ(method_from_token(method_name(method)), method);
  }
  EXPECT_EQ(method_name(Method::Other), "");
}

struct HeaderNameCase {
  std::string_view name;
  HeaderId id;
};

class HeaderIdTest : public ::testing::TestWithParam<HeaderNameCase> {};

TEST_P(HeaderIdTest, MapsLongAndCompactForms) {
  EXPECT_EQ(header_id_from_name(GetParam().name), GetParam().id) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, HeaderIdTest,
    ::testing::Values(
        HeaderNameCase{"Via", HeaderId::Via}, HeaderNameCase{"vIA", HeaderId::Via},
        HeaderNameCase{"v", HeaderId::Via}, HeaderNameCase{"V", HeaderId::Via},
        HeaderNameCase{"f", HeaderId::From}, HeaderNameCase{"t", HeaderId::To},
        HeaderNameCase{"i", HeaderId::CallId}, HeaderNameCase{"CALL-ID", HeaderId::CallId},
        HeaderNameCase{"m", HeaderId::Contact}, HeaderNameCase{"l", HeaderId::ContentLength},
        HeaderNameCase{"c", HeaderId::ContentType}, HeaderNameCase{"k", HeaderId::Supported},
        HeaderNameCase{"e", HeaderId::ContentEncoding}, HeaderNameCase{"s", HeaderId::Subject},
        HeaderNameCase{"o", HeaderId::Event}, HeaderNameCase{"u", HeaderId::AllowEvents},
        HeaderNameCase{"r", HeaderId::ReferTo}, HeaderNameCase{"x", HeaderId::SessionExpires},
        HeaderNameCase{"b", HeaderId::ReferredBy}, HeaderNameCase{"cseq", HeaderId::CSeq},
        HeaderNameCase{"max-forwards", HeaderId::MaxForwards},
        HeaderNameCase{"Record-Route", HeaderId::RecordRoute},
        HeaderNameCase{"route", HeaderId::Route},
        HeaderNameCase{"Proxy-Require", HeaderId::ProxyRequire},
        HeaderNameCase{"user-agent", HeaderId::UserAgent},
        HeaderNameCase{"Session-Expires", HeaderId::SessionExpires},
        HeaderNameCase{"WWW-Authenticate", HeaderId::WwwAuthenticate},
        HeaderNameCase{"P-Asserted-Identity", HeaderId::PAssertedIdentity},
        HeaderNameCase{"", HeaderId::Other}, HeaderNameCase{"q", HeaderId::Other},
        HeaderNameCase{"Vias", HeaderId::Other}, HeaderNameCase{"X-Custom", HeaderId::Other},
        HeaderNameCase{"1", HeaderId::Other}, HeaderNameCase{"-Via", HeaderId::Other}));

TEST(HeaderId, CanonicalNamesRoundTrip) {
  for (int i = 1; i <= static_cast<int>(HeaderId::HistoryInfo); ++i) {
    const auto id = static_cast<HeaderId>(i);
    EXPECT_EQ(header_id_from_name(header_canonical_name(id)), id) << i;
  }
}

// --- Valid messages ----------------------------------------------------------

TEST(Message, ParsesRealInviteWithSdp) {
  Message message;
  ASSERT_EQ(message.parse(kInvite), ParseError::None);
  EXPECT_TRUE(message.is_request());
  EXPECT_EQ(message.method(), Method::Invite);
  EXPECT_EQ(message.method_token(), "INVITE");
  EXPECT_EQ(message.request_uri(), "sip:bob@biloxi.example.com");
  EXPECT_EQ(message.start_line(), "INVITE sip:bob@biloxi.example.com SIP/2.0");
  EXPECT_EQ(message.headers().size(), 9u);
  EXPECT_EQ(message.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(message.cseq_number(), 314159u);
  EXPECT_EQ(message.cseq_method(), Method::Invite);
  EXPECT_EQ(message.cseq_method_token(), "INVITE");
  EXPECT_EQ(message.top_via_value(), "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds");
  EXPECT_EQ(message.from_value(), "Alice <sip:alice@atlanta.example.com>;tag=1928301774");
  EXPECT_EQ(message.to_value(), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(message.max_forwards(), 70);
  EXPECT_TRUE(message.body().starts_with("v=0\r\n"));
  EXPECT_TRUE(message.body().ends_with("PCMU/8000\r\n"));
  EXPECT_EQ(message.head().size() + message.body().size(), kInvite.size());
  EXPECT_TRUE(message.head().ends_with("\r\n\r\n"));
  EXPECT_EQ(message.text(), kInvite);
  ASSERT_NE(message.first(HeaderId::ContentType), nullptr);
  EXPECT_EQ(message.first(HeaderId::ContentType)->value, "application/sdp");
  EXPECT_EQ(message.first(HeaderId::ContentType)->raw_line, "Content-Type: application/sdp\r\n");
  EXPECT_EQ(message.first(HeaderId::Route), nullptr);
  EXPECT_EQ(message.count(HeaderId::Via), 1u);
  expect_all_views_inside(message, kInvite);
}

TEST(Message, RawLinesSpliceBackIntoTheHead) {
  Message message;
  ASSERT_EQ(message.parse(kInvite), ParseError::None);
  std::string rebuilt = std::string(message.start_line()) + "\r\n";
  for (const HeaderField& field : message.headers()) rebuilt += field.raw_line;
  rebuilt += "\r\n";
  EXPECT_EQ(rebuilt, message.head());
}

TEST(Message, ParsesOkWithMultipleRecordRoutes) {
  const std::string text = crlf(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP server10.biloxi.example.com;branch=z9hG4bKnashds8;received=192.0.2.3\n"
      "Via: SIP/2.0/UDP bigbox3.site3.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1\n"
      "Record-Route: <sip:server10.biloxi.example.com;lr>\n"
      "Record-Route: <sip:bigbox3.site3.atlanta.example.com;lr>, <sip:edge.example.com;lr>\n"
      "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710\n"
      "CSeq: 314159 INVITE\n"
      "Contact: <sip:bob@192.0.2.4>\n"
      "Content-Length: 0\n"
      "\n");
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_FALSE(message.is_request());
  EXPECT_EQ(message.status_code(), 200);
  EXPECT_EQ(message.reason_phrase(), "OK");
  EXPECT_EQ(message.method(), Method::Other);
  EXPECT_EQ(message.cseq_method(), Method::Invite);
  EXPECT_EQ(message.count(HeaderId::Via), 3u);
  EXPECT_EQ(message.count(HeaderId::RecordRoute), 2u);
  EXPECT_EQ(message.top_via_value(),
            "SIP/2.0/UDP server10.biloxi.example.com;branch=z9hG4bKnashds8;received=192.0.2.3");
  std::vector<std::string_view> routes;
  for (const HeaderField& field : message.headers()) {
    if (field.id != HeaderId::RecordRoute) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (next_header_value(rest, value)) routes.push_back(value);
  }
  ASSERT_EQ(routes.size(), 3u);
  NameAddr last;
  ASSERT_TRUE(parse_name_addr(routes[2], last));
  EXPECT_EQ(last.uri.host, "edge.example.com");
  EXPECT_EQ(message.max_forwards(), -1);
  EXPECT_TRUE(message.body().empty());
}

TEST(Message, ParsesCompactHeaderForms) {
  const std::string text = crlf(
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\n"
      "v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\n"
      "t: <sip:carol@chicago.example.com>\n"
      "f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
      "i: a84b4c76e66710\n"
      "CSeq: 63104 OPTIONS\n"
      "m: <sip:alice@pc33.atlanta.example.com>\n"
      "k: timer, 100rel\n"
      "c: text/plain\n"
      "l: 5\n"
      "\n"
      "hello");
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_EQ(message.method(), Method::Options);
  EXPECT_EQ(message.call_id(), "a84b4c76e66710");
  EXPECT_EQ(message.to_value(), "<sip:carol@chicago.example.com>");
  EXPECT_EQ(message.body(), "hello");
  ASSERT_NE(message.first(HeaderId::Supported), nullptr);
  EXPECT_EQ(message.first(HeaderId::Supported)->name, "k");
  EXPECT_EQ(message.first(HeaderId::Contact)->value, "<sip:alice@pc33.atlanta.example.com>");
}

TEST(Message, AcceptsBareLfLineEndingsAndLeadingKeepaliveBytes) {
  const std::string text =
      "\r\n\r\nBYE sip:bob@192.0.2.4 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnashds10\n"
      "From: <sip:alice@a.example>;tag=1\n"
      "To: <sip:bob@b.example>;tag=2\n"
      "Call-ID: lf-only\n"
      "CSeq: 2 BYE\n"
      "\n";
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_EQ(message.method(), Method::Bye);
  EXPECT_EQ(message.start_line(), "BYE sip:bob@192.0.2.4 SIP/2.0");
  EXPECT_EQ(message.text(), std::string_view(text).substr(4));
  EXPECT_EQ(message.first(HeaderId::CallId)->raw_line, "Call-ID: lf-only\n");
}

TEST(Message, UnfoldsContinuationLinesIntoOneField) {
  const std::string text = crlf(
      "MESSAGE sip:bob@b.example SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
      "Subject: first part\n"
      "  second part\n"
      "\tthird part\n"
      "From: <sip:alice@a.example>;tag=1\n"
      "To:\n"
      " <sip:bob@b.example>\n"
      "Call-ID: fold\n"
      "CSeq: 1\n"
      " MESSAGE\n"
      "Content-Length: 0\n"
      "\n");
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  const HeaderField* subject = message.first(HeaderId::Subject);
  ASSERT_NE(subject, nullptr);
  EXPECT_EQ(subject->value, "first part\r\n  second part\r\n\tthird part");
  EXPECT_EQ(subject->raw_line, "Subject: first part\r\n  second part\r\n\tthird part\r\n");
  EXPECT_EQ(message.to_value(), "<sip:bob@b.example>");
  EXPECT_EQ(message.cseq_number(), 1u);
  EXPECT_EQ(message.cseq_method(), Method::Message);
  EXPECT_EQ(message.headers().size(), 7u);
}

TEST(Message, HandlesViaListsAndIpv6) {
  const std::string text = crlf(
      "INVITE sip:[2001:db8::10]:5070;transport=udp SIP/2.0\n"
      "Via: SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;rport, SIP/2.0/TCP "
      "proxy.example.com;branch=z9hG4bKp\n"
      "Via: SIP/2.0/UDP 192.0.2.77;branch=z9hG4bKlast\n"
      "From: \"Alice\" <sip:%61lice@[2001:db8::9:1]>;tag=ipv6\n"
      "To: <sip:user@[2001:db8::10]>\n"
      "Call-ID: SSG9559905523997077@hlau_4100\n"
      "CSeq: 8 INVITE\n"
      "Max-Forwards: 70\n"
      "Content-Length: 0\n"
      "\n");
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_EQ(message.request_uri(), "sip:[2001:db8::10]:5070;transport=udp");
  EXPECT_EQ(message.top_via_value(), "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;rport");
  Via via;
  ASSERT_TRUE(parse_via(message.top_via_value(), via));
  EXPECT_TRUE(via.host_is_ipv6);
  EXPECT_EQ(via.host, "2001:db8::9:1");
  EXPECT_TRUE(via.has_rport);

  std::vector<std::string_view> all_vias;
  for (const HeaderField& field : message.headers()) {
    if (field.id != HeaderId::Via) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (next_header_value(rest, value)) all_vias.push_back(value);
  }
  ASSERT_EQ(all_vias.size(), 3u);
  EXPECT_EQ(all_vias[2], "SIP/2.0/UDP 192.0.2.77;branch=z9hG4bKlast");

  NameAddr from;
  ASSERT_TRUE(parse_name_addr(message.from_value(), from));
  EXPECT_EQ(from.uri.user, "%61lice");
  EXPECT_TRUE(from.uri.host_is_ipv6);
  EXPECT_EQ(header_param(from.params, "tag"), "ipv6");
}

// RFC 4475 §3.1.1.1 (wsinv): legal but unusual whitespace everywhere.
TEST(Message, AcceptsTortureWhitespace) {
  const std::string text = with_content_length(crlf(
      "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\n"
      "TO :\n"
      " sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\n"
      "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\n"
      "  ;\n"
      "  tag = 98asjd8\n"
      "MaX-fOrWaRdS: 0068\n"
      "Call-ID: wsinv.ndaksdj@192.0.2.1\n"
      "Content-Length   : {CL}\n"
      "cseq: 0009\n"
      "  INVITE\n"
      "Via  : SIP  /   2.0\n"
      " /UDP\n"
      "    192.0.2.2;branch=390skdjuw\n"
      "s :\n"
      "NewFangledHeader:   newfangled value\n"
      " continued newfangled value\n"
      "UnknownHeaderWithUnusualValue: ;;,,;;,;\n"
      "Content-Type: application/sdp\n"
      "Route:\n"
      " <sip:services.example.com;lr;unknownwith=value;unknown-no-value>\n"
      "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\n"
      "  branch  =   z9hG4bK9ikj8  ,\n"
      " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\n"
      " z9hG4bK30239\n"
      "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\n"
      "      newvalue ;\n"
      "  secondparam ; q = 0.33\n"
      "\n"
      "v=0\n"
      "o=mhandley 29739 7272939 IN IP4 192.0.2.3\n"
      "s=-\n"
      "c=IN IP4 192.0.2.4\n"
      "t=0 0\n"
      "m=audio 49217 RTP/AVP 0 12\n"
      "m=video 3227 RTP/AVP 31\n"
      "a=rtpmap:31 LPC\n"));
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None) << parse_error_reason(message.parse(text));
  EXPECT_EQ(message.max_forwards(), 68);
  EXPECT_EQ(message.cseq_number(), 9u);
  EXPECT_EQ(message.cseq_method(), Method::Invite);
  EXPECT_EQ(message.count(HeaderId::Via), 2u);
  EXPECT_EQ(message.first(HeaderId::Subject)->value, "");
  EXPECT_EQ(message.first(HeaderId::ContentLength)->name, "Content-Length");

  Via via;
  ASSERT_TRUE(parse_via(message.top_via_value(), via));
  EXPECT_EQ(via.host, "192.0.2.2");
  EXPECT_EQ(via.branch, "390skdjuw");

  std::string_view second_via_list;
  for (const HeaderField& field : message.headers()) {
    if (field.id == HeaderId::Via) second_via_list = field.value;
  }
  std::string_view value;
  std::vector<Via> vias;
  while (next_header_value(second_via_list, value)) {
    ASSERT_TRUE(parse_via(value, via)) << value;
    vias.push_back(via);
  }
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0].branch, "z9hG4bK9ikj8");
  EXPECT_EQ(vias[1].branch, "z9hG4bK30239");
  EXPECT_EQ(vias[1].host, "192.168.255.111");

  NameAddr to;
  ASSERT_TRUE(parse_name_addr(message.to_value(), to));
  EXPECT_FALSE(to.has_angle_brackets);
  EXPECT_EQ(header_param(to.params, "tag"), "1918181833n");
  NameAddr from;
  ASSERT_TRUE(parse_name_addr(message.from_value(), from));
  EXPECT_EQ(header_param(from.params, "tag"), "98asjd8");
  EXPECT_EQ(from.uri.user, "jdrosen");
  NameAddr contact;
  ASSERT_TRUE(parse_name_addr(message.first(HeaderId::Contact)->value, contact));
  EXPECT_EQ(header_param(contact.params, "newparam"), "newvalue");
  EXPECT_EQ(header_param(contact.params, "q"), "0.33");
}

TEST(Message, AcceptsUnusualButValidFormatting) {
  const std::string text = crlf(
      "REGISTER sip:registrar.example.com SIP/2.0\n"
      "via: SIP/2.0/TCP 192.0.2.5:5061;branch=z9hG4bKreg\n"
      "FROM:<sip:user@example.com>;tag=x\n"
      "to:<sip:user@example.com>\n"
      "CALL-ID:   reg-1   \n"
      "cseq:2 REGISTER\n"
      "max-forwards:0\n"
      "contact: *\n"
      "expires: 0\n"
      "X-Empty:\n"
      "l:0\n"
      "\n");
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_EQ(message.call_id(), "reg-1");
  EXPECT_EQ(message.max_forwards(), 0);
  EXPECT_EQ(message.method(), Method::Register);
  EXPECT_EQ(message.headers()[8].value, "");
  EXPECT_EQ(message.headers()[8].id, HeaderId::Other);
}

TEST(Message, UnknownMethodAndLowercaseVersion) {
  const std::string text = crlf(
      "NEWMETHOD sip:x@example.com sip/2.0\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "From: <sip:a@b>;tag=1\n"
      "To: <sip:x@example.com>\n"
      "Call-ID: unk\n"
      "CSeq: 1 NEWMETHOD\n"
      "\n");
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_EQ(message.method(), Method::Other);
  EXPECT_EQ(message.method_token(), "NEWMETHOD");
  EXPECT_EQ(message.cseq_method(), Method::Other);
}

TEST(Message, IgnoresBytesBeyondContentLengthAndDefaultsBodyToRest) {
  std::string text = kInvite + "TRAILING JUNK";
  Message message;
  ASSERT_EQ(message.parse(text), ParseError::None);
  EXPECT_EQ(message.text(), kInvite);

  std::string no_length = crlf(
      "SIP/2.0 180 Ringing\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "From: <sip:a@b>;tag=1\n"
      "To: <sip:c@d>;tag=2\n"
      "Call-ID: r\n"
      "CSeq: 1 INVITE\n"
      "\n") + "body without length";
  ASSERT_EQ(message.parse(no_length), ParseError::None);
  EXPECT_EQ(message.body(), "body without length");
  EXPECT_EQ(message.status_code(), 180);
}

TEST(Message, StatusLineVariants) {
  const std::string rest = crlf(
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "From: <sip:a@b>;tag=1\n"
      "To: <sip:c@d>;tag=2\n"
      "Call-ID: r\n"
      "CSeq: 1 INVITE\n"
      "\n");
  struct Case {
    std::string_view line;
    ParseError error;
    int code;
    std::string_view reason;
  };
  const Case cases[] = {
      {"SIP/2.0 100 Trying", ParseError::None, 100, "Trying"},
      {"SIP/2.0 699 ", ParseError::None, 699, ""},
      {"SIP/2.0 486", ParseError::None, 486, ""},
      {"SIP/2.0 500 Server Internal Error: \xE2\x9C\x93 utf8", ParseError::None, 500,
       "Server Internal Error: \xE2\x9C\x93 utf8"},
      {"SIP/2.0 099 Low", ParseError::BadStatusCode, 0, ""},
      {"SIP/2.0 700 High", ParseError::BadStatusCode, 0, ""},
      {"SIP/2.0 4294967301 better not break the receiver", ParseError::BadStatusCode, 0, ""},
      {"SIP/2.0 20 OK", ParseError::BadStatusCode, 0, ""},
      {"SIP/2.0 2x0 OK", ParseError::BadStatusCode, 0, ""},
      {"SIP/2.0  200 OK", ParseError::BadStatusCode, 0, ""},
      {"SIP/2.0", ParseError::BadStartLine, 0, ""},
      {"SIP/7.0 200 OK", ParseError::BadVersion, 0, ""},
      {"SIP/2.00 200 OK", ParseError::BadVersion, 0, ""},
  };
  Message message;
  for (const Case& c : cases) {
    const std::string text = std::string(c.line) + "\r\n" + rest;
    EXPECT_EQ(message.parse(text), c.error) << c.line;
    if (c.error != ParseError::None) continue;
    EXPECT_EQ(message.status_code(), c.code);
    EXPECT_EQ(message.reason_phrase(), c.reason);
  }
}

TEST(Message, IsReusableAcrossParses) {
  Message message;
  ASSERT_EQ(message.parse(kInvite), ParseError::None);
  const std::string small = crlf(
      "ACK sip:b@c SIP/2.0\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK2\n"
      "From: <sip:a@b>;tag=1\n"
      "To: <sip:b@c>;tag=2\n"
      "Call-ID: ack\n"
      "CSeq: 314159 ACK\n"
      "\n");
  ASSERT_EQ(message.parse(small), ParseError::None);
  EXPECT_EQ(message.headers().size(), 5u);
  EXPECT_EQ(message.max_forwards(), -1);
  EXPECT_EQ(message.first(HeaderId::ContentType), nullptr);
  EXPECT_EQ(message.method(), Method::Ack);
  EXPECT_EQ(message.parse("garbage"), ParseError::Truncated);
  EXPECT_TRUE(message.headers().empty());
  EXPECT_TRUE(message.call_id().empty());
}

// --- Invalid messages --------------------------------------------------------

// Replaces the first occurrence of `from` in kInvite with `to`.
std::string invite_with(std::string_view from, std::string_view to) {
  std::string text = kInvite;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

struct InvalidCase {
  std::string name;
  std::string text;
  ParseError error;
};

std::vector<InvalidCase> invalid_cases() {
  const std::string cl_line = "Content-Length: " + std::to_string(kInvite.size() -
                                                                  kInvite.find("\r\n\r\n") - 4);
  return {
      {"empty", "", ParseError::Empty},
      {"only_keepalive", "\r\n\r\n", ParseError::Empty},
      {"garbage", "\x01\x02garbage\xff\r\n\r\n", ParseError::BadStartLine},
      {"no_newline", "INVITE sip:a@b SIP/2.0", ParseError::Truncated},
      {"no_empty_line", kInvite.substr(0, kInvite.find("\r\n\r\n") + 2), ParseError::Truncated},
      {"body_lines_as_headers", invite_with("\r\n\r\n", "\r\n"), ParseError::BadHeader},
      {"bad_version", invite_with("SIP/2.0\r\nVia", "SIP/7.0\r\nVia"), ParseError::BadVersion},
      {"http", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", ParseError::BadVersion},
      {"lws_start", invite_with("INVITE sip", "INVITE  sip"), ParseError::BadStartLine},
      {"lws_ruri", invite_with("bob@biloxi.example.com SIP", "bob@biloxi.example.com; lr SIP"),
       ParseError::BadStartLine},
      {"ltgt_ruri", invite_with("sip:bob@biloxi.example.com SIP", "<sip:bob@biloxi.example.com> SIP"),
       ParseError::BadStartLine},
      {"tab_in_start", invite_with("INVITE sip", "INVITE\tsip"), ParseError::BadStartLine},
      {"leading_space_start", " " + kInvite, ParseError::BadStartLine},
      {"missing_ruri", invite_with("INVITE sip:bob@biloxi.example.com SIP/2.0", "INVITE SIP/2.0"),
       ParseError::BadStartLine},
      {"bad_method_token", invite_with("INVITE sip", "INV(ITE sip"), ParseError::BadStartLine},
      {"missing_call_id", invite_with("Call-ID", "X-Call-ID"), ParseError::MissingCallId},
      {"empty_call_id", invite_with("Call-ID: a84b4c76e66710@pc33.atlanta.example.com", "Call-ID:  "),
       ParseError::MissingCallId},
      {"missing_cseq", invite_with("CSeq:", "X-CSeq:"), ParseError::MissingCSeq},
      {"missing_via", invite_with("Via:", "X-Via:"), ParseError::MissingVia},
      {"empty_via", invite_with("SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds", " , "),
       ParseError::MissingVia},
      {"missing_from", invite_with("From:", "X-From:"), ParseError::MissingFrom},
      {"missing_to", invite_with("To:", "X-To:"), ParseError::MissingTo},
      {"cseq_mismatch", invite_with("314159 INVITE", "314159 OPTIONS"),
       ParseError::CSeqMethodMismatch},
      {"cseq_case_mismatch", invite_with("314159 INVITE", "314159 invite"),
       ParseError::CSeqMethodMismatch},
      {"cseq_no_method", invite_with("314159 INVITE", "314159"), ParseError::BadCSeq},
      {"cseq_no_space", invite_with("314159 INVITE", "314159INVITE"), ParseError::BadCSeq},
      {"cseq_huge", invite_with("314159 INVITE", "36893488147419103232 INVITE"),
       ParseError::BadCSeq},
      {"cseq_2_31", invite_with("314159 INVITE", "2147483648 INVITE"), ParseError::BadCSeq},
      {"cseq_negative", invite_with("314159 INVITE", "-1 INVITE"), ParseError::BadCSeq},
      {"cseq_trailing", invite_with("314159 INVITE", "314159 INVITE extra"), ParseError::BadCSeq},
      {"bad_content_length", invite_with(cl_line, "Content-Length: abc"),
       ParseError::BadContentLength},
      {"negative_content_length", invite_with(cl_line, "Content-Length: -999"),
       ParseError::BadContentLength},
      {"huge_content_length", invite_with(cl_line, "Content-Length: 99999999999999999999"),
       ParseError::BadContentLength},
      {"empty_content_length", invite_with(cl_line, "Content-Length:"),
       ParseError::BadContentLength},
      {"content_length_too_big", invite_with(cl_line, "Content-Length: 9999"),
       ParseError::Truncated},
      {"truncated_body", kInvite.substr(0, kInvite.size() - 10), ParseError::Truncated},
      {"duplicate_content_length", invite_with("Content-Length:", "Content-Length: 0\r\nl:"),
       ParseError::DuplicateHeader},
      {"duplicate_call_id", invite_with("Call-ID:", "i: other\r\nCall-ID:"),
       ParseError::DuplicateHeader},
      {"duplicate_cseq", invite_with("CSeq:", "CSeq: 1 INVITE\r\nCSeq:"),
       ParseError::DuplicateHeader},
      {"bad_max_forwards", invite_with("Max-Forwards: 70", "Max-Forwards: seventy"),
       ParseError::BadMaxForwards},
      {"max_forwards_300", invite_with("Max-Forwards: 70", "Max-Forwards: 300"),
       ParseError::BadMaxForwards},
      {"max_forwards_negative", invite_with("Max-Forwards: 70", "Max-Forwards: -1"),
       ParseError::BadMaxForwards},
      {"nul_in_header", invite_with("Call-ID: a84b", std::string("Call-ID: a8\0b", 12)),
       ParseError::BadHeader},
      {"nul_in_start_line", invite_with("INVITE sip:bob", std::string("INVITE sip:b\0b", 14)),
       ParseError::BadStartLine},
      {"bare_cr_in_header", invite_with("Max-Forwards: 70", "Max-Forwards: 70\rX: y"),
       ParseError::BadHeader},
      {"header_without_colon", invite_with("Max-Forwards: 70", "Max-Forwards 70"),
       ParseError::BadHeader},
      {"space_in_header_name", invite_with("Max-Forwards:", "Max Forwards:"),
       ParseError::BadHeader},
      {"empty_header_name", invite_with("Max-Forwards: 70", ": 70"), ParseError::BadHeader},
      {"orphan_continuation", invite_with("SIP/2.0\r\nVia", "SIP/2.0\r\n folded\r\nVia"),
       ParseError::BadHeader},
  };
}

TEST(Message, RejectsInvalidMessages) {
  Message message;
  for (const InvalidCase& c : invalid_cases()) {
    EXPECT_EQ(message.parse(c.text), c.error)
        << c.name << ": got \"" << parse_error_reason(message.parse(c.text)) << "\"";
    expect_all_views_inside(message, c.text);
  }
}

TEST(Message, RejectsTooManyHeaders) {
  std::string text = kInvite;
  std::string extra;
  for (size_t i = 0; i < Message::kMaxHeaders; ++i) extra += "X-H: " + std::to_string(i) + "\r\n";
  text.insert(text.find("Via:"), extra);
  Message message;
  EXPECT_EQ(message.parse(text), ParseError::TooManyHeaders);

  std::string exactly_max = crlf(
      "OPTIONS sip:a@b SIP/2.0\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "From: <sip:a@b>;tag=1\n"
      "To: <sip:a@b>\n"
      "Call-ID: many\n"
      "CSeq: 1 OPTIONS\n");
  for (size_t i = 5; i < Message::kMaxHeaders; ++i) exactly_max += "X-H: v\r\n";
  exactly_max += "\r\n";
  EXPECT_EQ(message.parse(exactly_max), ParseError::None);
  EXPECT_EQ(message.headers().size(), Message::kMaxHeaders);
}

TEST(Message, ErrorReasonsAreDistinctAndNonEmpty) {
  std::vector<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(ParseError::DuplicateHeader); ++i) {
    const std::string_view reason = parse_error_reason(static_cast<ParseError>(i));
    EXPECT_FALSE(reason.empty());
    for (std::string_view other : seen) EXPECT_NE(reason, other);
    seen.push_back(reason);
  }
  EXPECT_EQ(parse_error_reason(ParseError::MissingCallId), "missing Call-ID");
  EXPECT_EQ(parse_error_reason(static_cast<ParseError>(200)), "unknown error");
}

TEST(Message, KeepsParsedHeadersAfterErrorForDiagnostics) {
  Message message;
  const std::string text = invite_with("314159 INVITE", "314159 BYE");
  ASSERT_EQ(message.parse(text), ParseError::CSeqMethodMismatch);
  EXPECT_EQ(message.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_FALSE(message.top_via_value().empty());
}

// --- Robustness --------------------------------------------------------------

TEST(Message, RandomBytesAreRejectedSafely) {
  std::mt19937 rng(4475);
  std::string noise(10000, '\0');
  for (char& c : noise) c = static_cast<char>(rng() & 0xff);
  Message message;
  EXPECT_NE(message.parse(noise), ParseError::None);
  expect_all_views_inside(message, noise);

  std::string printable(10000, '\0');
  const std::string_view alphabet = "SIP/2.0 :;<>\"\r\n\t,@=abcINVTE0123456789";
  for (char& c : printable) c = alphabet[rng() % alphabet.size()];
  EXPECT_NE(message.parse(printable), ParseError::None);
  expect_all_views_inside(message, printable);
}

TEST(Message, EveryPrefixWithContentLengthFailsUntilComplete) {
  Message message;
  for (size_t size = 0; size <= kInvite.size(); ++size) {
    const std::string prefix = kInvite.substr(0, size);  // own allocation: ASan sees over-reads
    const ParseError error = message.parse(prefix);
    expect_all_views_inside(message, prefix);
    if (size == kInvite.size()) {
      EXPECT_EQ(error, ParseError::None);
    } else {
      EXPECT_NE(error, ParseError::None) << "prefix of " << size << " bytes";
    }
  }
}

TEST(Message, EveryPrefixWithoutContentLengthSucceedsOnlyOnceHeadIsComplete) {
  const std::string full = crlf(
      "NOTIFY sip:a@b SIP/2.0\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "From: <sip:a@b>;tag=1\n"
      "To: <sip:a@b>;tag=2\n"
      "Call-ID: prefix\n"
      "CSeq: 5 NOTIFY\n"
      "Event: presence\n"
      "\n"
      "<presence/>");
  const size_t head_size = full.find("\r\n\r\n") + 4;
  Message message;
  for (size_t size = 0; size <= full.size(); ++size) {
    const std::string prefix = full.substr(0, size);
    const ParseError error = message.parse(prefix);
    expect_all_views_inside(message, prefix);
    if (size < head_size) {
      EXPECT_NE(error, ParseError::None) << "prefix of " << size << " bytes";
    } else {
      ASSERT_EQ(error, ParseError::None) << "prefix of " << size << " bytes";
      EXPECT_EQ(message.body(), std::string_view(prefix).substr(head_size));
    }
  }
}

void expect_success_invariants(const Message& message) {
  EXPECT_EQ(message.head().size() + message.body().size(), message.text().size());
  EXPECT_EQ(message.head().data(), message.text().data());
  EXPECT_FALSE(message.call_id().empty());
  EXPECT_FALSE(message.top_via_value().empty());
  EXPECT_FALSE(message.from_value().empty());
  EXPECT_FALSE(message.to_value().empty());
  EXPECT_LE(message.headers().size(), Message::kMaxHeaders);
  if (message.is_request()) {
    EXPECT_EQ(message.cseq_method_token(), message.method_token());
    EXPECT_FALSE(message.request_uri().empty());
  } else {
    EXPECT_GE(message.status_code(), 100);
    EXPECT_LE(message.status_code(), 699);
  }
}

TEST(Message, SurvivesTwentyThousandMutations) {
  std::mt19937 rng(20000);
  Message message;
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string mutated = sbc::testing::mutate(kInvite, rng);
    const ParseError error = message.parse(mutated);
    expect_all_views_inside(message, mutated);
    if (error == ParseError::None) {
      ++accepted;
      expect_success_invariants(message);
    }
    const StreamFrame frame = frame_stream_message(mutated);
    ASSERT_LE(frame.length, mutated.size());
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Sanity: the mutator should not be so destructive that nothing ever parses.
  EXPECT_GT(accepted, 100);
}

// --- Stream framing ----------------------------------------------------------

TEST(StreamFraming, FramesPipelinedMessages) {
  const std::string stream = kInvite + kInvite;
  StreamFrame frame = frame_stream_message(stream);
  ASSERT_EQ(frame.status, FrameStatus::Message);
  EXPECT_EQ(frame.length, kInvite.size());
  frame = frame_stream_message(std::string_view(stream).substr(frame.length));
  ASSERT_EQ(frame.status, FrameStatus::Message);
  EXPECT_EQ(frame.length, kInvite.size());
  Message message;
  EXPECT_EQ(message.parse(std::string_view(stream).substr(0, frame.length)), ParseError::None);
}

TEST(StreamFraming, NeedsMoreUntilEveryByteArrives) {
  for (size_t size = 0; size < kInvite.size(); ++size) {
    const std::string prefix = kInvite.substr(0, size);
    const StreamFrame frame = frame_stream_message(prefix);
    EXPECT_EQ(frame.status, FrameStatus::NeedMore) << size;
  }
  EXPECT_EQ(frame_stream_message(kInvite).status, FrameStatus::Message);
}

TEST(StreamFraming, RecognisesKeepalives) {
  StreamFrame frame = frame_stream_message("\r\n\r\n");
  EXPECT_EQ(frame.status, FrameStatus::KeepAlive);
  EXPECT_EQ(frame.length, 4u);
  EXPECT_TRUE(frame.is_ping);

  frame = frame_stream_message("\r\n" + kInvite);
  EXPECT_EQ(frame.status, FrameStatus::KeepAlive);
  EXPECT_EQ(frame.length, 2u);
  EXPECT_FALSE(frame.is_ping) << "a single CRLF is a pong";

  frame = frame_stream_message("\r\n\r\n" + kInvite);
  EXPECT_EQ(frame.status, FrameStatus::KeepAlive);
  EXPECT_EQ(frame.length, 4u);
  EXPECT_TRUE(frame.is_ping);

  EXPECT_EQ(frame_stream_message("\r\n").status, FrameStatus::NeedMore)
      << "might be the first half of a ping";
  EXPECT_EQ(frame_stream_message("\r\n\r").status, FrameStatus::NeedMore);
  EXPECT_EQ(frame_stream_message("\n\n\n\n\n").status, FrameStatus::KeepAlive);
  EXPECT_EQ(frame_stream_message("").status, FrameStatus::NeedMore);
}

TEST(StreamFraming, ReportsUnrecoverableErrors) {
  const std::string no_length = crlf(
      "OPTIONS sip:a@b SIP/2.0\n"
      "Via: SIP/2.0/TCP h;branch=z9hG4bK1\n"
      "\n");
  StreamFrame frame = frame_stream_message(no_length);
  EXPECT_EQ(frame.status, FrameStatus::Error);
  EXPECT_EQ(frame.error_reason, "missing Content-Length");

  EXPECT_EQ(frame_stream_message(invite_with("Content-Length:", "l: 1\r\nContent-Length:")).status,
            FrameStatus::Error);
  EXPECT_EQ(frame_stream_message("OPTIONS sip:a@b SIP/2.0\r\nl: x\r\n\r\n").status,
            FrameStatus::Error);
  EXPECT_EQ(frame_stream_message("OPTIONS sip:a@b SIP/2.0\r\nl: 70000\r\n\r\n").error_reason,
            "message too large");
  EXPECT_EQ(frame_stream_message("OPTIONS sip:a@b SIP/2.0\r\nbroken header\r\n\r\n").status,
            FrameStatus::Error);
  EXPECT_EQ(frame_stream_message(std::string("OPT\0IONS", 8) + "\r\n").status, FrameStatus::Error);

  std::string endless_head = "OPTIONS sip:a@b SIP/2.0\r\n";
  while (endless_head.size() <= 2000) endless_head += "X-Filler: aaaaaaaaaaaaaaaaaaaa\r\n";
  EXPECT_EQ(frame_stream_message(endless_head).status, FrameStatus::NeedMore);
  EXPECT_EQ(frame_stream_message(endless_head, 1000).error_reason, "message too large");
}

TEST(StreamFraming, FoldedHeadersDoNotConfuseFraming) {
  const std::string text = crlf(
      "OPTIONS sip:a@b SIP/2.0\n"
      "Subject: a\n"
      " Content-Length: 999\n"
      "Content-Length:\n"
      " 3\n"
      "\n") + "abcEXTRA";
  const StreamFrame frame = frame_stream_message(text);
  ASSERT_EQ(frame.status, FrameStatus::Message);
  EXPECT_EQ(frame.length, text.size() - 5);
}

}  // namespace
}  // namespace sbc::sip
