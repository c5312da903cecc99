// Collects diagnostics from every pass (never throws, never stops at the first),
// applies -Werror / -W no-<kind>, then hands a sorted, de-duplicated list to a renderer.
#pragma once

#include <set>
#include <vector>

#include "basic/diagnostic.h"

namespace sbcc {

class DiagnosticEngine {
 public:
  // Starts a diagnostic of `kind` at `range`; add labels/notes/hint to the result.
  Diagnostic& report(DiagKind kind, SourceRange range, std::string message);

  void set_warnings_as_errors(bool on) { warnings_as_errors_ = on; }
  void disable(DiagKind kind) { disabled_.insert(kind); }

  bool has_errors() const;
  size_t error_count() const;
  size_t warning_count() const;
  // Sorted by file and position, duplicates removed, suppressed kinds dropped.
  std::vector<Diagnostic> finished() const;

 private:
  Severity effective_severity(const Diagnostic& d) const;

  std::vector<Diagnostic> diagnostics_;
  std::set<DiagKind> disabled_;
  bool warnings_as_errors_ = false;
};

}  // namespace sbcc
