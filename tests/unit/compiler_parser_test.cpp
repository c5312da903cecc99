// Unit tests of the policy parser (compiler/syntax): each construct of grammar/Sbc.g4
// becomes the right AST node with the right fields and source ranges, expression
// precedence follows the grammar, and syntax errors become E0001 diagnostics at the
// offending token while parse_policy returns nullopt.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "basic/diagnostic_engine.h"
#include "basic/source_manager.h"
#include "syntax/parser.h"

namespace sbcc {
namespace {

// One parse of an in-memory policy; owns everything the AST's ranges refer to.
struct Parse {
  SourceManager sources;
  DiagnosticEngine diags;
  FileId file = 0;
  std::optional<ast::Policy> policy;

  std::string_view text_of(SourceRange range) const { return sources.slice(range); }
  LineColumn start_of(SourceRange range) const { return sources.line_column({range.file, range.begin}); }
};

std::unique_ptr<Parse> parse(std::string text) {
  auto p = std::make_unique<Parse>();
  p->file = p->sources.add_buffer("test.sbc", std::move(text));
  p->policy = parse_policy(p->sources, p->file, p->diags);
  return p;
}

// Parses and requires success without any diagnostic.
std::unique_ptr<Parse> parse_ok(std::string text) {
  auto p = parse(std::move(text));
  EXPECT_TRUE(p->policy.has_value());
  EXPECT_TRUE(p->diags.finished().empty()) << "unexpected diagnostic: " << p->diags.finished().front().message;
  return p;
}

// A compact, parenthesised rendering of an expression tree, for precedence checks.
std::string sexpr(const ast::Expr& e) {
  auto op = [&](std::string_view name) {
    std::string out = "(" + std::string(name);
    for (const auto& operand : e.operands) out += " " + sexpr(*operand);
    return out + ")";
  };
  switch (e.kind) {
    case ast::ExprKind::Literal: return e.literal == ast::LiteralKind::String ? "\"" + e.text + "\"" : e.text;
    case ast::ExprKind::Name: return e.text;
    case ast::ExprKind::Member: return "(. " + sexpr(*e.operands[0]) + " " + e.text + ")";
    case ast::ExprKind::Lookup: return op("[]");
    case ast::ExprKind::Call: return op(e.text);
    case ast::ExprKind::Not: return op("not");
    case ast::ExprKind::IsMyself: return op("myself");
    case ast::ExprKind::In: return "(in " + sexpr(*e.operands[0]) + " " + e.text + ")";
    case ast::ExprKind::Equal: return op("==");
    case ast::ExprKind::NotEqual: return op("!=");
    case ast::ExprKind::And: return op("and");
    case ast::ExprKind::Or: return op("or");
    case ast::ExprKind::Cond: return op("?");
  }
  return "<bad>";
}

TEST(ParserTest, EmptyPolicyParses) {
  auto p = parse_ok("// only a comment\n");
  ASSERT_TRUE(p->policy);
  EXPECT_FALSE(p->policy->identity);
  EXPECT_TRUE(p->policy->interfaces.empty());
  EXPECT_TRUE(p->policy->handlers.empty());
}

TEST(ParserTest, IdentityAndLetDeclarations) {
  auto p = parse_ok("sbc \"edge/1.0\"\nlet external_ip = 127.0.0.10\nlet greeting = \"a \\\"quoted\\\" word\"\n");
  ASSERT_TRUE(p->policy && p->policy->identity);
  EXPECT_EQ(p->policy->identity->name, "edge/1.0");
  ASSERT_EQ(p->policy->lets.size(), 2u);
  EXPECT_EQ(p->policy->lets[0].name.text, "external_ip");
  EXPECT_EQ(p->text_of(p->policy->lets[0].name.range), "external_ip");
  EXPECT_EQ(p->policy->lets[0].value->literal, ast::LiteralKind::IPv4);
  EXPECT_EQ(p->policy->lets[0].value->text, "127.0.0.10");
  EXPECT_EQ(p->policy->lets[1].value->literal, ast::LiteralKind::String);
  EXPECT_EQ(p->policy->lets[1].value->text, "a \"quoted\" word");  // unquoted and unescaped
}

TEST(ParserTest, CommentsOfEveryStyleAreIgnored) {
  auto p = parse_ok("// line\n# hash\n/* block\n spanning */ let a = 1 // trailing\n");
  ASSERT_TRUE(p->policy);
  ASSERT_EQ(p->policy->lets.size(), 1u);
  EXPECT_EQ(p->start_of(p->policy->lets[0].range).line, 4u);
}

struct LiteralCase {
  std::string_view source;
  ast::LiteralKind kind;
  std::string_view text;
};

class LiteralTest : public ::testing::TestWithParam<LiteralCase> {};

TEST_P(LiteralTest, LetValueHasKindAndText) {
  const LiteralCase& c = GetParam();
  auto p = parse_ok("let x = " + std::string(c.source) + "\n");
  ASSERT_TRUE(p->policy);
  ASSERT_EQ(p->policy->lets.size(), 1u);
  const ast::Expr& value = *p->policy->lets[0].value;
  EXPECT_EQ(value.kind, ast::ExprKind::Literal);
  EXPECT_EQ(value.literal, c.kind) << c.source;
  EXPECT_EQ(value.text, c.text);
  EXPECT_EQ(p->text_of(value.range), c.source);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LiteralTest,
    ::testing::Values(LiteralCase{"\"hello\"", ast::LiteralKind::String, "hello"},
                      LiteralCase{"42", ast::LiteralKind::Int, "42"},
                      LiteralCase{"192.0.2.1", ast::LiteralKind::IPv4, "192.0.2.1"},
                      LiteralCase{"[2001:db8::1]", ast::LiteralKind::IPv6, "2001:db8::1"},
                      LiteralCase{"10.0.0.0/8", ast::LiteralKind::Cidr, "10.0.0.0/8"},
                      LiteralCase{"30s", ast::LiteralKind::Duration, "30s"},
                      LiteralCase{"sip:ms1@127.0.0.30:5080", ast::LiteralKind::Uri, "sip:ms1@127.0.0.30:5080"},
                      LiteralCase{"true", ast::LiteralKind::Bool, "true"},
                      LiteralCase{"false", ast::LiteralKind::Bool, "false"}));

TEST(ParserTest, ListenersWithAdvertiseAndName) {
  auto p = parse_ok(
      "interface external {\n"
      "    sip udp 127.0.0.10:5060\n"
      "    sip tls external_ip:5061 advertise 192.0.2.10:5071 name \"public-tls\"\n"
      "    sip tcp external_ip advertise 192.0.2.10\n"
      "}\n");
  ASSERT_TRUE(p->policy);
  ASSERT_EQ(p->policy->interfaces.size(), 1u);
  const auto& face = p->policy->interfaces[0];
  EXPECT_EQ(face.name.text, "external");
  ASSERT_EQ(face.listeners.size(), 3u);

  const auto& udp = face.listeners[0];
  EXPECT_EQ(udp.transport.text, "udp");
  EXPECT_EQ(udp.bind.host->literal, ast::LiteralKind::IPv4);
  EXPECT_EQ(udp.bind.host->text, "127.0.0.10");
  EXPECT_EQ(udp.bind.port, 5060u);
  EXPECT_EQ(p->text_of(udp.bind.port_range), "5060");
  EXPECT_FALSE(udp.advertise);
  EXPECT_FALSE(udp.name);
  EXPECT_EQ(p->text_of(udp.range), "sip udp 127.0.0.10:5060");

  const auto& tls = face.listeners[1];
  EXPECT_EQ(tls.transport.text, "tls");
  EXPECT_EQ(tls.bind.host->kind, ast::ExprKind::Name);
  EXPECT_EQ(tls.bind.host->text, "external_ip");
  EXPECT_EQ(tls.bind.port, 5061u);
  ASSERT_TRUE(tls.advertise);
  EXPECT_EQ(tls.advertise->host->text, "192.0.2.10");
  EXPECT_EQ(tls.advertise->port, 5071u);
  ASSERT_TRUE(tls.name);
  EXPECT_EQ(tls.name->text, "public-tls");

  const auto& tcp = face.listeners[2];
  EXPECT_EQ(tcp.transport.text, "tcp");
  EXPECT_FALSE(tcp.bind.port);  // sema supplies the default port
  ASSERT_TRUE(tcp.advertise);
  EXPECT_FALSE(tcp.advertise->port);
}

TEST(ParserTest, RtpRanges) {
  auto p = parse_ok(
      "interface external {\n"
      "    rtp 127.0.0.10 ports 30000..34999\n"
      "    rtp external_ip advertise 192.0.2.10 ports 35000..39999\n"
      "}\n");
  ASSERT_TRUE(p->policy);
  const auto& rtp = p->policy->interfaces.at(0).rtp;
  ASSERT_EQ(rtp.size(), 2u);
  EXPECT_EQ(rtp[0].address->text, "127.0.0.10");
  EXPECT_EQ(rtp[0].advertise, nullptr);
  EXPECT_EQ(rtp[0].port_min, 30000u);
  EXPECT_EQ(rtp[0].port_max, 34999u);
  EXPECT_EQ(p->text_of(rtp[0].ports_range), "30000..34999");
  EXPECT_EQ(rtp[1].address->kind, ast::ExprKind::Name);
  ASSERT_NE(rtp[1].advertise, nullptr);
  EXPECT_EQ(rtp[1].advertise->text, "192.0.2.10");
  EXPECT_EQ(rtp[1].port_min, 35000u);
  EXPECT_EQ(rtp[1].port_max, 39999u);
}

TEST(ParserTest, AliasesAndNetworks) {
  auto p = parse_ok(
      "aliases \"sbc.example\", external_ip, 127.0.0.20\n"
      "networks inside = 127.0.0.16/28, 127.0.0.30/31, rfc1918\n");
  ASSERT_TRUE(p->policy);
  ASSERT_EQ(p->policy->aliases.size(), 1u);
  const auto& aliases = p->policy->aliases[0].values;
  ASSERT_EQ(aliases.size(), 3u);
  EXPECT_EQ(aliases[0]->literal, ast::LiteralKind::String);
  EXPECT_EQ(aliases[1]->kind, ast::ExprKind::Name);
  EXPECT_EQ(aliases[2]->literal, ast::LiteralKind::IPv4);
  ASSERT_EQ(p->policy->networks.size(), 1u);
  const auto& net = p->policy->networks[0];
  EXPECT_EQ(net.name.text, "inside");
  ASSERT_EQ(net.members.size(), 3u);
  EXPECT_EQ(net.members[0]->text, "127.0.0.16/28");
  EXPECT_EQ(net.members[1]->literal, ast::LiteralKind::Cidr);
  EXPECT_EQ(net.members[2]->kind, ast::ExprKind::Name);
  EXPECT_EQ(net.members[2]->text, "rfc1918");
}

TEST(ParserTest, DispatcherMembersAndProbe) {
  auto p = parse_ok(
      "dispatcher mediaservers via internal udp {\n"
      "    sip:127.0.0.30:5080  duid \"ms1\" weight 3\n"
      "    sip:127.0.0.31:5080\n"
      "    pick hash_callid\n"
      "    probe OPTIONS every 5s from sip:internal_ip accept 200, 484 threshold 2 always\n"
      "}\n");
  ASSERT_TRUE(p->policy);
  ASSERT_EQ(p->policy->dispatchers.size(), 1u);
  const auto& set = p->policy->dispatchers[0];
  EXPECT_EQ(set.name.text, "mediaservers");
  EXPECT_EQ(set.face.text, "internal");
  EXPECT_EQ(set.transport.text, "udp");
  ASSERT_EQ(set.destinations.size(), 2u);
  EXPECT_EQ(set.destinations[0].uri.text, "sip:127.0.0.30:5080");
  EXPECT_EQ(p->text_of(set.destinations[0].uri.range), "sip:127.0.0.30:5080");
  ASSERT_EQ(set.destinations[0].attributes.size(), 2u);
  EXPECT_EQ(set.destinations[0].attributes[0].name.text, "duid");
  EXPECT_EQ(set.destinations[0].attributes[0].value, "ms1");
  EXPECT_FALSE(set.destinations[0].attributes[0].is_int);
  EXPECT_EQ(set.destinations[0].attributes[1].name.text, "weight");
  EXPECT_EQ(set.destinations[0].attributes[1].value, "3");
  EXPECT_TRUE(set.destinations[0].attributes[1].is_int);
  EXPECT_TRUE(set.destinations[1].attributes.empty());
  ASSERT_TRUE(set.pick);
  EXPECT_EQ(set.pick->text, "hash_callid");

  ASSERT_TRUE(set.probe);
  const auto& probe = *set.probe;
  EXPECT_EQ(probe.method.text, "OPTIONS");
  EXPECT_EQ(probe.interval_ms, 5000u);
  EXPECT_EQ(p->text_of(probe.interval_range), "5s");
  EXPECT_EQ(probe.from.text, "sip:internal_ip");
  ASSERT_EQ(probe.accept.size(), 2u);
  EXPECT_EQ(probe.accept[0].first, 200u);
  EXPECT_EQ(probe.accept[1].first, 484u);
  EXPECT_EQ(p->text_of(probe.accept[1].second), "484");
  EXPECT_EQ(probe.threshold, 2u);
  ASSERT_TRUE(probe.mode);
  EXPECT_EQ(probe.mode->text, "always");
}

TEST(ParserTest, ProbeOptionalPartsMayBeOmitted) {
  auto p = parse_ok("dispatcher d via f udp {\n  sip:127.0.0.30\n  probe OPTIONS every 1m from sip:127.0.0.20\n}\n");
  ASSERT_TRUE(p->policy);
  const auto& probe = p->policy->dispatchers.at(0).probe;
  ASSERT_TRUE(probe);
  EXPECT_TRUE(probe->accept.empty());
  EXPECT_FALSE(probe->threshold);
  EXPECT_FALSE(probe->mode);
  EXPECT_EQ(probe->interval_ms, 60'000u);
}

struct DurationCase {
  std::string_view text;
  uint64_t ms;
};

class ProbeDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ProbeDurationTest, IntervalInMilliseconds) {
  auto p = parse_ok("dispatcher d via f udp {\n  probe OPTIONS every " + std::string(GetParam().text) +
                    " from sip:127.0.0.20\n}\n");
  ASSERT_TRUE(p->policy && p->policy->dispatchers.at(0).probe);
  EXPECT_EQ(p->policy->dispatchers[0].probe->interval_ms, GetParam().ms) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Table, ProbeDurationTest,
                         ::testing::Values(DurationCase{"250ms", 250}, DurationCase{"5s", 5'000},
                                           DurationCase{"2m", 120'000}, DurationCase{"1h", 3'600'000}));

TEST(ParserTest, HandlerWithNestedIfElseIfElse) {
  auto p = parse_ok(
      "on request INVITE {\n"
      "    if ruri is myself {\n"
      "        media relay from external to internal\n"
      "        forward to mediaservers\n"
      "    } else if source in inside {\n"
      "        if ruri.user == \"100\" {\n"
      "            reply 404 \"Not Found\"\n"
      "        }\n"
      "        forward to ruri via external udp\n"
      "    } else {\n"
      "        log warn \"denied\"\n"
      "        reply 403 \"Relaying denied\"\n"
      "    }\n"
      "}\n");
  ASSERT_TRUE(p->policy);
  ASSERT_EQ(p->policy->handlers.size(), 1u);
  const auto& handler = p->policy->handlers[0];
  EXPECT_EQ(handler.method.text, "INVITE");
  ASSERT_EQ(handler.body.size(), 1u);

  const ast::Stmt& top = *handler.body[0];
  ASSERT_EQ(top.kind, ast::StmtKind::If);
  EXPECT_EQ(sexpr(*top.condition), "(myself ruri)");
  ASSERT_EQ(top.then_block.size(), 2u);
  EXPECT_EQ(top.then_block[0]->kind, ast::StmtKind::MediaRelay);
  EXPECT_EQ(top.then_block[1]->kind, ast::StmtKind::Forward);

  // `else if` is an else block holding exactly one if statement.
  ASSERT_EQ(top.else_block.size(), 1u);
  const ast::Stmt& elif = *top.else_block[0];
  ASSERT_EQ(elif.kind, ast::StmtKind::If);
  EXPECT_EQ(sexpr(*elif.condition), "(in source inside)");
  ASSERT_EQ(elif.then_block.size(), 2u);
  const ast::Stmt& inner = *elif.then_block[0];
  ASSERT_EQ(inner.kind, ast::StmtKind::If);
  EXPECT_TRUE(inner.else_block.empty());
  ASSERT_EQ(inner.then_block.size(), 1u);
  EXPECT_EQ(inner.then_block[0]->kind, ast::StmtKind::Reply);
  EXPECT_EQ(elif.then_block[1]->kind, ast::StmtKind::Forward);

  ASSERT_EQ(elif.else_block.size(), 2u);
  EXPECT_EQ(elif.else_block[0]->kind, ast::StmtKind::Log);
  EXPECT_EQ(elif.else_block[1]->kind, ast::StmtKind::Reply);
}

TEST(ParserTest, DecisionStatements) {
  auto p = parse_ok(
      "on request OPTIONS {\n"
      "    forward to ruri\n"
      "    forward to sip:127.0.0.30:5080 via internal tcp\n"
      "    forward to mediaservers via internal\n"
      "    reply 403 \"Relaying denied\"\n"
      "    reply 200\n"
      "    log \"plain\"\n"
      "    log error \"bad\"\n"
      "    media relay from external to internal as srtp\n"
      "}\n");
  ASSERT_TRUE(p->policy);
  const auto& body = p->policy->handlers.at(0).body;
  ASSERT_EQ(body.size(), 8u);

  EXPECT_EQ(body[0]->target.kind, ast::TargetKind::RequestUri);
  EXPECT_FALSE(body[0]->via_face);

  EXPECT_EQ(body[1]->target.kind, ast::TargetKind::Uri);
  EXPECT_EQ(body[1]->target.text, "sip:127.0.0.30:5080");
  ASSERT_TRUE(body[1]->via_face && body[1]->via_transport);
  EXPECT_EQ(body[1]->via_face->text, "internal");
  EXPECT_EQ(body[1]->via_transport->text, "tcp");

  EXPECT_EQ(body[2]->target.kind, ast::TargetKind::Named);
  EXPECT_EQ(body[2]->target.text, "mediaservers");
  ASSERT_TRUE(body[2]->via_face);
  EXPECT_FALSE(body[2]->via_transport);

  EXPECT_EQ(body[3]->reply_code, 403u);
  EXPECT_EQ(body[3]->reply_reason, "Relaying denied");
  EXPECT_EQ(p->text_of(body[3]->reply_code_range), "403");
  EXPECT_EQ(body[4]->reply_code, 200u);
  EXPECT_EQ(body[4]->reply_reason, "");

  EXPECT_FALSE(body[5]->log_level);
  EXPECT_EQ(body[5]->log_message, "plain");
  ASSERT_TRUE(body[6]->log_level);
  EXPECT_EQ(body[6]->log_level->text, "error");

  EXPECT_EQ(body[7]->kind, ast::StmtKind::MediaRelay);
  EXPECT_EQ(body[7]->media_from->text, "external");
  EXPECT_EQ(body[7]->media_to->text, "internal");
  ASSERT_TRUE(body[7]->media_profile);
  EXPECT_EQ(body[7]->media_profile->text, "srtp");
}

struct PrecedenceCase {
  std::string_view expr;
  std::string_view tree;
};

class PrecedenceTest : public ::testing::TestWithParam<PrecedenceCase> {};

TEST_P(PrecedenceTest, ParsesToTree) {
  const PrecedenceCase& c = GetParam();
  auto p = parse_ok("on request INVITE {\n  if " + std::string(c.expr) + " { reply 200 }\n}\n");
  ASSERT_TRUE(p->policy);
  const ast::Stmt& stmt = *p->policy->handlers.at(0).body.at(0);
  EXPECT_EQ(sexpr(*stmt.condition), c.tree) << c.expr;
  EXPECT_EQ(p->text_of(stmt.condition->range), c.expr);  // the range covers the whole condition
}

INSTANTIATE_TEST_SUITE_P(
    Table, PrecedenceTest,
    ::testing::Values(
        PrecedenceCase{"a or b and c", "(or a (and b c))"},
        PrecedenceCase{"a and b or c", "(or (and a b) c)"},
        PrecedenceCase{"a or b or c", "(or (or a b) c)"},
        PrecedenceCase{"(a or b) and c", "(and (or a b) c)"},
        // `not` binds looser than `is myself`, `in` and `==`, tighter than `and`.
        PrecedenceCase{"not x is myself", "(not (myself x))"},
        PrecedenceCase{"not source in inside", "(not (in source inside))"},
        PrecedenceCase{"not a == b", "(not (== a b))"},
        PrecedenceCase{"not (x is myself)", "(not (myself x))"},
        PrecedenceCase{"not a and b", "(and (not a) b)"},
        PrecedenceCase{"not not a", "(not (not a))"},
        PrecedenceCase{"ruri is myself and source in inside", "(and (myself ruri) (in source inside))"},
        PrecedenceCase{"ruri.user == \"100\" or ruri.user != \"200\"",
                       "(or (== (. ruri user) \"100\") (!= (. ruri user) \"200\"))"},
        PrecedenceCase{"from.user == to.user", "(== (. from user) (. to user))"},
        PrecedenceCase{"source in inside ? internal : external", "(? (in source inside) internal external)"},
        PrecedenceCase{"a ? b : c ? d : e", "(? a b (? c d e))"},
        PrecedenceCase{"a or b ? c : d", "(? (or a b) c d)"}),
    [](const ::testing::TestParamInfo<PrecedenceCase>& info) { return "case" + std::to_string(info.index); });

TEST(ParserTest, MemberAndInRecordNameRanges) {
  auto p = parse_ok("on request INVITE {\n  if ruri.host == \"x\" and source in inside { reply 200 }\n}\n");
  ASSERT_TRUE(p->policy);
  const ast::Expr& cond = *p->policy->handlers.at(0).body.at(0)->condition;
  ASSERT_EQ(cond.kind, ast::ExprKind::And);
  const ast::Expr& member = *cond.operands[0]->operands[0];
  ASSERT_EQ(member.kind, ast::ExprKind::Member);
  EXPECT_EQ(p->text_of(member.name_range), "host");
  EXPECT_EQ(p->text_of(member.range), "ruri.host");
  const ast::Expr& in = *cond.operands[1];
  ASSERT_EQ(in.kind, ast::ExprKind::In);
  EXPECT_EQ(p->text_of(in.name_range), "inside");
  LineColumn lc = p->start_of(in.name_range);
  EXPECT_EQ(lc.line, 2u);
  EXPECT_EQ(lc.column, 37u);
}

struct SyntaxErrorCase {
  std::string_view name;
  std::string_view source;
  uint32_t line;
  uint32_t column;
  std::string_view message_part;
};

class SyntaxErrorTest : public ::testing::TestWithParam<SyntaxErrorCase> {};

TEST_P(SyntaxErrorTest, ReportsE0001AtTheOffendingToken) {
  const SyntaxErrorCase& c = GetParam();
  auto p = parse(std::string(c.source));
  EXPECT_FALSE(p->policy.has_value());
  auto diags = p->diags.finished();
  ASSERT_FALSE(diags.empty());
  for (const auto& d : diags) {
    EXPECT_EQ(d.kind, DiagKind::SyntaxError);
    EXPECT_EQ(d.severity, Severity::Error);
  }
  LineColumn lc = p->start_of(diags[0].range);
  EXPECT_EQ(lc.line, c.line);
  EXPECT_EQ(lc.column, c.column);
  EXPECT_NE(diags[0].message.find(c.message_part), std::string::npos) << diags[0].message;
  // ANTLR's quotes are turned into the backticks every sbcc message uses.
  EXPECT_EQ(diags[0].message.find('\''), std::string::npos) << diags[0].message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SyntaxErrorTest,
    ::testing::Values(
        SyntaxErrorCase{"MissingTo", "on request INVITE {\n    forward mediaservers\n}\n", 2, 13, "missing `to`"},
        SyntaxErrorCase{"MisspeltKeyword", "sbc \"x\"\ninterfase external {\n}\n", 2, 1, "interfase"},
        SyntaxErrorCase{"MissingName", "let = 127.0.0.1\n", 1, 5, "`=`"},
        SyntaxErrorCase{"MissingBrace", "interface external {\n    sip udp 127.0.0.10:5060\n", 2, 27, "end of file"},
        SyntaxErrorCase{"UnterminatedString", "sbc \"x\ninterface e {}\n", 1, 5, "unterminated string"},
        SyntaxErrorCase{"StrayCharacter", "let a = 1\nlet b = 2 $\n", 2, 11, "unexpected character `$`"},
        SyntaxErrorCase{"PortNotNumber", "interface e {\n  sip udp 127.0.0.10:http\n}\n", 2, 22, "http"}),
    [](const ::testing::TestParamInfo<SyntaxErrorCase>& info) { return std::string(info.param.name); });

TEST(ParserTest, EverySyntaxErrorInAFileIsReported) {
  auto p = parse("let = 1\nlet b = 2\nlet = 3\n");
  EXPECT_FALSE(p->policy);
  auto diags = p->diags.finished();
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(p->start_of(diags[0].range).line, 1u);
  EXPECT_EQ(p->start_of(diags[1].range).line, 3u);
}

TEST(ParserTest, ErrorsInOtherFilesDoNotFailThisParse) {
  SourceManager sources;
  DiagnosticEngine diags;
  FileId bad = sources.add_buffer("bad.sbc", "let = 1\n");
  FileId good = sources.add_buffer("good.sbc", "let a = 1\n");
  EXPECT_FALSE(parse_policy(sources, bad, diags));
  auto policy = parse_policy(sources, good, diags);
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->file, good);
  EXPECT_EQ(policy->lets.at(0).name.range.file, good);
}

}  // namespace
}  // namespace sbcc
