// Renders finished diagnostics for people (clang/rustc style) or for CI (JSON, SARIF 2.1.0).
#pragma once

#include <ostream>
#include <vector>

#include "basic/diagnostic.h"

namespace sbcc {

enum class DiagFormat { Text, Json, Sarif };

struct RenderOptions {
  DiagFormat format = DiagFormat::Text;
  bool color = false;
};

void render_diagnostics(std::ostream& out, const SourceManager& sources, const std::vector<Diagnostic>& diags,
                        const RenderOptions& options);

}  // namespace sbcc
