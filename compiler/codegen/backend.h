// The back end as one call: checked policy in, LLVM IR, an object or a static sbc out.
// It lives in libsbcc_backend.so, which sbcc loads only when it builds, so `sbcc check`
// and `sbcc fmt` never pay for loading LLVM (most of their run time otherwise).
#pragma once

#include <string>

#include "sema/policy_model.h"

namespace sbcc::codegen {

struct ModuleInfo {
  std::string source_name;
  std::string source_hash;
  std::string compiler_version;
};

struct BackendRequest {
  const PolicyModel* model = nullptr;
  ModuleInfo info;
  std::string emit = "exe";  // exe, obj or llvm (IR on stdout)
  std::string output;        // the executable or object to write
  bool optimize = true;
};

// The entry point's type, looked up by name in the shared library.
using BackendEntry = int (*)(const BackendRequest& request, std::string& error);
inline constexpr const char* kBackendEntry = "sbcc_backend_run";

}  // namespace sbcc::codegen
