// Unit tests of the diagnostics machinery (compiler/basic): the registry generated from
// diagnostic_kinds.def, DiagnosticEngine (sorting, de-duplication, -Werror, -W no-<kind>)
// and render_diagnostics in its three formats: text with a caret line, JSON, SARIF 2.1.0.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "basic/diagnostic_engine.h"
#include "basic/diagnostic_render.h"
#include "basic/source_manager.h"

namespace sbcc {
namespace {

// A strict little JSON checker: true when `text` is exactly one JSON value.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view text) : s_(text) {}
  bool valid() {
    bool ok = value();
    space();
    return ok && i_ == s_.size();
  }

 private:
  void space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  bool string() {
    if (!eat('"')) return false;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (static_cast<unsigned char>(s_[i_]) < 0x20) return false;
      if (s_[i_] == '\\') ++i_;
      ++i_;
    }
    return eat('"');
  }
  bool number() {
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.')) ++i_;
    return i_ > start;
  }
  bool value() {
    space();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') return sequence('{', '}', true);
    if (c == '[') return sequence('[', ']', false);
    if (c == '"') return string();
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }
  bool sequence(char open, char close, bool object) {
    eat(open);
    if (eat(close)) return true;
    do {
      if (object && (!string() || !eat(':'))) return false;
      if (!value()) return false;
    } while (eat(','));
    return eat(close);
  }

  std::string_view s_;
  size_t i_ = 0;
};

TEST(JsonCheckerTest, AcceptsJsonAndRejectsBrokenText) {
  EXPECT_TRUE(JsonChecker(R"({"a":[1,"x\"y",true,null,{}],"b":-2.5})").valid());
  EXPECT_FALSE(JsonChecker(R"({"a":1,})").valid());
  EXPECT_FALSE(JsonChecker(R"({"a":"unterminated})").valid());
  EXPECT_FALSE(JsonChecker(R"([1] [2])").valid());
}

// ---- the registry ------------------------------------------------------------------

TEST(DiagKindsTest, CodesAreSequentialAndFlagsUnique) {
  const auto& kinds = all_diag_kinds();
  ASSERT_GE(kinds.size(), 17u);
  std::set<std::string_view> flags;
  for (size_t i = 0; i < kinds.size(); ++i) {
    char expected[32];
    std::snprintf(expected, sizeof expected, "E%04zu", i + 1);
    EXPECT_EQ(kinds[i].code, expected);
    EXPECT_EQ(static_cast<size_t>(kinds[i].kind), i);
    EXPECT_EQ(&info(kinds[i].kind), &kinds[i]);
    EXPECT_TRUE(flags.insert(kinds[i].flag).second) << "duplicate flag " << kinds[i].flag;
    EXPECT_FALSE(kinds[i].explanation.empty()) << kinds[i].code;
    EXPECT_NE(kinds[i].default_severity, Severity::Note) << kinds[i].code;
  }
}

TEST(DiagKindsTest, FindByCodeOrFlag) {
  const DiagKindInfo* by_code = find_diag_kind("E0005");
  const DiagKindInfo* by_flag = find_diag_kind("no-listener-for-transport");
  ASSERT_NE(by_code, nullptr);
  EXPECT_EQ(by_code, by_flag);
  EXPECT_EQ(by_code->kind, DiagKind::NoListenerForTransport);
  EXPECT_EQ(find_diag_kind("E9999"), nullptr);
  EXPECT_EQ(find_diag_kind("unknown"), nullptr);
  EXPECT_EQ(info(DiagKind::UnreachableStatement).default_severity, Severity::Warning);
  EXPECT_EQ(info(DiagKind::SyntaxError).default_severity, Severity::Error);
  EXPECT_EQ(severity_name(Severity::Error), "error");
  EXPECT_EQ(severity_name(Severity::Warning), "warning");
  EXPECT_EQ(severity_name(Severity::Note), "note");
}

// ---- the engine --------------------------------------------------------------------

SourceRange at(FileId file, uint32_t begin, uint32_t end) { return {file, begin, end}; }

TEST(DiagnosticEngineTest, FinishedIsSortedByFileAndPosition) {
  DiagnosticEngine diags;
  diags.report(DiagKind::UnknownName, at(1, 30, 31), "c");
  diags.report(DiagKind::UnknownName, at(1, 10, 11), "a");
  diags.report(DiagKind::UnknownName, at(0, 50, 51), "first file");
  diags.report(DiagKind::UnknownName, at(1, 20, 21), "b");
  diags.report(DiagKind::UnknownName, at(1, 10, 15), "a, longer");
  auto out = diags.finished();
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].message, "first file");
  EXPECT_EQ(out[1].message, "a");
  EXPECT_EQ(out[2].message, "a, longer");
  EXPECT_EQ(out[3].message, "b");
  EXPECT_EQ(out[4].message, "c");
}

TEST(DiagnosticEngineTest, ExactDuplicatesAreRemoved) {
  DiagnosticEngine diags;
  diags.report(DiagKind::TypeMismatch, at(0, 5, 9), "expected face, found address").hint = "first";
  diags.report(DiagKind::TypeMismatch, at(0, 5, 9), "expected face, found address").hint = "second";
  diags.report(DiagKind::TypeMismatch, at(0, 5, 9), "another message");
  diags.report(DiagKind::UnknownName, at(0, 5, 9), "expected face, found address");
  diags.report(DiagKind::TypeMismatch, at(0, 5, 10), "expected face, found address");
  auto out = diags.finished();
  ASSERT_EQ(out.size(), 4u);
  // Same range: ordered by kind, then message; the earliest report of a duplicate is kept.
  EXPECT_EQ(out[0].kind, DiagKind::UnknownName);
  EXPECT_EQ(out[1].message, "another message");
  EXPECT_EQ(out[2].message, "expected face, found address");
  EXPECT_EQ(out[2].hint, "first");
  EXPECT_EQ(out[3].range.end, 10u);
  EXPECT_EQ(diags.error_count(), 4u);
}

TEST(DiagnosticEngineTest, CountsErrorsAndWarnings) {
  DiagnosticEngine diags;
  EXPECT_FALSE(diags.has_errors());
  diags.report(DiagKind::UnreachableStatement, at(0, 1, 2), "w");
  EXPECT_FALSE(diags.has_errors());
  EXPECT_EQ(diags.warning_count(), 1u);
  diags.report(DiagKind::UnknownName, at(0, 3, 4), "e");
  EXPECT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.warning_count(), 1u);
}

TEST(DiagnosticEngineTest, WerrorPromotesWarnings) {
  DiagnosticEngine diags;
  diags.set_warnings_as_errors(true);
  diags.report(DiagKind::MissingDecision, at(0, 1, 2), "w");
  auto out = diags.finished();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].severity, Severity::Error);
  EXPECT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.warning_count(), 0u);
  EXPECT_TRUE(diags.has_errors());
  diags.set_warnings_as_errors(false);  // applied when finishing, not when reporting
  EXPECT_FALSE(diags.has_errors());
}

TEST(DiagnosticEngineTest, DisableDropsWarningsButNeverErrors) {
  DiagnosticEngine diags;
  diags.disable(DiagKind::MissingIdentity);
  diags.disable(DiagKind::UnknownName);
  diags.report(DiagKind::MissingIdentity, at(0, 0, 0), "silenced");
  diags.report(DiagKind::UnreachableStatement, at(0, 1, 2), "kept warning");
  diags.report(DiagKind::UnknownName, at(0, 3, 4), "kept error");
  auto out = diags.finished();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].message, "kept warning");
  EXPECT_EQ(out[1].message, "kept error");
  EXPECT_EQ(diags.warning_count(), 1u);
  EXPECT_EQ(diags.error_count(), 1u);
}

TEST(DiagnosticEngineTest, DisabledWarningIsNotPromotedByWerror) {
  DiagnosticEngine diags;
  diags.set_warnings_as_errors(true);
  diags.disable(DiagKind::MediaRelaySameFace);
  diags.report(DiagKind::MediaRelaySameFace, at(0, 1, 2), "silenced");
  EXPECT_TRUE(diags.finished().empty());
  EXPECT_FALSE(diags.has_errors());
}

// ---- rendering ---------------------------------------------------------------------

// A two-line policy with diagnostics at known places, rendered in any format.
class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = sources_.add_buffer("p.sbc", "let a = 1\nlet bb = \"oops\" // x\n");
  }
  // The range of the first occurrence of `needle`.
  SourceRange find(std::string_view needle) const {
    auto pos = static_cast<uint32_t>(sources_.text(file_).find(needle));
    return {file_, pos, pos + static_cast<uint32_t>(needle.size())};
  }
  std::string render(DiagFormat format, bool color = false) const {
    std::ostringstream out;
    render_diagnostics(out, sources_, diags_.finished(), RenderOptions{format, color});
    return out.str();
  }
  Diagnostic& mismatch() {
    auto& d = diags_.report(DiagKind::TypeMismatch, find("\"oops\""), "expected address, found string");
    d.labels.push_back({find("a"), "first defined here"});
    d.notes.push_back("a \"quoted\" note");
    d.hint = "write an IP address";
    return d;
  }

  SourceManager sources_;
  DiagnosticEngine diags_;
  FileId file_ = 0;
};

TEST_F(RenderTest, TextHasLocationCaretLabelsNotesAndHint) {
  mismatch();
  EXPECT_EQ(render(DiagFormat::Text),
            "p.sbc:2:10: error: expected address, found string [E0004]\n"
            " 2 | let bb = \"oops\" // x\n"
            "   |          ^~~~~~\n"
            "p.sbc:1:5: note: first defined here\n"
            " 1 | let a = 1\n"
            "   |     ^\n"
            "  = note: a \"quoted\" note\n"
            "  = hint: write an IP address\n");
}

TEST_F(RenderTest, TextWithoutExtrasIsThreeLines) {
  diags_.report(DiagKind::UnreachableStatement, find("let bb"), "statement is never executed");
  EXPECT_EQ(render(DiagFormat::Text),
            "p.sbc:2:1: warning: statement is never executed [E0011]\n"
            " 2 | let bb = \"oops\" // x\n"
            "   | ^~~~~~\n");
}

TEST_F(RenderTest, WholeFileDiagnosticHasNoSnippet) {
  diags_.report(DiagKind::MissingIdentity, SourceRange{file_, 0, 0}, "the policy has no `sbc` identity");
  std::string text = render(DiagFormat::Text);
  EXPECT_NE(text.find("p.sbc:1:1: warning:"), std::string::npos) << text;
  EXPECT_EQ(text.find(" | "), std::string::npos) << text;
}

TEST_F(RenderTest, RangeOverManyLinesIsMarkedAtItsStart) {
  SourceRange both{file_, find("1").begin, find("bb").end};
  diags_.report(DiagKind::SyntaxError, both, "spans two lines");
  std::string text = render(DiagFormat::Text);
  EXPECT_NE(text.find(" 1 | let a = 1\n   |         ^\n"), std::string::npos) << text;
}

TEST_F(RenderTest, ColorOnlyWhenAsked) {
  mismatch();
  EXPECT_EQ(render(DiagFormat::Text, false).find('\033'), std::string::npos);
  std::string colored = render(DiagFormat::Text, true);
  EXPECT_NE(colored.find("\033[1;31merror\033[0m"), std::string::npos) << colored;
  EXPECT_NE(colored.find("\033[1;36mnote\033[0m"), std::string::npos) << colored;
}

TEST_F(RenderTest, JsonCarriesEveryField) {
  mismatch().fixit = FixIt{find("\"oops\""), "127.0.0.1"};
  diags_.report(DiagKind::MissingDecision, find("a"), "handler can end without a decision");
  std::string json = render(DiagFormat::Json);
  EXPECT_TRUE(JsonChecker(json).valid()) << json;
  EXPECT_EQ(json.front(), '[');
  for (std::string_view field : {
           R"("severity":"error")",
           R"("code":"E0004")",
           R"("kind":"type-mismatch")",
           R"("file":"p.sbc","line":2,"column":10,"end_line":2,"end_column":16)",
           R"("message":"expected address, found string")",
           R"("labels":[{"file":"p.sbc","line":1,"column":5,"end_line":1,"end_column":6,"message":"first defined here"}])",
           R"("notes":["a \"quoted\" note"])",
           R"("hint":"write an IP address")",
           R"("fixit":{"file":"p.sbc","line":2,"column":10,"end_line":2,"end_column":16,"replacement":"127.0.0.1"})",
           R"("severity":"warning","code":"E0012","kind":"missing-decision")",
       }) {
    EXPECT_NE(json.find(field), std::string::npos) << "missing " << field << " in\n" << json;
  }
  // Sorted: the warning on line 1 comes before the error on line 2.
  EXPECT_LT(json.find("E0012"), json.find("E0004"));
}

TEST_F(RenderTest, JsonOfNoDiagnosticsIsAnEmptyArray) {
  std::string json = render(DiagFormat::Json);
  EXPECT_TRUE(JsonChecker(json).valid()) << json;
  EXPECT_EQ(json, "[\n]\n");
}

TEST_F(RenderTest, SarifHasVersionRulesResultsAndRegions) {
  mismatch();
  diags_.report(DiagKind::MissingIdentity, SourceRange{file_, 0, 0}, "the policy has no `sbc` identity");
  std::string sarif = render(DiagFormat::Sarif);
  EXPECT_TRUE(JsonChecker(sarif).valid()) << sarif;
  EXPECT_EQ(sarif.rfind(R"({"version":"2.1.0")", 0), 0u) << sarif;
  for (const auto& kind : all_diag_kinds()) {
    EXPECT_NE(sarif.find(R"({"id":")" + std::string(kind.code) + R"(","name":")" + std::string(kind.flag) + "\""),
              std::string::npos)
        << "no rule for " << kind.code;
  }
  for (std::string_view field : {
           R"("ruleId":"E0004","ruleIndex":3,"level":"error")",
           R"j("message":{"text":"expected address, found string (hint: write an IP address)"})j",
           R"("artifactLocation":{"uri":"p.sbc"},"region":{"startLine":2,"startColumn":10,"endLine":2,"endColumn":16})",
           R"("relatedLocations":[)",
           R"("message":{"text":"first defined here"})",
           R"("ruleId":"E0016","ruleIndex":15,"level":"warning")",
           // An empty range still has a positive width.
           R"("region":{"startLine":1,"startColumn":1,"endLine":1,"endColumn":2})",
       }) {
    EXPECT_NE(sarif.find(field), std::string::npos) << "missing " << field << " in\n" << sarif;
  }
}

TEST_F(RenderTest, SarifLevelFollowsWerror) {
  diags_.set_warnings_as_errors(true);
  diags_.report(DiagKind::UnreachableStatement, find("let bb"), "statement is never executed");
  std::string sarif = render(DiagFormat::Sarif);
  EXPECT_NE(sarif.find(R"("ruleId":"E0011","ruleIndex":10,"level":"error")"), std::string::npos) << sarif;
}

}  // namespace
}  // namespace sbcc
