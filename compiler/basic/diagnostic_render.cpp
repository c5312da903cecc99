// Text output follows clang/rustc: `file:line:col: severity: message [code]`, the source
// line, a caret under the range, then labels, notes and the hint. JSON and SARIF carry
// the same facts for machines.
#include "basic/diagnostic_render.h"

#include <algorithm>
#include <string>

#include "basic/json_writer.h"

namespace sbcc {
namespace {

struct Position {
  LineColumn begin;
  LineColumn end;
};

Position position_of(const SourceManager& sources, SourceRange range) {
  return {sources.line_column({range.file, range.begin}), sources.line_column({range.file, range.end})};
}

const char* color_of(Severity s, bool color) {
  if (!color) return "";
  switch (s) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;35m";
    case Severity::Note: return "\033[1;36m";
  }
  return "";
}

void render_snippet(std::ostream& out, const SourceManager& sources, SourceRange range) {
  Position pos = position_of(sources, range);
  std::string_view line = sources.line_text(range.file, pos.begin.line);
  std::string number = std::to_string(pos.begin.line);
  std::string gutter(number.size(), ' ');
  out << " " << number << " | " << line << "\n";
  size_t start = pos.begin.column - 1;
  size_t width = pos.end.line == pos.begin.line && pos.end.column > pos.begin.column
                     ? pos.end.column - pos.begin.column
                     : 1;
  width = std::max<size_t>(1, std::min(width, line.size() > start ? line.size() - start : 1));
  std::string marker;
  for (size_t i = 0; i < start && i < line.size(); ++i) marker += line[i] == '\t' ? '\t' : ' ';
  marker += '^';
  marker += std::string(width - 1, '~');
  out << " " << gutter << " | " << marker << "\n";
}

void render_location(std::ostream& out, const SourceManager& sources, SourceRange range) {
  LineColumn lc = sources.line_column({range.file, range.begin});
  out << sources.path(range.file) << ":" << lc.line << ":" << lc.column << ": ";
}

void render_text(std::ostream& out, const SourceManager& sources, const Diagnostic& d, bool color) {
  const char* reset = color ? "\033[0m" : "";
  const char* bold = color ? "\033[1m" : "";
  render_location(out, sources, d.range);
  out << color_of(d.severity, color) << severity_name(d.severity) << reset << ": " << bold << d.message << reset
      << " [" << info(d.kind).code << "]\n";
  if (!d.range.whole_file()) render_snippet(out, sources, d.range);
  for (const auto& label : d.labels) {
    render_location(out, sources, label.range);
    out << color_of(Severity::Note, color) << "note" << reset << ": " << label.message << "\n";
    render_snippet(out, sources, label.range);
  }
  for (const auto& note : d.notes) out << "  = note: " << note << "\n";
  if (!d.hint.empty()) out << "  = hint: " << d.hint << "\n";
}

std::string json_range(const SourceManager& sources, SourceRange range) {
  Position pos = position_of(sources, range);
  return "\"file\":" + json_quote(sources.path(range.file)) + ",\"line\":" + std::to_string(pos.begin.line) +
         ",\"column\":" + std::to_string(pos.begin.column) + ",\"end_line\":" + std::to_string(pos.end.line) +
         ",\"end_column\":" + std::to_string(pos.end.column);
}

void render_json(std::ostream& out, const SourceManager& sources, const std::vector<Diagnostic>& diags) {
  out << "[";
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags[i];
    out << (i ? ",\n " : "\n ") << "{\"severity\":" << json_quote(severity_name(d.severity))
        << ",\"code\":" << json_quote(info(d.kind).code) << ",\"kind\":" << json_quote(info(d.kind).flag) << ","
        << json_range(sources, d.range) << ",\"message\":" << json_quote(d.message) << ",\"labels\":[";
    for (size_t j = 0; j < d.labels.size(); ++j) {
      out << (j ? "," : "") << "{" << json_range(sources, d.labels[j].range)
          << ",\"message\":" << json_quote(d.labels[j].message) << "}";
    }
    out << "],\"notes\":[";
    for (size_t j = 0; j < d.notes.size(); ++j) out << (j ? "," : "") << json_quote(d.notes[j]);
    out << "],\"hint\":" << json_quote(d.hint);
    if (d.fixit) {
      out << ",\"fixit\":{" << json_range(sources, d.fixit->range)
          << ",\"replacement\":" << json_quote(d.fixit->replacement) << "}";
    }
    out << "}";
  }
  out << "\n]\n";
}

std::string sarif_level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string sarif_location(const SourceManager& sources, SourceRange range, const std::string& message) {
  Position pos = position_of(sources, range);
  std::string text = "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":" + json_quote(sources.path(range.file)) +
                     "},\"region\":{\"startLine\":" + std::to_string(pos.begin.line) +
                     ",\"startColumn\":" + std::to_string(pos.begin.column) +
                     ",\"endLine\":" + std::to_string(pos.end.line) +
                     ",\"endColumn\":" + std::to_string(std::max(pos.end.column, pos.begin.column + 1)) + "}}";
  if (!message.empty()) text += ",\"message\":{\"text\":" + json_quote(message) + "}";
  return text + "}";
}

void render_sarif(std::ostream& out, const SourceManager& sources, const std::vector<Diagnostic>& diags) {
  out << "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"sbcc\",\"rules\":[";
  const auto& kinds = all_diag_kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    std::string_view first_line = kinds[i].explanation.substr(0, kinds[i].explanation.find('\n'));
    out << (i ? "," : "") << "\n{\"id\":" << json_quote(kinds[i].code) << ",\"name\":" << json_quote(kinds[i].flag)
        << ",\"shortDescription\":{\"text\":" << json_quote(first_line) << "}"
        << ",\"fullDescription\":{\"text\":" << json_quote(kinds[i].explanation) << "}"
        << ",\"defaultConfiguration\":{\"level\":\"" << sarif_level(kinds[i].default_severity) << "\"}}";
  }
  out << "]}},\"results\":[";
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags[i];
    std::string text = d.message + (d.hint.empty() ? "" : " (hint: " + d.hint + ")");
    out << (i ? "," : "") << "\n{\"ruleId\":" << json_quote(info(d.kind).code)
        << ",\"ruleIndex\":" << static_cast<size_t>(d.kind) << ",\"level\":\"" << sarif_level(d.severity)
        << "\",\"message\":{\"text\":" << json_quote(text) << "},\"locations\":["
        << sarif_location(sources, d.range, "") << "]";
    if (!d.labels.empty()) {
      out << ",\"relatedLocations\":[";
      for (size_t j = 0; j < d.labels.size(); ++j) {
        out << (j ? "," : "") << sarif_location(sources, d.labels[j].range, d.labels[j].message);
      }
      out << "]";
    }
    out << "}";
  }
  out << "]}]}\n";
}

}  // namespace

void render_diagnostics(std::ostream& out, const SourceManager& sources, const std::vector<Diagnostic>& diags,
                        const RenderOptions& options) {
  switch (options.format) {
    case DiagFormat::Text:
      for (const auto& d : diags) render_text(out, sources, d, options.color);
      break;
    case DiagFormat::Json: render_json(out, sources, diags); break;
    case DiagFormat::Sarif: render_sarif(out, sources, diags); break;
  }
}

}  // namespace sbcc
