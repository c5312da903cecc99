// A diagnostic: what went wrong in a policy, where, and how to fix it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "basic/source_manager.h"

namespace sbcc {

enum class DiagKind {
#define DIAG(name, code, severity, flag, explanation) name,
#include "basic/diagnostic_kinds.def"
#undef DIAG
};

enum class Severity { Note, Warning, Error };

struct DiagKindInfo {
  DiagKind kind;
  std::string_view code;
  Severity default_severity;
  std::string_view flag;
  std::string_view explanation;
};

const std::vector<DiagKindInfo>& all_diag_kinds();
const DiagKindInfo& info(DiagKind kind);
const DiagKindInfo* find_diag_kind(std::string_view code_or_flag);
std::string_view severity_name(Severity severity);

// A secondary source range with a short label ("first defined here").
struct DiagLabel {
  SourceRange range;
  std::string message;
};

// A suggested edit: replace `range` with `replacement`.
struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<DiagLabel> labels;
  std::vector<std::string> notes;
  std::string hint;
  std::optional<FixIt> fixit;
};

}  // namespace sbcc
