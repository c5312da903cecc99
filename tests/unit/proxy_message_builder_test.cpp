// Unit tests of proxy/message_builder: the messages the proxy splices or generates.
#include <gtest/gtest.h>

#include "proxy/message_builder.h"
#include "proxy/topology.h"
#include "sip/name_addr.h"
#include "sip/message.h"

namespace sbc::proxy {
namespace {

constexpr std::string_view kInvite =
    "INVITE sip:service@127.0.0.10:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1;rport\r\n"
    "Route: <sip:127.0.0.10:5060;lr>, <sip:192.0.2.1;lr>\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:alice@127.0.0.40>;tag=a1\r\n"
    "To: <sip:service@127.0.0.10>\r\n"
    "Call-ID: call-1@127.0.0.40\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

sip::Message parse(std::string_view text) {
  sip::Message m;
  EXPECT_EQ(m.parse(text), sip::ParseError::None) << text;
  return m;
}

TEST(ForwardedRequest, AddsViaAndRecordRouteAndDecrementsMaxForwards) {
  sip::Message in = parse(kInvite);
  ForwardEdits edits;
  edits.via_line = "Via: SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKx;rport\r\n";
  edits.routes_to_remove = 1;
  edits.record_route_lines = {"Record-Route: <sip:127.0.0.20:5065;r2=on;lr>\r\n",
                              "Record-Route: <sip:127.0.0.10:5060;r2=on;lr>\r\n"};
  std::string out = build_forwarded_request(in, edits);
  sip::Message fwd = parse(out);
  EXPECT_EQ(fwd.request_uri(), "sip:service@127.0.0.10:5060");
  EXPECT_EQ(fwd.top_via_value(), "SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKx;rport");
  EXPECT_EQ(fwd.count(sip::HeaderId::Via), 2u);
  EXPECT_EQ(fwd.max_forwards(), 69);
  EXPECT_EQ(fwd.body(), "v=0\n");
  ASSERT_EQ(fwd.count(sip::HeaderId::RecordRoute), 2u);
  EXPECT_EQ(fwd.first(sip::HeaderId::RecordRoute)->value, "<sip:127.0.0.20:5065;r2=on;lr>");
  // Only our own Route entry is removed; the rest of the route set stays.
  ASSERT_EQ(fwd.count(sip::HeaderId::Route), 1u);
  EXPECT_EQ(fwd.first(sip::HeaderId::Route)->value, "<sip:192.0.2.1;lr>");
}

TEST(ForwardedRequest, AddsMaxForwardsWhenAbsentAndCanRewriteTheRequestUri) {
  std::string text(kInvite);
  text.erase(text.find("Max-Forwards: 70\r\n"), 18);
  sip::Message in = parse(text);
  ForwardEdits edits;
  edits.request_uri = "sip:b@192.0.2.9";
  edits.via_line = "Via: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKy\r\n";
  edits.routes_to_remove = 2;
  std::string out = build_forwarded_request(in, edits);
  sip::Message fwd = parse(out);
  EXPECT_EQ(fwd.request_uri(), "sip:b@192.0.2.9");
  EXPECT_EQ(fwd.max_forwards(), 70);
  EXPECT_EQ(fwd.count(sip::HeaderId::Route), 0u);
}

TEST(ForwardedRequest, AppliesThePolicysHeaderChanges) {
  std::string text(kInvite);
  text.insert(text.find("Content-Type"), "X-Tenant: old\r\nX-Debug: 1\r\n");
  sip::Message in = parse(text);
  std::vector<HeaderChange> changes = {{HeaderChange::Op::Set, "X-Tenant", "gold"},
                                       {HeaderChange::Op::Remove, "x-debug", ""},
                                       {HeaderChange::Op::Add, "X-Route", "int"}};
  ForwardEdits edits;
  edits.via_line = "Via: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKz\r\n";
  edits.header_changes = changes;
  std::string out = build_forwarded_request(in, edits);
  sip::Message fwd = parse(out);
  std::vector<std::pair<std::string_view, std::string_view>> custom;
  for (const auto& h : fwd.headers()) {
    if (h.name.starts_with("X-")) custom.push_back({h.name, h.value});
  }
  EXPECT_EQ(custom, (std::vector<std::pair<std::string_view, std::string_view>>{{"X-Tenant", "gold"}, {"X-Route", "int"}}));
  EXPECT_EQ(fwd.body(), "v=0\n");
}

TEST(TopologyHiding, CrossingFacesLeavesOnlyOurViaAndEncodedContacts) {
  std::string text(kInvite);
  text.insert(text.find("Content-Type"), "Contact: \"Alice\" <sip:alice@10.1.2.3:5070>;expires=60\r\n");
  sip::Message in = parse(text);
  ForwardEdits edits;
  edits.via_line = "Via: SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKh\r\n";
  edits.hide_vias = true;
  edits.contact_address = "127.0.0.20:5065";
  std::string out = build_forwarded_request(in, edits);
  sip::Message fwd = parse(out);
  EXPECT_EQ(fwd.count(sip::HeaderId::Via), 1u);
  EXPECT_EQ(out.find("127.0.0.40:5070"), std::string::npos) << out;  // the caller's Via is gone
  EXPECT_EQ(out.find("10.1.2.3"), std::string::npos) << out;         // and so is its Contact address
  sip::NameAddr contact;
  ASSERT_TRUE(sip::parse_name_addr(fwd.first(sip::HeaderId::Contact)->value, contact));
  EXPECT_EQ(contact.uri.host, "127.0.0.20");
  EXPECT_EQ(contact.params, "expires=60");
  EXPECT_EQ(decode_contact_uri(contact.uri), "sip:alice@10.1.2.3:5070");
}

TEST(TopologyHiding, ContactOfAClientBehindNatPointsWhereItSendsFrom) {
  std::string text(kInvite);
  text.insert(text.find("Content-Type"), "Contact: <sip:alice@192.168.1.20:5060;transport=udp>\r\n");
  sip::Message in = parse(text);
  ForwardEdits edits;
  edits.via_line = "Via: SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKn\r\n";
  edits.hide_vias = true;
  edits.contact_address = "127.0.0.20:5065";
  edits.nat_hostport = "203.0.113.9:40312";
  std::string out = build_forwarded_request(in, edits);
  sip::Message fwd = parse(out);
  sip::NameAddr contact;
  ASSERT_TRUE(sip::parse_name_addr(fwd.first(sip::HeaderId::Contact)->value, contact));
  EXPECT_EQ(decode_contact_uri(contact.uri), "sip:alice@203.0.113.9:40312;transport=udp");
}

TEST(TopologyHiding, ResponsesGetTheRequestsViasBack) {
  constexpr std::string_view response =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKh\r\n"
      "From: <sip:alice@127.0.0.40>;tag=a1\r\n"
      "To: <sip:service@127.0.0.10>;tag=b2\r\n"
      "Call-ID: call-1@127.0.0.40\r\n"
      "CSeq: 1 INVITE\r\n"
      "Contact: <sip:ms@127.0.0.30:5080>\r\n"
      "Content-Length: 0\r\n\r\n";
  ResponseEdits edits;
  edits.restore_vias = true;
  edits.restored_vias = "Via: SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1;rport\r\n";
  edits.contact_address = "127.0.0.10:5060";
  std::string text = build_forwarded_response(parse(response), edits);
  sip::Message out = parse(text);
  EXPECT_EQ(out.top_via_value(), "SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1;rport");
  EXPECT_EQ(out.count(sip::HeaderId::Via), 1u);
  EXPECT_EQ(text.find("127.0.0.30"), std::string::npos) << text;
  EXPECT_EQ(text.find("127.0.0.20"), std::string::npos) << text;
}

TEST(TopologyHiding, OnlyWellFormedEncodingsDecode) {
  sip::Uri uri;
  ASSERT_TRUE(sip::parse_uri("sip:sbc-7369703a6140623a31@127.0.0.10", uri));
  EXPECT_EQ(decode_contact_uri(uri), "sip:a@b:1");
  ASSERT_TRUE(sip::parse_uri("sip:sbc-zz@127.0.0.10", uri));
  EXPECT_FALSE(decode_contact_uri(uri));
  ASSERT_TRUE(sip::parse_uri("sip:alice@127.0.0.10", uri));
  EXPECT_FALSE(decode_contact_uri(uri));
}

TEST(ForwardedResponse, RemovesOnlyTheTopViaValue) {
  constexpr std::string_view response =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKx, SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1\r\n"
      "From: <sip:alice@127.0.0.40>;tag=a1\r\n"
      "To: <sip:service@127.0.0.10>;tag=b2\r\n"
      "Call-ID: call-1@127.0.0.40\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  std::string text = build_forwarded_response(parse(response));  // the parsed views point into it
  sip::Message out = parse(text);
  EXPECT_EQ(out.status_code(), 200);
  EXPECT_EQ(out.count(sip::HeaderId::Via), 1u);
  EXPECT_EQ(out.top_via_value(), "SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1");
}

TEST(Reply, FillsReceivedAndRportAndAddsToTag) {
  sip::Message in = parse(kInvite);
  std::string out = build_reply(in, {404, {}, "t0", "sbcc-test", "127.0.0.40", 5071});
  sip::Message reply = parse(out);
  EXPECT_EQ(reply.status_code(), 404);
  EXPECT_EQ(reply.reason_phrase(), "Not Found");
  EXPECT_EQ(reply.top_via_value(), "SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1;rport=5071;received=127.0.0.40");
  EXPECT_EQ(reply.to_value(), "<sip:service@127.0.0.10>;tag=t0");
  EXPECT_EQ(reply.call_id(), "call-1@127.0.0.40");
  EXPECT_EQ(reply.body(), "");
  ASSERT_NE(reply.first(sip::HeaderId::Server), nullptr);
  EXPECT_EQ(reply.first(sip::HeaderId::Server)->value, "sbcc-test");
}

TEST(Reply, TryingHasNoToTag) {
  std::string text = build_reply(parse(kInvite), {100, "Trying", "t0", {}, "127.0.0.40", 5070});
  sip::Message reply = parse(text);
  EXPECT_EQ(reply.to_value(), "<sip:service@127.0.0.10>");
}

TEST(AckAndCancel, ReuseTheForwardedInvitesViaAndRoute) {
  sip::Message invite = parse(kInvite);
  constexpr std::string_view busy =
      "SIP/2.0 486 Busy Here\r\n"
      "Via: SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-1;rport\r\n"
      "From: <sip:alice@127.0.0.40>;tag=a1\r\n"
      "To: <sip:service@127.0.0.10>;tag=busy\r\n"
      "Call-ID: call-1@127.0.0.40\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  std::string ack_text = build_ack_for_failure(invite, parse(busy));
  sip::Message ack = parse(ack_text);
  EXPECT_EQ(ack.method(), sip::Method::Ack);
  EXPECT_EQ(ack.top_via_value(), invite.top_via_value());
  EXPECT_EQ(ack.to_value(), "<sip:service@127.0.0.10>;tag=busy");
  EXPECT_EQ(ack.cseq_method(), sip::Method::Ack);
  EXPECT_EQ(ack.cseq_number(), 1u);
  EXPECT_EQ(ack.count(sip::HeaderId::Route), 1u);

  std::string cancel_text = build_cancel(invite);
  sip::Message cancel = parse(cancel_text);
  EXPECT_EQ(cancel.method(), sip::Method::Cancel);
  EXPECT_EQ(cancel.request_uri(), invite.request_uri());
  EXPECT_EQ(cancel.top_via_value(), invite.top_via_value());
  EXPECT_EQ(cancel.to_value(), "<sip:service@127.0.0.10>");
  EXPECT_EQ(cancel.cseq_method(), sip::Method::Cancel);
}

TEST(LocalRequest, IsAValidOptionsProbe) {
  std::string text = build_local_request({"OPTIONS", "sip:127.0.0.30:5080",
                                          "Via: SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bKp;rport\r\n",
                                          "sip:127.0.0.20", "ft", "probe-1@127.0.0.20", 7, "sbcc-test"});
  sip::Message probe = parse(text);
  EXPECT_EQ(probe.method(), sip::Method::Options);
  EXPECT_EQ(probe.cseq_number(), 7u);
  EXPECT_EQ(probe.from_value(), "<sip:127.0.0.20>;tag=ft");
  EXPECT_EQ(probe.max_forwards(), 70);
}

TEST(DefaultReason, KnownAndClassFallbacks) {
  EXPECT_EQ(default_reason(487), "Request Terminated");
  EXPECT_EQ(default_reason(499), "Client Error");
  EXPECT_EQ(default_reason(599), "Server Error");
}

}  // namespace
}  // namespace sbc::proxy
