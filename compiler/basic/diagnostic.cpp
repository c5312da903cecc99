// The registry of diagnostic kinds, generated from diagnostic_kinds.def.
#include "basic/diagnostic.h"

namespace sbcc {

const std::vector<DiagKindInfo>& all_diag_kinds() {
  static const std::vector<DiagKindInfo> kinds = {
#define DIAG(name, code, severity, flag, explanation) \
  {DiagKind::name, code, Severity::severity, flag, explanation},
#include "basic/diagnostic_kinds.def"
#undef DIAG
  };
  return kinds;
}

const DiagKindInfo& info(DiagKind kind) { return all_diag_kinds()[static_cast<size_t>(kind)]; }

const DiagKindInfo* find_diag_kind(std::string_view code_or_flag) {
  for (const auto& k : all_diag_kinds()) {
    if (k.code == code_or_flag || k.flag == code_or_flag) return &k;
  }
  return nullptr;
}

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

}  // namespace sbcc
