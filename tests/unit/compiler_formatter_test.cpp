// Unit tests of the policy formatter (compiler/syntax/formatter): messy policies become
// the exact canonical text of each layout rule, comments survive, formatting formatted
// text changes nothing, and a policy with syntax errors is refused (nullopt + E0001).
#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "basic/diagnostic_engine.h"
#include "basic/source_manager.h"
#include "syntax/formatter.h"

namespace sbcc {
namespace {

std::optional<std::string> format(std::string text, DiagnosticEngine& diags) {
  SourceManager sources;
  FileId file = sources.add_buffer("test.sbc", std::move(text));
  return format_policy(sources, file, diags);
}

std::optional<std::string> format(std::string text) {
  DiagnosticEngine diags;
  return format(std::move(text), diags);
}

struct Case {
  std::string_view name;
  std::string_view input;
  std::string_view canonical;
};

// Only the grammar matters here, not meaning: names need not be declared.
const Case kCases[] = {
    {"indents four spaces per brace and dedents on the closing brace",
     "interface ext {\nsip udp a:5060\n        rtp a ports 1..2\n}\n",
     "interface ext {\n    sip udp a:5060\n    rtp a ports 1..2\n}\n"},
    {"nested blocks and else on the closing brace's line",
     "on request INVITE {\nif x {\nreply 200\n} else {\n  reply 403\n      }\n}\n",
     "on request INVITE {\n    if x {\n        reply 200\n    } else {\n        reply 403\n    }\n}\n"},
    {"one space before an opening brace, tight empty braces", "on request INVITE{}\ninterface ext{\n}\n",
     "on request INVITE {}\ninterface ext {\n}\n"},
    {"a brace on its own line stays there", "dispatcher d via f udp\n{\npick round_robin\n}\n",
     "dispatcher d via f udp\n{\n    pick round_robin\n}\n"},
    {"blank lines: leading removed, runs collapsed, none after { or before }",
     "\n\n\nsbc \"x\"\n\n\n\nlet a = 1\non request INVITE {\n\n\nreply 200\n\n\n}\n\n\n",
     "sbc \"x\"\n\nlet a = 1\non request INVITE {\n    reply 200\n}\n"},
    {"trailing whitespace removed and exactly one final newline", "let a = 1   \t\nlet b = 2",
     "let a = 1\nlet b = 2\n"},
    {"CRLF line ends become LF", "let a = 1\r\n\r\nlet b = 2\r\n", "let a = 1\n\nlet b = 2\n"},
    {"one space between words", "sbc    \"x\"\nlet   a   =   true\n", "sbc \"x\"\nlet a = true\n"},
    {"operators spaced on both sides", "let a=b==c\nlet d=e!=f\n", "let a = b == c\nlet d = e != f\n"},
    {"commas: none before, one after", "aliases \"a\" ,b,c  ,  d\n", "aliases \"a\", b, c, d\n"},
    {"parentheses hug their contents", "let a = ( b and ( c or d ) )\n", "let a = (b and (c or d))\n"},
    {"no space around . and ..", "let a = ruri . user\ninterface f {\nrtp a ports 1 .. 2\n}\n",
     "let a = ruri.user\ninterface f {\n    rtp a ports 1..2\n}\n"},
    {"host:port is tight, for names, IPv4 and IPv6",
     "interface f {\nsip udp a : 5060 advertise 1.2.3.4 :5061\nsip tcp [::1]: 5062\n}\n",
     "interface f {\n    sip udp a:5060 advertise 1.2.3.4:5061\n    sip tcp [::1]:5062\n}\n"},
    {"a ternary's colon is spaced, even before a number", "let a = b?c:d\nlet e = f ?1:2\n",
     "let a = b ? c : d\nlet e = f ? 1 : 2\n"},
    {"ternary then port: the second colon is the port's", "interface f {\nsip udp a?b:c:5060\n}\n",
     "interface f {\n    sip udp a ? b : c:5060\n}\n"},
    {"a nested ternary pairs each colon with its own ?", "let a = b ? (c ? d : e) : f ? g : h\n",
     "let a = b ? (c ? d : e) : f ? g : h\n"},
    {"the author's choice of space between a keyword and (", "let a = not(b)\nlet c = not (d)\n",
     "let a = not(b)\nlet c = not (d)\n"},
    {"a space the lexer needs stays: `sip:5060` would be a URI", "interface f {\nsip udp sip : 5060\n}\n",
     "interface f {\n    sip udp sip :5060\n}\n"},
    {"URIs and literals are never touched",
     "dispatcher d via f udp {\nsip:10.0.0.1:5060;transport=tcp   duid \"a  b\"\n}\n",
     "dispatcher d via f udp {\n    sip:10.0.0.1:5060;transport=tcp duid \"a  b\"\n}\n"},
    {"continuation lines get one more level",
     "aliases \"a\",\n\"b\"\non request X {\nif (a or\nb) and\nc {\nreply 200\n}\n}\nlet t = a\n? b\n: c\n",
     "aliases \"a\",\n    \"b\"\n"
     "on request X {\n    if (a or\n        b) and\n        c {\n        reply 200\n    }\n}\n"
     "let t = a\n    ? b\n    : c\n"},
    {"commas inside braces do not continue a line",
     "dispatcher d via f udp {\nprobe OPTIONS every 5s from sip:a accept 200,\n484\n}\n",
     "dispatcher d via f udp {\n    probe OPTIONS every 5s from sip:a accept 200,\n    484\n}\n"},
    {"a trailing comment sits two spaces after the code", "let a = 1 // one\nlet b = 2# two\n",
     "let a = 1  // one\nlet b = 2  # two\n"},
    {"a trailing comment keeps its column when it is further right",
     "let a  = 1        // one\nlet bb = 22       // two\n", "let a = 1         // one\nlet bb = 22       // two\n"},
    {"re-indenting a line moves its trailing comment along",
     "interface f {\n  sip udp a:1    // x\n  sip udp b:2    // y\n}\n",
     "interface f {\n    sip udp a:1    // x\n    sip udp b:2    // y\n}\n"},
    {"a comment line is indented like the code after it; before } like the block",
     "on request X {\n// about if\n      if a {\n/* about reply */\nreply 200\n        // last words\n}\n}\n// eof\n",
     "on request X {\n    // about if\n    if a {\n        /* about reply */\n        reply 200\n"
     "        // last words\n    }\n}\n// eof\n"},
    {"comment text is kept; line comments lose trailing blanks",
     "#  hash   \n//   odd    spacing //\nsbc \"x\"\n", "#  hash\n//   odd    spacing //\nsbc \"x\"\n"},
    {"a block comment is verbatim, its inner lines included",
     "  /* one\n     two  \n  three */\nlet a = 1 /* in */ == 2\n",
     "/* one\n     two  \n  three */\nlet a = 1 /* in */ == 2\n"},
    {"an empty policy stays empty", "\n\n  \n", ""},
};

class FormatterCase : public testing::TestWithParam<Case> {};

TEST_P(FormatterCase, ProducesTheCanonicalText) {
  auto formatted = format(std::string(GetParam().input));
  ASSERT_TRUE(formatted.has_value());
  EXPECT_EQ(*formatted, GetParam().canonical);
}

TEST_P(FormatterCase, CanonicalTextIsAFixedPoint) {
  auto formatted = format(std::string(GetParam().canonical));
  ASSERT_TRUE(formatted.has_value());
  EXPECT_EQ(*formatted, GetParam().canonical);
}

// The case's description as a test name: its words joined by underscores.
std::string case_name(const testing::TestParamInfo<Case>& info) {
  std::string name;
  for (char c : info.param.name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += c;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

INSTANTIATE_TEST_SUITE_P(Layout, FormatterCase, testing::ValuesIn(kCases), case_name);

TEST(Formatter, KeepsEveryCommentOfARealPolicy) {
  std::string policy =
      "// header\nsbc \"x\"  // id\n\n# hash\ninterface f { /* inline */\n  sip udp a:5060 // listener\n}\n"
      "/* multi\n   line */\non request INVITE {\n  reply 200 // done\n}\n// trailer\n";
  auto formatted = format(policy);
  ASSERT_TRUE(formatted.has_value());
  for (std::string_view comment : {"// header", "// id", "# hash", "/* inline */", "// listener",
                                   "/* multi\n   line */", "// done", "// trailer"}) {
    EXPECT_NE(formatted->find(comment), std::string::npos) << "lost " << comment;
  }
}

TEST(Formatter, RefusesAPolicyWithSyntaxErrors) {
  DiagnosticEngine diags;
  auto formatted = format("let = 1\ninterface f {\n", diags);
  EXPECT_FALSE(formatted.has_value());
  auto reported = diags.finished();
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported.front().kind, DiagKind::SyntaxError);
}

TEST(Formatter, RefusesAnUnterminatedString) {
  DiagnosticEngine diags;
  EXPECT_FALSE(format("sbc \"x\nlet a = 1\n", diags).has_value());
  EXPECT_TRUE(diags.has_errors());
}

}  // namespace
}  // namespace sbcc
