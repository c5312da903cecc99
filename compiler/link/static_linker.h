// Links the policy object with the runtime archive into one static executable by
// running the system C++ driver with -static (it knows the crt files and libstdc++).
#pragma once

#include <string>

namespace sbcc::link {

struct LinkRequest {
  std::string object_path;
  std::string output_path;
};

// Links into a temporary file next to output_path and renames it into place, so a
// failed link never leaves a partial executable. Returns false and sets `error` on failure.
bool link_static_executable(const LinkRequest& request, std::string& error);

// Where the runtime archive is looked for: $SBCC_RUNTIME_DIR, else ../lib next to sbcc.
std::string runtime_library_dir();

}  // namespace sbcc::link
