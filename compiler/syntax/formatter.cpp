// The policy formatter behind `sbcc fmt` (see formatter.h). It lexes the policy with the
// generated SbcLexer, keeps every token and comment in order, and decides only the
// whitespace between them. Punctuation is recognised by its text, so tokens a newer
// grammar adds fall back to the defaults below instead of breaking the formatter.
//
// Canonical form
//  Lines
//   - A line break between two tokens in the source stays a line break, and tokens on one
//     line stay on one line. Runs of blank lines become one blank line; no blank line at
//     the start of the file, right after a line whose code ends in `{`, or right before a
//     line starting with `}`. No trailing whitespace; the file ends with exactly one
//     newline (a policy without tokens becomes empty).
//  Indentation
//   - 4 spaces per open `{`; a line starting with `}` is indented like the line of its `{`.
//   - A continuation line gets 4 more: inside an open `(` or `[`; after a line ending in
//     `=` `==` `!=` `?` `:` `=>` `.` `..` `and` `or` `not`, or in `,` outside any `{ }`;
//     or when it starts with `?` `:` `==` `!=` `=>` `.` `..` `and` `or`.
//   - A comment on a line of its own is indented like the code line after it (before a
//     `}`: like the lines of the block it closes).
//  Spaces inside a line: exactly one between tokens, except
//   - none before `,` `)` `]`, none after `(` `[`, none on either side of `.` and `..`;
//   - a `:` that pairs with a `?` (same parentheses, same block) is a ternary: spaced on
//     both sides. Any other `:` has no space before it, and none after it when an INT
//     follows (host:port, `external_ip:5060`), else one (`key: string`);
//   - `{` has one space before it, `{}` stays tight;
//   - `(` or `[` right after a name, keyword or literal keeps the author's choice (`f(x)`
//     stays, `from (a ? b : c)` stays), and so does any pair with a punctuation token
//     these rules do not know (grammar additions such as `1.2+`); two words, literals or
//     comments always get one space;
//   - when removing a space would make the lexer read different tokens (`sip :5060` is
//     not `sip:5060`), the space stays.
//  Comments
//   - Text kept verbatim: line comments only lose trailing blanks; block comments are
//     untouched, their inner lines included.
//   - A comment that ends a line of code stays on it, in the author's column (moved by as
//     much as the line's indentation moved, so aligned comments stay aligned) when that is
//     at least two columns past the code, else two spaces after the code.
// Every decision depends on the tokens alone, or, for the author's-choice cases, on
// whether whitespace separated two tokens, which the output preserves: formatting
// formatted text changes nothing.
#include "syntax/formatter.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "SbcLexer.h"
#include "antlr4-runtime.h"
#include "syntax/parser.h"

namespace sbcc {
namespace {

constexpr size_t kIndentWidth = 4;
constexpr size_t kCommentGap = 2;

// One token of the policy, with what the layout rules need to know about it.
struct Token {
  size_t type = 0;
  std::string text;      // line comments without trailing blanks
  bool comment = false;  // on a hidden channel
  bool literal = false;  // spelled out in the grammar: a keyword or punctuation
  bool punct = false;    // a literal that is not a word: `(`, `==`, `..`
  size_t line = 0;       // source line of the first character (1-based)
  size_t end_line = 0;   // source line of the last character
  size_t column = 0;     // code points before it on its line
  size_t start = 0;      // code-point offsets in the source
  size_t stop = 0;
};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string without_trailing_blanks(std::string text) {
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

Token make_token(const antlr4::Token& t, const antlr4::dfa::Vocabulary& vocabulary) {
  Token tok;
  tok.type = t.getType();
  tok.comment = t.getChannel() != antlr4::Token::DEFAULT_CHANNEL;
  tok.text = tok.comment ? without_trailing_blanks(t.getText()) : t.getText();
  std::string spelled = vocabulary.getLiteralName(tok.type);  // "'=='" for literals, "" for INT
  tok.literal = spelled.size() > 2;
  tok.punct = tok.literal && !is_word_char(spelled[1]);
  tok.line = t.getLine();
  tok.end_line = tok.line + static_cast<size_t>(std::count(tok.text.begin(), tok.text.end(), '\n'));
  tok.column = t.getCharPositionInLine();
  tok.start = t.getStartIndex();
  tok.stop = t.getStopIndex();
  return tok;
}

// Every token on every channel (whitespace is skipped by the grammar, never kept).
std::vector<Token> lex(std::string_view text) {
  antlr4::ANTLRInputStream input(text.data(), text.size());
  SbcLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<Token> tokens;
  for (const auto& t : lexer.getAllTokens()) tokens.push_back(make_token(*t, lexer.getVocabulary()));
  return tokens;
}

// True for a keyword or punctuation token spelled `text`.
bool is(const Token& t, std::string_view text) {
  return t.literal && !t.comment && t.text == text;
}

bool is_any(const Token& t, std::initializer_list<std::string_view> texts) {
  return std::any_of(texts.begin(), texts.end(), [&](std::string_view text) { return is(t, text); });
}

// Display width of the last line of `text`, in code points.
size_t width_of_last_line(std::string_view text) {
  size_t from = text.rfind('\n');
  text.remove_prefix(from == std::string_view::npos ? 0 : from + 1);
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

enum class Gap { Tight, Space, AsWritten };

// The layout of one token stream: lines, their indentation, the gaps inside them.
class Layout {
 public:
  explicit Layout(const std::vector<Token>& tokens) : tokens_(tokens), forced_(tokens.size()), ternary_(tokens.size()) {
    split_lines();
    mark_ternary_colons();
    indent_lines();
  }

  std::string render() const {
    std::string out;
    for (const Line& line : lines_) {
      if (line.blank_before) out += '\n';
      out += render_line(line);
      out += '\n';
    }
    return out;
  }

  // Keeps a space before token `i` from now on; false if it already did.
  bool force_space_before(size_t i) {
    if (i == 0 || i >= forced_.size() || forced_[i]) return false;
    forced_[i] = true;
    return true;
  }

 private:
  struct Line {
    size_t begin = 0;  // token range [begin, end)
    size_t end = 0;
    bool blank_before = false;
    size_t indent = 0;
  };

  void split_lines() {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (i > 0 && tokens_[i].line == tokens_[i - 1].end_line) {
        lines_.back().end = i + 1;
        continue;
      }
      bool blank = i > 0 && tokens_[i].line > tokens_[i - 1].end_line + 1;
      lines_.push_back({i, i + 1, blank, 0});
    }
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Token* first = first_code(lines_[l]);
      const Token* previous_last = l > 0 ? last_code(lines_[l - 1]) : nullptr;
      if ((first && is(*first, "}")) || (previous_last && is(*previous_last, "{"))) lines_[l].blank_before = false;
    }
  }

  const Token* first_code(const Line& line) const {
    for (size_t i = line.begin; i < line.end; ++i) {
      if (!tokens_[i].comment) return &tokens_[i];
    }
    return nullptr;
  }

  const Token* last_code(const Line& line) const {
    for (size_t i = line.end; i > line.begin; --i) {
      if (!tokens_[i - 1].comment) return &tokens_[i - 1];
    }
    return nullptr;
  }

  // A `:` is a ternary's when a `?` before it in the same parentheses and block is
  // still waiting for its `:`.
  void mark_ternary_colons() {
    std::vector<size_t> waiting{0};
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (is_any(t, {"(", "["})) {
        waiting.push_back(0);
      } else if (is_any(t, {")", "]"})) {
        if (waiting.size() > 1) waiting.pop_back();
      } else if (is_any(t, {"{", "}"})) {
        waiting.assign(1, 0);
      } else if (is(t, "?")) {
        ++waiting.back();
      } else if (is(t, ":") && waiting.back() > 0) {
        --waiting.back();
        ternary_[i] = true;
      }
    }
  }

  // Brace and parenthesis depth while walking the lines in order.
  struct Depth {
    size_t braces = 0;
    size_t parens = 0;
    const Token* last = nullptr;  // last code token so far
  };

  void indent_lines() {
    Depth depth;
    std::vector<Line*> comment_lines;  // waiting for the code line they belong to
    for (Line& line : lines_) {
      const Token* first = first_code(line);
      if (!first) {
        comment_lines.push_back(&line);
        continue;
      }
      auto [closing_braces, closing_parens] = leading_closers(line);
      size_t level = depth.braces - std::min(closing_braces, depth.braces);
      bool continued = depth.parens > closing_parens || ends_unfinished(depth) || starts_continued(*first);
      line.indent = (level + (continued ? 1 : 0)) * kIndentWidth;
      size_t comment_indent = closing_braces > 0 ? depth.braces * kIndentWidth : line.indent;
      for (Line* comment : comment_lines) comment->indent = comment_indent;
      comment_lines.clear();
      walk(line, depth);
    }
    for (Line* comment : comment_lines) comment->indent = depth.braces * kIndentWidth;
  }

  // How many `}` and `)`/`]` the line starts with.
  std::pair<size_t, size_t> leading_closers(const Line& line) const {
    size_t braces = 0, parens = 0;
    for (size_t i = line.begin; i < line.end; ++i) {
      const Token& t = tokens_[i];
      if (t.comment) continue;
      if (is(t, "}")) {
        ++braces;
      } else if (is_any(t, {")", "]"})) {
        ++parens;
      } else {
        break;
      }
    }
    return {braces, parens};
  }

  static bool ends_unfinished(const Depth& depth) {
    if (!depth.last) return false;
    if (is(*depth.last, ",")) return depth.braces == 0;
    return is_any(*depth.last, {"=", "==", "!=", "?", ":", "=>", ".", "..", "and", "or", "not"});
  }

  static bool starts_continued(const Token& first) {
    return is_any(first, {"?", ":", "==", "!=", "=>", ".", "..", "and", "or"});
  }

  void walk(const Line& line, Depth& depth) const {
    for (size_t i = line.begin; i < line.end; ++i) {
      const Token& t = tokens_[i];
      if (t.comment) continue;
      if (is(t, "{")) ++depth.braces;
      if (is(t, "}") && depth.braces > 0) --depth.braces;
      if (is_any(t, {"(", "["})) ++depth.parens;
      if (is_any(t, {")", "]"}) && depth.parens > 0) --depth.parens;
      depth.last = &t;
    }
  }

  std::string render_line(const Line& line) const {
    std::string out(line.indent, ' ');
    for (size_t i = line.begin; i < line.end; ++i) {
      if (i > line.begin) out += separator(line, i, out);
      out += tokens_[i].text;
    }
    return out;
  }

  std::string separator(const Line& line, size_t i, std::string_view so_far) const {
    bool trailing_comment = i + 1 == line.end && tokens_[i].comment && first_code(line) != nullptr;
    if (!trailing_comment) return space_before(i) ? " " : "";
    size_t width = width_of_last_line(so_far);
    size_t authors = tokens_[i].column + line.indent;  // the author's column, re-indented
    size_t source_indent = tokens_[line.begin].column;
    size_t column = std::max(width + kCommentGap, authors > source_indent ? authors - source_indent : 0);
    return std::string(column - width, ' ');
  }

  bool space_before(size_t i) const {
    if (forced_[i]) return true;
    switch (gap_before(i)) {
      case Gap::Tight:
        return false;
      case Gap::Space:
        return true;
      case Gap::AsWritten:
        return tokens_[i - 1].stop + 1 != tokens_[i].start;
    }
    return true;
  }

  // The spacing rules of the file comment, in order.
  Gap gap_before(size_t i) const {
    const Token& a = tokens_[i - 1];
    const Token& b = tokens_[i];
    if (a.comment || b.comment) return Gap::Space;
    if (is(b, ",")) return Gap::Tight;
    if (is(a, ",")) return Gap::Space;
    if (is_any(a, {"(", "["}) || is_any(b, {")", "]"})) return Gap::Tight;
    if (is_any(a, {".", ".."}) || is_any(b, {".", ".."})) return Gap::Tight;
    if (is(b, ":")) return ternary_[i] ? Gap::Space : Gap::Tight;
    if (is(a, ":")) return ternary_[i - 1] || b.type != static_cast<size_t>(SbcLexer::INT) ? Gap::Space : Gap::Tight;
    if (is(a, "{") && is(b, "}")) return Gap::Tight;
    if (is_any(a, {"{", "}"}) || is_any(b, {"{", "}"})) return Gap::Space;
    if (is_any(b, {"(", "["})) return a.punct ? Gap::Space : Gap::AsWritten;
    if (is_any(a, {"=", "==", "!=", "?", "=>"}) || is_any(b, {"=", "==", "!=", "?", "=>"})) return Gap::Space;
    if (a.punct || b.punct) return Gap::AsWritten;
    return Gap::Space;
  }

  const std::vector<Token>& tokens_;
  std::vector<Line> lines_;
  std::vector<bool> forced_;   // a space the lexer needs, whatever the rules say
  std::vector<bool> ternary_;  // per token: a `:` of `a ? b : c`
};

// Where `got` stops matching `want`: the token of `want` that needs a space before it so
// the lexer reads it on its own (nullopt when both streams are the same).
std::optional<size_t> first_merge(const std::vector<Token>& want, const std::vector<Token>& got) {
  size_t n = std::min(want.size(), got.size());
  for (size_t k = 0; k < n; ++k) {
    if (want[k].type == got[k].type && want[k].text == got[k].text) continue;
    bool swallowed_next = got[k].text.size() > want[k].text.size() && k + 1 < want.size();
    return swallowed_next ? k + 1 : k;
  }
  if (want.size() == got.size()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::string> format_policy(const SourceManager& sources, FileId file, DiagnosticEngine& diags) {
  if (!parse_policy(sources, file, diags)) return std::nullopt;
  std::string_view source = sources.text(file);
  std::vector<Token> tokens = lex(source);
  Layout layout(tokens);
  // Each round keeps one more space the lexer needs; spaces everywhere always lex back.
  for (;;) {
    std::string text = layout.render();
    std::optional<size_t> merge = first_merge(tokens, lex(text));
    if (!merge) return text;
    if (!layout.force_space_before(*merge)) return std::string(source);  // unreachable with this grammar
  }
}

}  // namespace sbcc
