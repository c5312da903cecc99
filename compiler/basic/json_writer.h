// Just enough JSON output for diagnostics and --emit dumps: escaping and quoting.
#pragma once

#include <string>
#include <string_view>

namespace sbcc {

std::string json_quote(std::string_view text);

}  // namespace sbcc
