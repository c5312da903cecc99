// Unit tests of semantic analysis (sbcc::analyze): the PolicyModel built from a good
// policy (faces, listeners, advertised addresses, network CIDRs, dispatcher sets and
// probing), constant substitution in probe URIs, type annotations on expressions, and
// one diagnostic of the right kind for each kind of mistake sema can find.
#include <gtest/gtest.h>

#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "basic/diagnostic_engine.h"
#include "basic/source_manager.h"
#include "driver/prelude.h"
#include "sema/sema.h"
#include "syntax/parser.h"

namespace sbcc {
namespace {

// Parses the prelude and a policy and analyzes them together, as the driver does
// (compiler/driver/compilation.cpp): the prelude's declarations come first.
struct Analysis {
  SourceManager sources;
  DiagnosticEngine diags;
  std::optional<ast::Policy> policy;
  std::optional<PolicyModel> model;

  std::string_view text_of(SourceRange range) const { return sources.slice(range); }
};

std::unique_ptr<Analysis> analyze_text(std::string text) {
  auto a = std::make_unique<Analysis>();
  FileId prelude_file = a->sources.add_buffer("<prelude>", prelude_text);
  FileId file = a->sources.add_buffer("test.sbc", std::move(text));
  auto prelude = parse_policy(a->sources, prelude_file, a->diags);
  a->policy = parse_policy(a->sources, file, a->diags);
  EXPECT_TRUE(prelude && a->policy) << "the test policy must parse";
  if (!prelude || !a->policy) return a;
  ast::Policy merged = std::move(*prelude);
  merged.file = file;
  ast::append(merged, std::move(*a->policy));
  a->policy = std::move(merged);
  a->model = analyze(*a->policy, a->diags);
  return a;
}

std::string cidr_text(const Cidr& c) { return c.network.text + "/" + std::to_string(c.prefix); }

std::string first_message(const DiagnosticEngine& diags) {
  auto all = diags.finished();
  return all.empty() ? "" : all.front().message;
}

constexpr std::string_view kGoodPolicy = R"(sbc "sbcc-loopback/0.1"

let external_ip = 127.0.0.10
let internal_ip = 127.0.0.20

interface external {
    sip udp external_ip:5060
    sip tcp external_ip
    sip tls external_ip:5061 advertise 192.0.2.10:5071 name "public-tls"
    rtp external_ip advertise 192.0.2.10 ports 30000..34999
}

interface internal {
    sip udp internal_ip:5065
    rtp internal_ip ports 35000..39999
}

aliases "sbc.loopback.test", external_ip

// Existence is all sema checks of these files.
tls server { certificate "/dev/null" key "/dev/null" }

networks inside = 127.0.0.16/28, 127.0.0.30
networks private = inside, rfc1918

dispatcher mediaservers via internal udp {
    sip:127.0.0.30:5080  duid "mediaserver1" weight 3 priority 1
    sip:127.0.0.31:5080  duid "mediaserver2"
    pick weight
    probe OPTIONS every 5s from sip:internal_ip accept 200, 484 threshold 2 always
}

on request INVITE {
    if ruri is myself and ruri.user != "blocked" {
        media relay from (source in inside ? internal : external) to internal
        forward to mediaservers
    } else if source in private {
        media relay from internal to external
        forward to ruri via external tcp
    } else {
        reply 403 "Relaying denied"
    }
}

on request OPTIONS {
    if ruri is myself {
        reply 200 "OK"
    } else {
        reply 403 "Relaying denied"
    }
}
)";

class GoodPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = analyze_text(std::string(kGoodPolicy));
    ASSERT_TRUE(a_->model) << first_message(a_->diags);
    EXPECT_TRUE(a_->diags.finished().empty()) << first_message(a_->diags);
  }
  const PolicyModel& model() const { return *a_->model; }
  std::unique_ptr<Analysis> a_;
};

TEST_F(GoodPolicyTest, Identity) { EXPECT_EQ(model().identity, "sbcc-loopback/0.1"); }

TEST_F(GoodPolicyTest, FacesAndRtp) {
  ASSERT_EQ(model().faces.size(), 2u);
  const FaceModel& ext = model().faces[0];
  EXPECT_EQ(ext.name, "external");
  ASSERT_TRUE(ext.rtp_address && ext.rtp_advertise);
  EXPECT_EQ(ext.rtp_address->text, "127.0.0.10");
  EXPECT_EQ(ext.rtp_advertise->text, "192.0.2.10");
  EXPECT_EQ(ext.rtp_port_min, 30000);
  EXPECT_EQ(ext.rtp_port_max, 34999);
  const FaceModel& in = model().faces[1];
  EXPECT_EQ(in.name, "internal");
  ASSERT_TRUE(in.rtp_address);
  EXPECT_EQ(in.rtp_address->text, "127.0.0.20");
  EXPECT_FALSE(in.rtp_advertise);
  EXPECT_EQ(in.rtp_port_min, 35000);
  EXPECT_EQ(in.rtp_port_max, 39999);
}

struct ListenerExpectation {
  std::string_view name;
  uint32_t face;
  Transport transport;
  std::string_view address;
  uint16_t port;
  std::string_view advertise;  // empty: none
  uint16_t advertise_port;
};

TEST_F(GoodPolicyTest, ListenersWithDefaultsAndAdvertise) {
  const ListenerExpectation expected[] = {
      {"external.udp", 0, Transport::Udp, "127.0.0.10", 5060, "", 0},
      {"external.tcp", 0, Transport::Tcp, "127.0.0.10", 5060, "", 0},  // default port
      {"public-tls", 0, Transport::Tls, "127.0.0.10", 5061, "192.0.2.10", 5071},
      {"internal.udp", 1, Transport::Udp, "127.0.0.20", 5065, "", 0},
  };
  ASSERT_EQ(model().listeners.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(expected[i].name);
    const ListenerModel& l = model().listeners[i];
    EXPECT_EQ(l.name, expected[i].name);
    EXPECT_EQ(l.face, expected[i].face);
    EXPECT_EQ(l.transport, expected[i].transport);
    EXPECT_EQ(l.address.text, expected[i].address);
    EXPECT_EQ(l.port, expected[i].port);
    EXPECT_EQ(l.advertise.has_value(), !expected[i].advertise.empty());
    if (l.advertise) {
      EXPECT_EQ(l.advertise->text, expected[i].advertise);
    }
    EXPECT_EQ(l.advertise_port, expected[i].advertise_port);
  }
}

TEST_F(GoodPolicyTest, AliasesAreTextAndAddresses) {
  EXPECT_EQ(model().aliases, (std::vector<std::string>{"sbc.loopback.test", "127.0.0.10"}));
}

TEST_F(GoodPolicyTest, NetworksExpandToCidrs) {
  ASSERT_EQ(model().networks.size(), 3u);
  auto cidrs = [&](size_t i) {
    std::vector<std::string> out;
    for (const auto& c : model().networks[i].cidrs) out.push_back(cidr_text(c));
    return out;
  };
  EXPECT_EQ(model().networks[0].name, "rfc1918");  // from the prelude
  EXPECT_EQ(cidrs(0), (std::vector<std::string>{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}));
  EXPECT_EQ(model().networks[1].name, "inside");
  EXPECT_EQ(cidrs(1), (std::vector<std::string>{"127.0.0.16/28", "127.0.0.30/32"}));  // address -> /32
  EXPECT_EQ(model().networks[2].name, "private");
  EXPECT_EQ(cidrs(2), (std::vector<std::string>{"127.0.0.16/28", "127.0.0.30/32", "10.0.0.0/8", "172.16.0.0/12",
                                                "192.168.0.0/16"}));
}

TEST_F(GoodPolicyTest, DispatcherSetAndProbe) {
  ASSERT_EQ(model().dispatchers.size(), 1u);
  const DispatcherModel& set = model().dispatchers[0];
  EXPECT_EQ(set.name, "mediaservers");
  EXPECT_EQ(set.face, 1u);
  EXPECT_EQ(set.transport, Transport::Udp);
  EXPECT_EQ(set.pick, PickAlgorithm::Weight);
  ASSERT_EQ(set.destinations.size(), 2u);
  EXPECT_EQ(set.destinations[0].uri, "sip:127.0.0.30:5080");
  EXPECT_EQ(set.destinations[0].duid, "mediaserver1");
  EXPECT_EQ(set.destinations[0].weight, 3);
  EXPECT_EQ(set.destinations[0].priority, 1);
  EXPECT_EQ(set.destinations[1].uri, "sip:127.0.0.31:5080");
  EXPECT_EQ(set.destinations[1].duid, "mediaserver2");
  EXPECT_EQ(set.destinations[1].weight, 1);  // defaults
  EXPECT_EQ(set.destinations[1].priority, 0);

  ASSERT_TRUE(set.probe);
  EXPECT_EQ(set.probe->method, "OPTIONS");
  EXPECT_EQ(set.probe->interval_ms, 5000u);
  EXPECT_EQ(set.probe->from_uri, "sip:127.0.0.20");  // `internal_ip` substituted
  EXPECT_EQ(set.probe->accept_codes, (std::vector<uint16_t>{200, 484}));
  EXPECT_EQ(set.probe->threshold, 2u);
  EXPECT_TRUE(set.probe->always);
}

TEST_F(GoodPolicyTest, HandlersAndConstants) {
  ASSERT_EQ(model().handlers.size(), 2u);
  EXPECT_EQ(model().handlers[0].method, 0u);  // SBC_METHOD_INVITE
  EXPECT_EQ(model().handlers[1].method, 4u);  // SBC_METHOD_OPTIONS
  EXPECT_EQ(model().handlers[0].decl->method.text, "INVITE");
  ASSERT_EQ(model().constants.size(), 2u);
  EXPECT_EQ(model().constants[0].type, Type::Address);
  EXPECT_EQ(std::get<IpAddress>(model().constants[0].value).text, "127.0.0.10");
}

TEST_F(GoodPolicyTest, ExpressionsAreAnnotatedWithTypesAndSymbols) {
  const ast::Stmt& top = *model().handlers[0].decl->body.at(0);
  const ast::Expr& cond = *top.condition;  // ruri is myself and ruri.user != "blocked"
  EXPECT_EQ(cond.type, Type::Bool);
  const ast::Expr& myself = *cond.operands[0];
  EXPECT_EQ(myself.operands[0]->type, Type::RequestUri);
  EXPECT_EQ(myself.operands[0]->symbol.field, Field::RequestUri);
  const ast::Expr& user = *cond.operands[1]->operands[0];
  EXPECT_EQ(user.type, Type::String);
  EXPECT_EQ(user.symbol.field, Field::RequestUriUser);

  const ast::Expr& from = *top.then_block.at(0)->media_from;  // source in inside ? internal : external
  EXPECT_EQ(from.type, Type::Face);
  EXPECT_EQ(from.operands[0]->symbol.kind, SymbolKind::Network);
  EXPECT_EQ(from.operands[0]->symbol.index, 1u);  // after the prelude's rfc1918
  EXPECT_EQ(from.operands[1]->symbol.kind, SymbolKind::Face);
  EXPECT_EQ(from.operands[1]->symbol.index, 1u);
}

struct ProbeFromCase {
  std::string_view from;
  std::string_view expected;
};

class ProbeFromTest : public ::testing::TestWithParam<ProbeFromCase> {};

TEST_P(ProbeFromTest, HostConstantIsSubstituted) {
  auto a = analyze_text(
      "sbc \"t\"\nlet internal_ip = 127.0.0.20\nlet v6_ip = [2001:db8::1]\n"
      "interface internal {\n  sip udp internal_ip:5065\n}\n"
      "dispatcher d via internal udp {\n  sip:127.0.0.30:5080\n  probe OPTIONS every 30s from " +
      std::string(GetParam().from) + "\n}\non request OPTIONS { forward to d }\n");
  ASSERT_TRUE(a->model) << first_message(a->diags);
  ASSERT_TRUE(a->model->dispatchers.at(0).probe);
  EXPECT_EQ(a->model->dispatchers[0].probe->from_uri, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Table, ProbeFromTest,
                         ::testing::Values(ProbeFromCase{"sip:internal_ip", "sip:127.0.0.20"},
                                           ProbeFromCase{"sip:internal_ip:5070", "sip:127.0.0.20:5070"},
                                           ProbeFromCase{"sip:internal_ip;transport=udp",
                                                         "sip:127.0.0.20;transport=udp"},
                                           ProbeFromCase{"sips:internal_ip", "sips:127.0.0.20"},
                                           ProbeFromCase{"sip:v6_ip", "sip:[2001:db8::1]"},
                                           ProbeFromCase{"sip:127.0.0.5", "sip:127.0.0.5"}));

TEST(SemaTest, ProbeDefaultsWhenOmitted) {
  auto a = analyze_text(
      "sbc \"t\"\ninterface internal {\n  sip udp 127.0.0.20:5065\n}\n"
      "dispatcher d via internal udp {\n  sip:127.0.0.30:5080\n  probe OPTIONS every 30s from sip:127.0.0.20\n}\n"
      "on request OPTIONS { forward to d }\n");
  ASSERT_TRUE(a->model) << first_message(a->diags);
  const auto& probe = a->model->dispatchers.at(0).probe;
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->accept_codes, (std::vector<uint16_t>{200}));
  EXPECT_EQ(probe->threshold, 1u);
  EXPECT_FALSE(probe->always);
  EXPECT_EQ(a->model->dispatchers[0].pick, PickAlgorithm::RoundRobin);
}

// ---- one mistake, one diagnostic -----------------------------------------------------

constexpr std::string_view kIdentity = "sbc \"t\"\n";
constexpr std::string_view kFaces =
    "let ext_ip = 127.0.0.10\n"
    "let int_ip = 127.0.0.20\n"
    "interface external {\n  sip udp ext_ip:5060\n}\n"
    "interface internal {\n  sip udp int_ip:5065\n}\n";

struct ErrorCase {
  std::string_view name;
  std::string_view body;  // appended after the identity and the two faces
  DiagKind kind;
  std::string_view at;  // the source text the diagnostic's range covers
  bool with_identity = true;
  bool with_faces = true;
};

class OneDiagnosticTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OneDiagnosticTest, ReportsExactlyOneOfTheKind) {
  const ErrorCase& c = GetParam();
  std::string text = std::string(c.with_identity ? kIdentity : "") + std::string(c.with_faces ? kFaces : "") +
                     std::string(c.body);
  auto a = analyze_text(text);
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 1u) << "first: " << first_message(a->diags);
  EXPECT_EQ(diags[0].kind, c.kind) << diags[0].message;
  EXPECT_EQ(diags[0].severity, info(c.kind).default_severity);
  EXPECT_EQ(a->text_of(diags[0].range), c.at) << diags[0].message;
  EXPECT_EQ(a->model.has_value(), diags[0].severity != Severity::Error);
}

INSTANTIATE_TEST_SUITE_P(
    Table, OneDiagnosticTest,
    ::testing::Values(
        ErrorCase{"UnknownDispatcher", "on request OPTIONS { forward to ms }\n", DiagKind::UnknownName, "ms"},
        ErrorCase{"UnknownField",
                  "on request OPTIONS { if ruri.hst == \"a\" { reply 200 } else { reply 404 } }\n",
                  DiagKind::UnknownName, "hst"},
        ErrorCase{"UnknownNameUnderNot",
                  "on request OPTIONS { if not nosuch and ruri is myself { reply 200 } else { reply 404 } }\n",
                  DiagKind::UnknownName, "nosuch"},
        ErrorCase{"UnknownNetwork",
                  "on request OPTIONS { if source in insde { reply 200 } else { reply 404 } }\n",
                  DiagKind::UnknownName, "insde"},
        ErrorCase{"DuplicateNetwork",
                  "networks inside = 10.0.0.0/8\nnetworks inside = 10.1.0.0/16\non request OPTIONS { reply 200 }\n",
                  DiagKind::DuplicateDefinition, "inside"},
        ErrorCase{"RedefinedPrelude", "networks rfc1918 = 10.0.0.0/8\non request OPTIONS { reply 200 }\n",
                  DiagKind::DuplicateDefinition, "rfc1918"},
        ErrorCase{"ConditionIsString",
                  "on request OPTIONS { if ruri.user { reply 200 } else { reply 404 } }\n", DiagKind::TypeMismatch,
                  "ruri.user"},
        ErrorCase{"CompareStringWithInt",
                  "on request OPTIONS { if ruri.user == 100 { reply 200 } else { reply 404 } }\n",
                  DiagKind::TypeMismatch, "ruri.user == 100"},
        ErrorCase{"ListenerOnString", "interface third {\n  sip udp \"127.0.0.30\":5060\n}\non request OPTIONS { reply 200 }\n",
                  DiagKind::TypeMismatch, "\"127.0.0.30\""},
        ErrorCase{"NoTlsListener", "on request OPTIONS { forward to ruri via external tls }\n",
                  DiagKind::NoListenerForTransport, "tls"},
        ErrorCase{"DispatcherWithoutTcp",
                  "dispatcher ms via internal tcp {\n  sip:127.0.0.30:5080\n}\non request OPTIONS { forward to ms }\n",
                  DiagKind::NoListenerForTransport, "tcp"},
        ErrorCase{"SameListenerOnTwoFaces",
                  "interface third {\n  sip udp 127.0.0.10:5060\n}\non request OPTIONS { reply 200 }\n",
                  DiagKind::DuplicateListener, "sip udp 127.0.0.10:5060"},
        ErrorCase{"EmptyDispatcher", "dispatcher ms via internal udp {\n}\non request OPTIONS { forward to ms }\n",
                  DiagKind::EmptyDispatcher, "ms"},
        ErrorCase{"BadOctet", "let bad = 10.0.0.256\non request OPTIONS { reply 200 }\n", DiagKind::InvalidLiteral,
                  "10.0.0.256"},
        ErrorCase{"BadCidrPrefix", "networks n = 10.0.0.0/33\non request OPTIONS { reply 200 }\n",
                  DiagKind::InvalidLiteral, "10.0.0.0/33"},
        ErrorCase{"PortZero", "interface third {\n  sip udp 127.0.0.30:0\n}\non request OPTIONS { reply 200 }\n",
                  DiagKind::InvalidLiteral, "0"},
        ErrorCase{"ReplyCode", "on request OPTIONS { reply 700 }\n", DiagKind::InvalidLiteral, "700"},
        ErrorCase{"UnknownMethod", "on request INVITEE { reply 200 }\n", DiagKind::UnknownMethod, "INVITEE"},
        ErrorCase{"InDialogMethod", "on request ACK { reply 200 }\n", DiagKind::UnknownMethod, "ACK"},
        ErrorCase{"ProbeWithInvite",
                  "dispatcher ms via internal udp {\n  sip:127.0.0.30:5080\n  probe INVITE every 5s from sip:int_ip\n}\n"
                  "on request OPTIONS { forward to ms }\n",
                  DiagKind::UnknownMethod, "INVITE"},
        ErrorCase{"DuplicateHandler", "on request OPTIONS { reply 200 }\non request OPTIONS { reply 404 }\n",
                  DiagKind::DuplicateHandler, "OPTIONS"},
        ErrorCase{"Unreachable", "on request OPTIONS {\n  reply 200\n  log \"never\"\n}\n",
                  DiagKind::UnreachableStatement, "log \"never\""},
        ErrorCase{"MissingDecision", "on request OPTIONS { log \"nothing decided\" }\n", DiagKind::MissingDecision,
                  "OPTIONS"},
        ErrorCase{"IfWithoutElse", "on request OPTIONS { if ruri is myself { reply 200 } }\n",
                  DiagKind::MissingDecision, "OPTIONS"},
        ErrorCase{"MediaSameFace", "on request INVITE {\n  media relay from external to external\n  forward to ruri\n}\n",
                  DiagKind::MediaRelaySameFace, "media relay from external to external"},
        ErrorCase{"RtpRangeBelow1024",
                  "interface third {\n  sip udp 127.0.0.30:5060\n  rtp 127.0.0.30 ports 80..90\n}\n"
                  "on request OPTIONS { reply 200 }\n",
                  DiagKind::InvalidPortRange, "80..90"},
        ErrorCase{"RtpRangeReversed",
                  "interface third {\n  sip udp 127.0.0.30:5060\n  rtp 127.0.0.30 ports 40000..30000\n}\n"
                  "on request OPTIONS { reply 200 }\n",
                  DiagKind::InvalidPortRange, "40000..30000"},
        ErrorCase{"ListenerTransport", "interface third {\n  sip sctp 127.0.0.30:5060\n}\non request OPTIONS { reply 200 }\n",
                  DiagKind::UnknownTransport, "sctp"},
        ErrorCase{"DispatcherTransport",
                  "dispatcher ms via internal quic {\n  sip:127.0.0.30:5080\n}\non request OPTIONS { forward to ms }\n",
                  DiagKind::UnknownTransport, "quic"},
        ErrorCase{"ForwardTransport", "on request OPTIONS { forward to ruri via internal sctp }\n",
                  DiagKind::UnknownTransport, "sctp"},
        ErrorCase{"MissingIdentity", "on request OPTIONS { reply 200 }\n", DiagKind::MissingIdentity, "", false},
        ErrorCase{"NoFaces", "on request OPTIONS { reply 200 }\n", DiagKind::NoFaces, "", true, false},
        // Regressions found in review: each once produced no diagnostic, a wrong one, or a cascade.
        ErrorCase{"FieldOfConditional",
                  "networks inside = 127.0.0.16/28\n"
                  "on request OPTIONS { if (source in inside ? from : to).user == \"1\" { reply 200 } else { reply 404 } }\n",
                  DiagKind::TypeMismatch, "source in inside ? from : to"},
        ErrorCase{"ConstantAndFaceShareAName",
                  "let internal = 127.0.0.21\non request OPTIONS { forward to ruri via internal }\n",
                  DiagKind::DuplicateDefinition, "internal"},
        ErrorCase{"DispatcherViaAConstant",
                  "dispatcher ms via int_ip tcp {\n  sip:127.0.0.30:5080\n}\non request OPTIONS { forward to ms }\n",
                  DiagKind::TypeMismatch, "int_ip"},
        ErrorCase{"FaceUsedAsNetwork",
                  "on request OPTIONS { if source in external { reply 200 } else { reply 404 } }\n",
                  DiagKind::TypeMismatch, "external"},
        ErrorCase{"HugePort", "interface third {\n  sip udp 127.0.0.30:99999999999\n}\non request OPTIONS { reply 200 }\n",
                  DiagKind::InvalidLiteral, "99999999999"},
        ErrorCase{"ProbeFromTypo",
                  "dispatcher ms via internal udp {\n  sip:127.0.0.30:5080\n  probe OPTIONS every 5s from sip:int_iq\n}\n"
                  "on request OPTIONS { forward to ms }\n",
                  DiagKind::UnknownName, "sip:int_iq"},
        ErrorCase{"ProbeThresholdZero",
                  "dispatcher ms via internal udp {\n  sip:127.0.0.30:5080\n  probe OPTIONS every 5s from sip:int_ip threshold 0\n}\n"
                  "on request OPTIONS { forward to ms }\n",
                  DiagKind::InvalidLiteral, "0"},
        // Reported where the cycle closes: the `a` in `let b = a`.
        ErrorCase{"ConstantCycle", "let a = b\nlet b = a\non request OPTIONS { reply 200 }\n", DiagKind::ConstantCycle,
                  "a"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(SemaTest, SwappedLettersStillGetADidYouMean) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) +
                        "on request OPTIONS { if ruri.hots == \"a\" { reply 200 } else { reply 404 } }\n");
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].hint, "did you mean `host`?");
}

TEST(SemaTest, MediaProfileRtpIsAccepted) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) +
                        "on request INVITE {\n  media relay from external to internal as rtp\n  forward to ruri\n}\n");
  EXPECT_TRUE(a->model) << first_message(a->diags);
}

TEST(SemaTest, DuplicateIsReportedAtTheLaterDeclarationWhateverItsKind) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) +
                        "let external = 127.0.0.50\non request OPTIONS { reply 200 }\n");
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(a->sources.line_column({diags[0].range.file, diags[0].range.begin}).line, 10u);
  ASSERT_EQ(diags[0].labels.size(), 1u);
  EXPECT_EQ(a->sources.line_column({diags[0].labels[0].range.file, diags[0].labels[0].range.begin}).line, 4u);
}

TEST(SemaTest, UnknownFieldSuggestsTheClosestOneWithAFixIt) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) +
                        "on request OPTIONS { if ruri.hst == \"a\" { reply 200 } else { reply 404 } }\n");
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].message, "request uri has no field `hst`");
  EXPECT_EQ(diags[0].hint, "did you mean `host`?");
  ASSERT_TRUE(diags[0].fixit);
  EXPECT_EQ(diags[0].fixit->replacement, "host");
  EXPECT_EQ(a->text_of(diags[0].fixit->range), "hst");
}

TEST(SemaTest, DuplicateDefinitionPointsAtTheFirst) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) +
                        "networks inside = 10.0.0.0/8\nnetworks inside = 10.1.0.0/16\non request OPTIONS { reply 200 }\n");
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 1u);
  ASSERT_EQ(diags[0].labels.size(), 1u);
  EXPECT_EQ(diags[0].labels[0].message, "first defined here");
  EXPECT_LT(diags[0].labels[0].range.begin, diags[0].range.begin);
  EXPECT_EQ(a->text_of(diags[0].labels[0].range), "inside");
}

TEST(SemaTest, RedefiningABuiltinFieldIsADuplicate) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) + "let source = 10.0.0.1\non request OPTIONS { reply 200 }\n");
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].kind, DiagKind::DuplicateDefinition);
  ASSERT_EQ(diags[0].notes.size(), 1u);
  EXPECT_EQ(diags[0].notes[0], "`source` is a built-in request field");
}

TEST(SemaTest, IndependentErrorsAreAllReported) {
  auto a = analyze_text(std::string(kIdentity) + std::string(kFaces) +
                        "interface third {\n  sip udp 127.0.0.30:70000\n}\n"
                        "on request INVITE { forward to nowhere }\n"
                        "on request OPTION { reply 200 }\n");
  EXPECT_FALSE(a->model);
  auto diags = a->diags.finished();
  ASSERT_EQ(diags.size(), 3u);
  EXPECT_EQ(diags[0].kind, DiagKind::InvalidLiteral);
  EXPECT_EQ(diags[1].kind, DiagKind::UnknownName);
  EXPECT_EQ(diags[2].kind, DiagKind::UnknownMethod);
}

TEST(SemaTest, WarningsDoNotStopTheModel) {
  auto a = analyze_text(std::string(kFaces) + "on request OPTIONS { if ruri is myself { reply 200 } }\n");
  ASSERT_TRUE(a->model);
  EXPECT_EQ(a->model->identity, "sbc");  // the documented fallback
  EXPECT_EQ(a->diags.warning_count(), 2u);  // missing identity and missing decision
  EXPECT_EQ(a->diags.error_count(), 0u);
}

}  // namespace
}  // namespace sbcc

namespace sbcc {
namespace {

constexpr std::string_view kMediaFaces = R"(sbc "t"
interface external {
    sip udp 127.0.0.10:5060
    rtp 127.0.0.10 ports 30000..30999
}
)";

TEST(SemaLimits, MediaTimeoutIsReadInSeconds) {
  auto a = analyze_text(std::string(kMediaFaces) + "limits {\n    media timeout 2m\n}\n");
  ASSERT_TRUE(a->model);
  EXPECT_FALSE(a->diags.has_errors()) << first_message(a->diags);
  EXPECT_EQ(a->model->limits.media_timeout_s, 120u);
}

TEST(SemaLimits, DurationsReadTheirUnit) {
  auto a = analyze_text(std::string(kMediaFaces) +
                        "database d = sqlite \"/tmp/d.db\" refresh 2m\n"
                        "table t in d key k: string { v: string }\n"
                        "limits {\n    tcp max_connections 10 lifetime 1h\n    media timeout 1500ms\n}\n");
  ASSERT_TRUE(a->model);
  ASSERT_EQ(a->model->databases.size(), 1u);
  EXPECT_EQ(a->model->databases[0].refresh_ms, 120'000u) << "2m, not 2s";
  EXPECT_EQ(a->model->limits.tcp_lifetime_s, 3600u);
  EXPECT_EQ(a->model->limits.media_timeout_s, 1u);
}

TEST(SemaLimits, MediaTimeoutIsOffUnlessSet) {
  auto a = analyze_text(std::string(kMediaFaces));
  ASSERT_TRUE(a->model);
  EXPECT_EQ(a->model->limits.media_timeout_s, 0u);
}

TEST(SemaLimits, MediaTimeoutMistakesAreReported) {
  auto a = analyze_text(std::string(kMediaFaces) + "limits {\n    media timeout 0s\n}\n");
  EXPECT_EQ(first_message(a->diags), "invalid value for `media timeout`");
  a = analyze_text(std::string(kMediaFaces) + "limits {\n    media timeuot 60s\n}\n");
  EXPECT_EQ(first_message(a->diags), "unknown media limit `timeuot`");
  a = analyze_text(std::string(kMediaFaces) + "limits {\n    media timeout 60\n}\n");
  EXPECT_EQ(first_message(a->diags), "invalid value for `media timeout`") << "a number is not a duration";
}

}  // namespace
}  // namespace sbcc
