// See diagnostic_engine.h.
#include "basic/diagnostic_engine.h"

#include <algorithm>
#include <tuple>

namespace sbcc {

Diagnostic& DiagnosticEngine::report(DiagKind kind, SourceRange range, std::string message) {
  diagnostics_.push_back(Diagnostic{kind, info(kind).default_severity, range, std::move(message), {}, {}, {}, {}});
  return diagnostics_.back();
}

Severity DiagnosticEngine::effective_severity(const Diagnostic& d) const {
  if (d.severity == Severity::Warning && warnings_as_errors_) return Severity::Error;
  return d.severity;
}

std::vector<Diagnostic> DiagnosticEngine::finished() const {
  std::vector<Diagnostic> out;
  for (const auto& d : diagnostics_) {
    if (disabled_.count(d.kind) && d.severity != Severity::Error) continue;
    Diagnostic copy = d;
    copy.severity = effective_severity(d);
    out.push_back(std::move(copy));
  }
  auto key = [](const Diagnostic& d) { return std::tie(d.range.file, d.range.begin, d.range.end, d.kind, d.message); };
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

size_t DiagnosticEngine::error_count() const {
  size_t n = 0;
  for (const auto& d : finished()) n += d.severity == Severity::Error;
  return n;
}

size_t DiagnosticEngine::warning_count() const {
  size_t n = 0;
  for (const auto& d : finished()) n += d.severity == Severity::Warning;
  return n;
}

bool DiagnosticEngine::has_errors() const { return error_count() > 0; }

}  // namespace sbcc
