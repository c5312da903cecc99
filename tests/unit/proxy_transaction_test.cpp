// Unit tests of the stateful proxy core (transactions, relay, CANCEL, loose routing, timers)
// over a hand-built policy and a fake transport::Sender that records what would be sent.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/table_store.h"
#include "dispatch/dispatcher.h"
#include "proxy/local_addresses.h"
#include "proxy/proxy.h"
#include "proxy/topology.h"
#include "proxy/timer_queue.h"
#include "sbc/abi.h"
#include "sip/message.h"
#include "sip/name_addr.h"
#include "sip/via.h"
#include "transport/endpoint.h"
#include "transport/sender.h"

namespace sbc::proxy {
namespace {

using namespace std::string_literals;

// --- the world around the proxy ------------------------------------------------------

constexpr uint32_t kExternal = 0;  // listener and face 0: 127.0.0.10:5060
constexpr uint32_t kInternal = 1;  // listener and face 1: 127.0.0.20:5065

transport::Endpoint ep(std::string_view host, uint16_t port) { return *transport::Endpoint::parse(host, port); }

const transport::Endpoint kCaller = ep("127.0.0.40", 5070);
const transport::Endpoint kFirst = ep("127.0.0.30", 5080);
const transport::Endpoint kSecond = ep("127.0.0.31", 5080);

struct Sent {
  uint32_t listener;
  std::string data;
  transport::Endpoint to;
};

class FakeSender : public transport::Sender {
 public:
  bool send(const Listener& listener, std::string_view data, const transport::Endpoint& to) override {
    sent.push_back({listener.index, std::string(data), to});
    return true;
  }
  void alias(const Listener&, const transport::Endpoint&, const transport::Endpoint&) override {}

  std::deque<Sent> sent;  // a deque: parsed messages keep pointing into stable strings
};

// The route functions a compiled policy would provide.
void route_request(sbc_request* r) {
  if (sbc_req_method(r) == SBC_METHOD_INVITE) {
    sbc_act_forward_dispatcher(r, 0, SBC_DEFAULT, SBC_DEFAULT);
    return;
  }
  static constexpr char kReason[] = "Forbidden";
  sbc_act_reply(r, 403, kReason, sizeof kReason - 1);
}

void route_failure_retry(sbc_request* r) { sbc_act_retry_next(r); }

sbc_ip ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  sbc_ip ip{};
  ip.family = 4;
  ip.bytes[0] = a;
  ip.bytes[1] = b;
  ip.bytes[2] = c;
  ip.bytes[3] = d;
  return ip;
}

// Two faces, one UDP listener each, one dispatcher set (round robin) on the internal face.
class ProxyTest : public ::testing::Test {
 protected:
  explicit ProxyTest(sbc_route_fn failure_route = nullptr) {
    faces_[0] = {"external", 0, {}, 0, {}, 0, 0};
    faces_[1] = {"internal", 0, {}, 0, {}, 0, 0};
    listeners_[0] = {"ext-udp", kExternal, SBC_TRANSPORT_UDP, ipv4(127, 0, 0, 10), 5060, 0, {}, 0, SBC_DEFAULT};
    listeners_[1] = {"int-udp", kInternal, SBC_TRANSPORT_UDP, ipv4(127, 0, 0, 20), 5065, 0, {}, 0, SBC_DEFAULT};
    destinations_[0] = {"sip:127.0.0.30:5080", "ms1", 0, 1};
    destinations_[1] = {"sip:127.0.0.31:5080", "ms2", 0, 1};
    dispatcher_ = {"media", kInternal, SBC_TRANSPORT_UDP, SBC_PICK_ROUND_ROBIN, destinations_, 2, {}};

    policy_.abi_version = SBC_ABI_VERSION;
    policy_.struct_size = sizeof(sbc_policy);
    policy_.identity = "sbc-test";
    policy_.faces = faces_;
    policy_.face_count = 2;
    policy_.listeners = listeners_;
    policy_.listener_count = 2;
    policy_.dispatchers = &dispatcher_;
    policy_.dispatcher_count = 1;
    policy_.route_request = &route_request;
    policy_.route_failure = failure_route;

    local_ = std::make_unique<LocalAddresses>(policy_);
    for (auto& l : local_->listeners()) l.active = true;
    std::string error;
    auto sets = dispatch::load_dispatchers(policy_, error);
    EXPECT_TRUE(sets) << error;
    if (sets) sets_ = std::move(*sets);
    tables_ = std::make_unique<data::TableStore>(policy_);
    proxy_ = std::make_unique<Proxy>(policy_, *local_, sets_, *tables_, timers_, sender_);
  }

  void receive(uint32_t listener, std::string_view text, const transport::Endpoint& from) {
    proxy_->on_datagram(listener, text, from);
  }
  void from_caller(std::string_view text) { receive(kExternal, text, kCaller); }

  // Runs the timers for `duration` of real time.
  void run_for(std::chrono::milliseconds duration) {
    io_.restart();
    io_.run_for(duration);
  }

  std::deque<Sent>& sent() { return sender_.sent; }
  void clear() { sender_.sent.clear(); }

  // The INVITE from the caller, forwarded; returns a copy of what went downstream.
  Sent forward_invite(std::string_view invite_text) {
    from_caller(invite_text);
    EXPECT_EQ(sent().size(), 2u) << "100 Trying and the forwarded INVITE";
    Sent forwarded = sent().empty() ? Sent{} : sent().back();
    clear();
    return forwarded;
  }

  sbc_face faces_[2]{};
  sbc_listener listeners_[2]{};
  sbc_destination destinations_[2]{};
  sbc_dispatcher dispatcher_{};
  sbc_policy policy_{};
  boost::asio::io_context io_;
  TimerQueue timers_{io_};
  std::unique_ptr<LocalAddresses> local_;
  std::vector<dispatch::DispatcherSet> sets_;
  std::unique_ptr<data::TableStore> tables_;
  FakeSender sender_;
  std::unique_ptr<Proxy> proxy_;
};

class ProxyFailoverTest : public ProxyTest {
 protected:
  ProxyFailoverTest() : ProxyTest(&route_failure_retry) {}
};

// --- messages ------------------------------------------------------------------------

struct RequestSpec {
  std::string method = "INVITE";
  std::string ruri = "sip:bob@127.0.0.10:5060";
  std::string via = "SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-caller-1;rport";
  std::string route;  // Route header value; empty: none
  std::string to_tag;
  std::string call_id = "call-1@127.0.0.40";
  std::string cseq = "1";
  std::string max_forwards = "70";
  std::string body = "v=0\r\n";
};

std::string request(const RequestSpec& s) {
  std::string text = s.method + " " + s.ruri + " SIP/2.0\r\n";
  text += "Via: " + s.via + "\r\n";
  if (!s.route.empty()) text += "Route: " + s.route + "\r\n";
  text += "Max-Forwards: " + s.max_forwards + "\r\n";
  text += "From: \"Alice\" <sip:alice@127.0.0.40:5070>;tag=alice-tag\r\n";
  text += "To: <sip:bob@127.0.0.10:5060>" + (s.to_tag.empty() ? ""s : ";tag=" + s.to_tag) + "\r\n";
  text += "Call-ID: " + s.call_id + "\r\n";
  text += "CSeq: " + s.cseq + " " + s.method + "\r\n";
  text += "Contact: <sip:alice@127.0.0.40:5070>\r\n";
  if (!s.body.empty()) text += "Content-Type: application/sdp\r\n";
  text += "Content-Length: " + std::to_string(s.body.size()) + "\r\n\r\n" + s.body;
  return text;
}

std::string invite() { return request({}); }

// The caller's CANCEL for invite(): same R-URI, top Via, From, To, Call-ID, CSeq number.
std::string cancel(std::string_view branch = "z9hG4bK-caller-1") {
  RequestSpec s;
  s.method = "CANCEL";
  s.via = "SIP/2.0/UDP 127.0.0.40:5070;branch=" + std::string(branch) + ";rport";
  s.body.clear();
  return request(s);
}

sip::Message parse(std::string_view text) {
  sip::Message m;
  EXPECT_EQ(m.parse(text), sip::ParseError::None) << text;
  return m;
}

std::string_view branch_of(const sip::Message& m) {
  sip::Via via;
  EXPECT_TRUE(sip::parse_via(m.top_via_value(), via)) << m.top_via_value();
  return via.branch;
}

std::string_view to_tag_of(const sip::Message& m) {
  sip::NameAddr to;
  EXPECT_TRUE(sip::parse_name_addr(m.to_value(), to)) << m.to_value();
  return sip::header_param(to.params, "tag");
}

// Every value of a header, across lines and commas, top first.
std::vector<std::string> values_of(const sip::Message& m, sip::HeaderId id) {
  std::vector<std::string> out;
  for (const auto& field : m.headers()) {
    if (field.id != id) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (sip::next_header_value(rest, value)) out.emplace_back(value);
  }
  return out;
}

// A response from downstream to `request` as it was sent: all its Vias, From, Call-ID
// and CSeq copied, To with `to_tag` added.
std::string response_to(const Sent& request_sent, int code, std::string_view reason, std::string_view to_tag = "bob-tag") {
  sip::Message req = parse(request_sent.data);
  std::string text = "SIP/2.0 " + std::to_string(code) + " " + std::string(reason) + "\r\n";
  for (const auto& field : req.headers()) {
    if (field.id == sip::HeaderId::Via || field.id == sip::HeaderId::From || field.id == sip::HeaderId::CallId ||
        field.id == sip::HeaderId::CSeq) {
      text.append(field.raw_line);
    }
  }
  text += "To: " + std::string(req.to_value());
  if (code > 100 && !to_tag.empty()) text += ";tag=" + std::string(to_tag);
  text += "\r\nContact: <sip:bob@127.0.0.30:5080>\r\nContent-Length: 0\r\n\r\n";
  return text;
}

bool went(const Sent& s, uint32_t listener, const transport::Endpoint& to) { return s.listener == listener && s.to == to; }

// --- initial INVITE ------------------------------------------------------------------

TEST_F(ProxyTest, InitialInviteGetsTryingAndIsForwardedWithNewViaDoubleRecordRouteAndDecrementedMaxForwards) {
  from_caller(invite());
  ASSERT_EQ(sent().size(), 2u);

  const Sent& trying = sent()[0];
  EXPECT_TRUE(went(trying, kExternal, kCaller));
  sip::Message t = parse(trying.data);
  EXPECT_EQ(t.status_code(), 100);
  EXPECT_EQ(t.cseq_method(), sip::Method::Invite);
  EXPECT_EQ(branch_of(t), "z9hG4bK-caller-1");
  EXPECT_EQ(to_tag_of(t), "") << "a 100 carries no To tag";
  EXPECT_NE(t.top_via_value().find("received=127.0.0.40"), std::string_view::npos) << t.top_via_value();
  EXPECT_NE(t.top_via_value().find("rport=5070"), std::string_view::npos) << t.top_via_value();

  const Sent& forwarded = sent()[1];
  EXPECT_TRUE(went(forwarded, kInternal, kFirst)) << forwarded.to.to_string();
  sip::Message f = parse(forwarded.data);
  EXPECT_EQ(f.method(), sip::Method::Invite);
  EXPECT_EQ(f.request_uri(), "sip:bob@127.0.0.10:5060");
  sip::Via top;
  ASSERT_TRUE(sip::parse_via(f.top_via_value(), top));
  EXPECT_EQ(top.host, "127.0.0.20");
  EXPECT_EQ(top.port, 5065);
  EXPECT_EQ(top.transport, "UDP");
  EXPECT_EQ(top.branch.substr(0, 7), "z9hG4bK");
  EXPECT_GT(top.branch.size(), 7u);
  // Crossing faces hides the path behind: only the SBC's own Via goes on (topology.h).
  std::vector<std::string> vias = values_of(f, sip::HeaderId::Via);
  ASSERT_EQ(vias.size(), 1u);
  sip::NameAddr contact;  // the caller's Contact is replaced by an SBC address on this side
  ASSERT_TRUE(sip::parse_name_addr(f.first(sip::HeaderId::Contact)->value, contact));
  EXPECT_EQ(contact.uri.host, "127.0.0.20");
  EXPECT_EQ(decode_contact_uri(contact.uri), "sip:alice@127.0.0.40:5070");
  EXPECT_EQ(values_of(f, sip::HeaderId::RecordRoute),
            (std::vector<std::string>{"<sip:127.0.0.20:5065;r2=on;lr>", "<sip:127.0.0.10:5060;r2=on;lr>"}));
  EXPECT_EQ(f.max_forwards(), 69);
  EXPECT_EQ(f.call_id(), "call-1@127.0.0.40");
  EXPECT_EQ(f.body(), "v=0\r\n");
  EXPECT_EQ(proxy_->stats().initial_requests_routed, 1u);
}

TEST_F(ProxyTest, InviteRetransmissionIsAbsorbedAndTheTryingResent) {
  forward_invite(invite());
  from_caller(invite());
  ASSERT_EQ(sent().size(), 1u) << "no second forward";
  EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
  EXPECT_EQ(parse(sent()[0].data).status_code(), 100);
  EXPECT_EQ(proxy_->stats().retransmissions_absorbed, 1u);
  EXPECT_EQ(proxy_->stats().initial_requests_routed, 1u);
}

// RFC 3261 §17.2.3: a request matches a server transaction by branch, sent-by and method;
// the same branch from another client is a new request, not a retransmission.
TEST_F(ProxyTest, SameBranchFromAnotherSentByIsANewTransaction) {
  forward_invite(invite());
  const transport::Endpoint other = ep("127.0.0.50", 5090);
  RequestSpec s;
  s.via = "SIP/2.0/UDP 127.0.0.50:5090;branch=z9hG4bK-caller-1;rport";
  s.call_id = "call-2@127.0.0.50";
  receive(kExternal, request(s), other);
  ASSERT_EQ(sent().size(), 2u) << "100 Trying to the second client and its INVITE forwarded";
  EXPECT_TRUE(went(sent()[0], kExternal, other)) << sent()[0].to.to_string();
  EXPECT_EQ(parse(sent()[0].data).call_id(), "call-2@127.0.0.50");
  EXPECT_EQ(sent()[1].listener, kInternal);
  EXPECT_EQ(parse(sent()[1].data).call_id(), "call-2@127.0.0.50");
}

TEST_F(ProxyTest, NonInviteAnsweredByThePolicyGetsItsReplyAndNoTrying) {
  RequestSpec s;
  s.method = "MESSAGE";
  from_caller(request(s));
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
  sip::Message r = parse(sent()[0].data);
  EXPECT_EQ(r.status_code(), 403);
  EXPECT_EQ(r.reason_phrase(), "Forbidden");
  EXPECT_FALSE(to_tag_of(r).empty());
}

// --- responses from downstream -------------------------------------------------------

TEST_F(ProxyTest, ProvisionalAndOkFromDownstreamAreRelayedWithoutTheProxyVia) {
  Sent forwarded = forward_invite(invite());
  struct Step {
    int code;
    const char* reason;
  };
  for (Step step : {Step{180, "Ringing"}, Step{183, "Session Progress"}, Step{200, "OK"}}) {
    SCOPED_TRACE(step.code);
    receive(kInternal, response_to(forwarded, step.code, step.reason), kFirst);
    ASSERT_EQ(sent().size(), 1u);
    EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
    sip::Message r = parse(sent()[0].data);
    EXPECT_EQ(r.status_code(), step.code);
    EXPECT_EQ(values_of(r, sip::HeaderId::Via),
              std::vector<std::string>{"SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-caller-1;rport"});
    EXPECT_EQ(to_tag_of(r), "bob-tag");
    clear();
  }
}

// The Contact a 2xx carries upstream, decoded back to what the SBC will send to.
std::string relayed_contact_target(const Sent& relayed) {
  sip::Message r = parse(relayed.data);
  sip::NameAddr contact;
  EXPECT_TRUE(sip::parse_name_addr(r.first(sip::HeaderId::Contact)->value, contact));
  EXPECT_EQ(contact.uri.host, "127.0.0.10") << "encoded behind the caller's face";
  return decode_contact_uri(contact.uri).value_or("(not encoded)");
}

std::string with_contact(std::string response, std::string_view contact) {
  size_t at = response.find("Contact: ");
  size_t end = response.find("\r\n", at);
  return response.replace(at, end - at, "Contact: " + std::string(contact));
}

// The article's WITH_NAT for responses: a callee announcing a private address it is
// not sending from is reached, in the dialog, where its response came from.
TEST_F(ProxyTest, OkFromCalleeBehindNatIsReachedAtItsSourceAddress) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, with_contact(response_to(forwarded, 200, "OK"), "<sip:bob@192.168.77.1:5080>"), kFirst);
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_EQ(relayed_contact_target(sent()[0]), "sip:bob@" + kFirst.to_string());
}

TEST_F(ProxyTest, OkFromCalleeWithReachableContactKeepsIt) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, with_contact(response_to(forwarded, 200, "OK"), "<sip:bob@127.0.0.33:5090>"), kFirst);
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_EQ(relayed_contact_target(sent()[0]), "sip:bob@127.0.0.33:5090") << "not private: not NAT";
}

TEST_F(ProxyTest, TryingFromDownstreamIsNotRelayed) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, response_to(forwarded, 100, "Trying"), kFirst);
  EXPECT_TRUE(sent().empty());
}

TEST_F(ProxyTest, RetransmittedOkFromDownstreamIsRelayedAgain) {  // RFC 6026
  Sent forwarded = forward_invite(invite());
  receive(kInternal, response_to(forwarded, 200, "OK"), kFirst);
  receive(kInternal, response_to(forwarded, 200, "OK"), kFirst);
  ASSERT_EQ(sent().size(), 2u);
  for (const Sent& s : sent()) {
    EXPECT_TRUE(went(s, kExternal, kCaller));
    EXPECT_EQ(parse(s.data).status_code(), 200);
  }
}

TEST_F(ProxyTest, BusyFromDownstreamIsAckedHopByHopAndRelayed) {
  Sent forwarded = forward_invite(invite());
  std::string forwarded_branch(branch_of(parse(forwarded.data)));
  receive(kInternal, response_to(forwarded, 486, "Busy Here", "busy-tag"), kFirst);
  ASSERT_EQ(sent().size(), 2u);

  const Sent& ack = sent()[0];
  EXPECT_TRUE(went(ack, kInternal, kFirst));
  sip::Message a = parse(ack.data);
  EXPECT_EQ(a.method(), sip::Method::Ack);
  EXPECT_EQ(a.request_uri(), "sip:bob@127.0.0.10:5060");
  EXPECT_EQ(branch_of(a), forwarded_branch);
  EXPECT_EQ(values_of(a, sip::HeaderId::Via).size(), 1u) << "only the proxy's own Via";
  EXPECT_EQ(to_tag_of(a), "busy-tag");
  EXPECT_EQ(a.cseq_number(), 1u);
  EXPECT_EQ(a.cseq_method(), sip::Method::Ack);
  EXPECT_EQ(a.call_id(), "call-1@127.0.0.40");

  const Sent& busy = sent()[1];
  EXPECT_TRUE(went(busy, kExternal, kCaller));
  sip::Message b = parse(busy.data);
  EXPECT_EQ(b.status_code(), 486);
  EXPECT_EQ(values_of(b, sip::HeaderId::Via).size(), 1u);
  EXPECT_EQ(branch_of(b), "z9hG4bK-caller-1");
}

TEST_F(ProxyTest, RetransmittedBusyIsAckedAgainButRelayedOnce) {
  Sent forwarded = forward_invite(invite());
  std::string busy = response_to(forwarded, 486, "Busy Here", "busy-tag");
  receive(kInternal, busy, kFirst);
  clear();
  receive(kInternal, busy, kFirst);
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kInternal, kFirst));
  sip::Message a = parse(sent()[0].data);
  EXPECT_EQ(a.method(), sip::Method::Ack);
  EXPECT_EQ(branch_of(a), branch_of(parse(forwarded.data)));
  EXPECT_EQ(to_tag_of(a), "busy-tag");
}

TEST_F(ProxyTest, CallersAckForTheRelayedBusyIsAbsorbed) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, response_to(forwarded, 486, "Busy Here", "busy-tag"), kFirst);
  clear();
  RequestSpec s;
  s.method = "ACK";
  s.to_tag = "busy-tag";
  s.body.clear();
  from_caller(request(s));
  EXPECT_TRUE(sent().empty()) << "the ACK ends our server transaction; it is not forwarded";
  // And once confirmed, no Timer G retransmission of the 486 reaches the caller.
  run_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(sent().empty());
}

// --- CANCEL --------------------------------------------------------------------------

TEST_F(ProxyTest, CancelOfPendingInviteIsAnsweredForwardedWithTheInviteBranchAndThe487Relayed) {
  Sent forwarded = forward_invite(invite());
  std::string forwarded_branch(branch_of(parse(forwarded.data)));
  receive(kInternal, response_to(forwarded, 180, "Ringing"), kFirst);
  clear();

  from_caller(cancel());
  ASSERT_EQ(sent().size(), 2u);
  const Sent& ok = sent()[0];
  EXPECT_TRUE(went(ok, kExternal, kCaller));
  sip::Message o = parse(ok.data);
  EXPECT_EQ(o.status_code(), 200);
  EXPECT_EQ(o.cseq_method(), sip::Method::Cancel);
  EXPECT_EQ(branch_of(o), "z9hG4bK-caller-1");

  Sent downstream_cancel = sent()[1];
  EXPECT_TRUE(went(downstream_cancel, kInternal, kFirst));
  sip::Message c = parse(downstream_cancel.data);
  EXPECT_EQ(c.method(), sip::Method::Cancel);
  EXPECT_EQ(c.request_uri(), "sip:bob@127.0.0.10:5060");
  EXPECT_EQ(branch_of(c), forwarded_branch);
  EXPECT_EQ(c.cseq_number(), 1u);
  EXPECT_EQ(c.cseq_method(), sip::Method::Cancel);
  EXPECT_EQ(to_tag_of(c), "") << "CANCEL's To is the INVITE's";
  clear();

  receive(kInternal, response_to(downstream_cancel, 200, "OK", ""), kFirst);
  EXPECT_TRUE(sent().empty()) << "the 200 to our CANCEL stays here";

  receive(kInternal, response_to(forwarded, 487, "Request Terminated", "bob-tag"), kFirst);
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_TRUE(went(sent()[0], kInternal, kFirst));
  EXPECT_EQ(parse(sent()[0].data).method(), sip::Method::Ack);
  EXPECT_TRUE(went(sent()[1], kExternal, kCaller));
  sip::Message terminated = parse(sent()[1].data);
  EXPECT_EQ(terminated.status_code(), 487);
  EXPECT_EQ(terminated.cseq_method(), sip::Method::Invite);
  EXPECT_EQ(values_of(terminated, sip::HeaderId::Via).size(), 1u);
}

TEST_F(ProxyTest, CancelForUnknownTransactionIs481) {
  from_caller(cancel("z9hG4bK-nothing-here"));
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
  sip::Message r = parse(sent()[0].data);
  EXPECT_EQ(r.status_code(), 481);
  EXPECT_EQ(r.cseq_method(), sip::Method::Cancel);
  EXPECT_EQ(proxy_->transaction_count(), 0u);
}

// A retransmitted CANCEL (its 200 was lost) must be answered again, but the INVITE stays
// pending until downstream answers it: the callee may still answer 200.
TEST_F(ProxyTest, RetransmittedCancelIsAnsweredAgainWithoutEndingTheInviteEarly) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, response_to(forwarded, 180, "Ringing"), kFirst);
  from_caller(cancel());
  clear();

  from_caller(cancel());
  size_t oks = 0;
  for (const Sent& s : sent()) {
    if (s.listener != kExternal) continue;
    sip::Message m = parse(s.data);
    if (m.cseq_method() == sip::Method::Cancel && m.status_code() == 200) ++oks;
    EXPECT_NE(m.status_code(), 487) << "the proxy answered the INVITE itself while downstream is still pending:\n"
                                    << s.data;
  }
  EXPECT_EQ(oks, 1u);
  clear();

  receive(kInternal, response_to(forwarded, 487, "Request Terminated"), kFirst);
  size_t relayed = 0;
  for (const Sent& s : sent()) relayed += went(s, kExternal, kCaller) && parse(s.data).status_code() == 487;
  EXPECT_EQ(relayed, 1u) << "downstream's 487 is the one the caller gets";
}

// RFC 3261 §9.1: no CANCEL before a provisional response arrived; it is sent once one does.
TEST_F(ProxyTest, CancelBeforeAnyDownstreamProvisionalWaitsForOne) {
  Sent forwarded = forward_invite(invite());
  from_caller(cancel());
  ASSERT_GE(sent().size(), 1u);
  EXPECT_EQ(parse(sent()[0].data).status_code(), 200);
  for (const Sent& s : sent()) {
    EXPECT_FALSE(s.listener == kInternal && parse(s.data).method() == sip::Method::Cancel)
        << "CANCEL sent downstream before any provisional response";
  }
  clear();

  receive(kInternal, response_to(forwarded, 100, "Trying"), kFirst);
  size_t cancels = 0;
  for (const Sent& s : sent()) cancels += went(s, kInternal, kFirst) && parse(s.data).method() == sip::Method::Cancel;
  EXPECT_EQ(cancels, 1u) << "the held CANCEL goes once the INVITE is proceeding";
}

// --- requests inside a dialog --------------------------------------------------------

TEST_F(ProxyTest, InDialogByeFollowsTheRouteSetToTheOtherFace) {
  struct Case {
    const char* name;
    uint32_t in;
    transport::Endpoint source;
    const char* route;
    const char* ruri;
    uint32_t out;
    transport::Endpoint next_hop;
    const char* via_sent_by;
    const char* branch;
  };
  const Case cases[] = {
      {"caller hangs up", kExternal, kCaller, "<sip:127.0.0.10:5060;r2=on;lr>, <sip:127.0.0.20:5065;r2=on;lr>",
       "sip:bob@127.0.0.30:5080", kInternal, kFirst, "127.0.0.20:5065", "z9hG4bK-bye-from-caller"},
      {"callee hangs up", kInternal, kFirst, "<sip:127.0.0.20:5065;r2=on;lr>, <sip:127.0.0.10:5060;r2=on;lr>",
       "sip:alice@127.0.0.40:5070", kExternal, kCaller, "127.0.0.10:5060", "z9hG4bK-bye-from-callee"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RequestSpec s;
    s.method = "BYE";
    s.ruri = c.ruri;
    s.route = c.route;
    s.to_tag = "bob-tag";
    s.cseq = "2";
    s.via = "SIP/2.0/UDP "s + c.source.to_string() + ";branch=" + c.branch + ";rport";
    s.body.clear();
    receive(c.in, request(s), c.source);
    ASSERT_EQ(sent().size(), 1u);
    const Sent& bye = sent()[0];
    EXPECT_TRUE(went(bye, c.out, c.next_hop)) << bye.listener << " " << bye.to.to_string();
    sip::Message b = parse(bye.data);
    EXPECT_EQ(b.method(), sip::Method::Bye);
    EXPECT_EQ(b.request_uri(), c.ruri);
    EXPECT_EQ(b.count(sip::HeaderId::Route), 0u) << "both own Route entries are removed";
    EXPECT_EQ(b.count(sip::HeaderId::RecordRoute), 0u);
    sip::Via top;
    ASSERT_TRUE(sip::parse_via(b.top_via_value(), top));
    EXPECT_EQ(std::string(top.host) + ":" + std::string(top.port_text), c.via_sent_by);
    EXPECT_EQ(top.branch.substr(0, 7), "z9hG4bK");
    EXPECT_EQ(values_of(b, sip::HeaderId::Via).size(), 1u) << "the sender's Via stays on its side";
    EXPECT_EQ(b.max_forwards(), 69);

    // Its 200 goes back the way the BYE came.
    Sent forwarded = bye;
    clear();
    receive(c.out, response_to(forwarded, 200, "OK", ""), c.next_hop);
    ASSERT_EQ(sent().size(), 1u);
    EXPECT_TRUE(went(sent()[0], c.in, c.source));
    EXPECT_EQ(parse(sent()[0].data).status_code(), 200);
    clear();
  }
}

TEST_F(ProxyTest, AckForTwoHundredIsForwardedStatelesslyAlongTheRouteSet) {
  RequestSpec s;
  s.method = "ACK";
  s.ruri = "sip:bob@127.0.0.30:5080";
  s.route = "<sip:127.0.0.10:5060;r2=on;lr>, <sip:127.0.0.20:5065;r2=on;lr>";
  s.via = "SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-ack-2xx;rport";
  s.to_tag = "bob-tag";
  s.body.clear();
  from_caller(request(s));
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kInternal, kFirst));
  sip::Message a = parse(sent()[0].data);
  EXPECT_EQ(a.method(), sip::Method::Ack);
  EXPECT_EQ(a.count(sip::HeaderId::Route), 0u);
  std::string branch(branch_of(a));
  EXPECT_EQ(branch.substr(0, 7), "z9hG4bK");
  EXPECT_NE(branch, "z9hG4bK-ack-2xx");
  EXPECT_EQ(a.max_forwards(), 69);
  EXPECT_EQ(proxy_->transaction_count(), 0u) << "stateless: no transaction";

  // A retransmitted ACK leaves with the same branch.
  clear();
  from_caller(request(s));
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_EQ(branch_of(parse(sent()[0].data)), branch);
}

// RFC 3261 §16.3 step 3: a request with Max-Forwards 0 is not forwarded; an ACK cannot be
// answered, so it is dropped (otherwise a routing loop of ACKs never ends).
TEST_F(ProxyTest, AckWithMaxForwardsZeroIsNotForwarded) {
  RequestSpec s;
  s.method = "ACK";
  s.ruri = "sip:bob@127.0.0.30:5080";
  s.route = "<sip:127.0.0.10:5060;r2=on;lr>, <sip:127.0.0.20:5065;r2=on;lr>";
  s.via = "SIP/2.0/UDP 127.0.0.40:5070;branch=z9hG4bK-ack-hops;rport";
  s.to_tag = "bob-tag";
  s.max_forwards = "0";
  s.body.clear();
  from_caller(request(s));
  EXPECT_TRUE(sent().empty()) << sent().front().data;
}

// --- requests the proxy refuses ------------------------------------------------------

TEST_F(ProxyTest, InitialRequestThatAlreadyPassedThroughTheSbcIsALoop) {
  RequestSpec spec;
  spec.via = "SIP/2.0/UDP 127.0.0.30:5080;branch=z9hG4bK-ms;rport, "
             "SIP/2.0/UDP 127.0.0.20:5065;branch=z9hG4bK-ours;rport";
  from_caller(request(spec));
  ASSERT_FALSE(sent().empty());
  const Sent& last = sent().back();
  EXPECT_TRUE(went(last, kExternal, kCaller));
  EXPECT_EQ(parse(last.data).status_code(), 482);
  for (const Sent& s : sent()) EXPECT_FALSE(s.listener == kInternal) << "nothing forwarded";
}

TEST_F(ProxyTest, MaxForwardsZeroIsAnswered483AndNotForwarded) {
  RequestSpec s;
  s.max_forwards = "0";
  from_caller(request(s));
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
  EXPECT_EQ(parse(sent()[0].data).status_code(), 483);
  EXPECT_EQ(proxy_->transaction_count(), 0u);
}

TEST_F(ProxyTest, MalformedButAnswerableRequestsAreAnswered400) {
  struct Case {
    const char* name;
    std::string text;
  };
  RequestSpec mismatch;
  mismatch.cseq = "1";
  std::string cseq_mismatch = request(mismatch);
  cseq_mismatch.replace(cseq_mismatch.find("CSeq: 1 INVITE"), 14, "CSeq: 1 OPTIONS");
  RequestSpec bad_hops;
  bad_hops.max_forwards = "seventy";
  const Case cases[] = {{"CSeq method differs", cseq_mismatch}, {"Max-Forwards not a number", request(bad_hops)}};
  uint64_t errors = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    from_caller(c.text);
    EXPECT_EQ(proxy_->stats().parse_errors, ++errors);
    ASSERT_EQ(sent().size(), 1u);
    EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
    EXPECT_EQ(parse(sent()[0].data).status_code(), 400);
    clear();
  }
  EXPECT_EQ(proxy_->transaction_count(), 0u);
}

// A 400 without a Call-ID would itself be malformed (RFC 3261 §8.2.6.2 copies it), so the
// request is dropped and counted rather than answered.
TEST_F(ProxyTest, RequestWithoutCallIdIsDroppedAndCounted) {
  std::string text = invite();
  text.erase(text.find("Call-ID: "), std::strlen("Call-ID: call-1@127.0.0.40\r\n"));
  from_caller(text);
  EXPECT_EQ(proxy_->stats().parse_errors, 1u);
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(proxy_->transaction_count(), 0u);
}

TEST_F(ProxyTest, GarbageIsDroppedSilentlyAndCounted) {
  const std::string garbage[] = {"hello there\r\n\r\n", "\x01\x02\x03\xff garbage", "SIP/2.0 banana\r\n\r\n",
                                 "INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.40:5070\r\n"};
  uint64_t errors = 0;
  for (const std::string& g : garbage) {
    SCOPED_TRACE(g);
    from_caller(g);
    EXPECT_EQ(proxy_->stats().parse_errors, ++errors);
    EXPECT_TRUE(sent().empty());
  }
  EXPECT_EQ(proxy_->stats().requests_received, 0u);
  EXPECT_EQ(proxy_->transaction_count(), 0u);
}

// --- timers --------------------------------------------------------------------------

TEST_F(ProxyTest, TimerARetransmitsTheInviteAfterT1) {
  Sent forwarded = forward_invite(invite());
  run_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(sent().empty()) << "nothing before T1";
  run_for(std::chrono::milliseconds(350));  // ~650 ms: past T1 (500), before 2*T1 more (1500)
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kInternal, kFirst));
  EXPECT_EQ(sent()[0].data, forwarded.data) << "the same bytes, so the same branch";
}

TEST_F(ProxyTest, TimerGRetransmitsTheRelayedBusyUntilTheCallersAck) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, response_to(forwarded, 486, "Busy Here", "busy-tag"), kFirst);
  ASSERT_EQ(sent().size(), 2u);
  std::string busy = sent()[1].data;
  clear();
  run_for(std::chrono::milliseconds(600));
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
  EXPECT_EQ(sent()[0].data, busy);
}

TEST_F(ProxyTest, ProvisionalFromDownstreamStopsTimerA) {
  Sent forwarded = forward_invite(invite());
  receive(kInternal, response_to(forwarded, 100, "Trying"), kFirst);
  run_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(sent().empty());
}

// --- failure route -------------------------------------------------------------------

TEST_F(ProxyFailoverTest, ServiceUnavailableFromFirstDestinationRetriesTheSecond) {
  Sent first = forward_invite(invite());
  EXPECT_TRUE(went(first, kInternal, kFirst));
  std::string first_branch(branch_of(parse(first.data)));

  receive(kInternal, response_to(first, 503, "Service Unavailable", "ms1-tag"), kFirst);
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_TRUE(went(sent()[0], kInternal, kFirst));
  EXPECT_EQ(parse(sent()[0].data).method(), sip::Method::Ack);
  Sent second = sent()[1];
  EXPECT_TRUE(went(second, kInternal, kSecond)) << second.to.to_string();
  sip::Message s = parse(second.data);
  EXPECT_EQ(s.method(), sip::Method::Invite);
  EXPECT_NE(branch_of(s), first_branch) << "a new client transaction";
  EXPECT_EQ(values_of(s, sip::HeaderId::Via).size(), 1u);
  EXPECT_EQ(values_of(s, sip::HeaderId::RecordRoute).size(), 2u);
  EXPECT_EQ(s.max_forwards(), 69);
  clear();

  receive(kInternal, response_to(second, 200, "OK", "ms2-tag"), kSecond);
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_TRUE(went(sent()[0], kExternal, kCaller));
  sip::Message ok = parse(sent()[0].data);
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(to_tag_of(ok), "ms2-tag");
}

TEST_F(ProxyFailoverTest, WhenEveryDestinationFailedTheLastFailureIsRelayed) {
  Sent first = forward_invite(invite());
  receive(kInternal, response_to(first, 503, "Service Unavailable", "ms1-tag"), kFirst);
  ASSERT_EQ(sent().size(), 2u);
  Sent second = sent()[1];
  clear();

  receive(kInternal, response_to(second, 503, "Service Unavailable", "ms2-tag"), kSecond);
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_TRUE(went(sent()[0], kInternal, kSecond));
  EXPECT_EQ(parse(sent()[0].data).method(), sip::Method::Ack);
  EXPECT_TRUE(went(sent()[1], kExternal, kCaller));
  sip::Message relayed = parse(sent()[1].data);
  EXPECT_EQ(relayed.status_code(), 503);
  EXPECT_EQ(to_tag_of(relayed), "ms2-tag");
}

TEST_F(ProxyFailoverTest, CancelledInviteIsNotRetried) {
  Sent first = forward_invite(invite());
  receive(kInternal, response_to(first, 180, "Ringing"), kFirst);
  from_caller(cancel());
  clear();
  receive(kInternal, response_to(first, 487, "Request Terminated"), kFirst);
  for (const Sent& s : sent()) EXPECT_FALSE(s.to == kSecond) << "no retry after CANCEL:\n" << s.data;
  size_t relayed = 0;
  for (const Sent& s : sent()) relayed += went(s, kExternal, kCaller) && parse(s.data).status_code() == 487;
  EXPECT_EQ(relayed, 1u);
}

}  // namespace
}  // namespace sbc::proxy
