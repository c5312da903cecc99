// Walking and searching ';'-separated generic-param lists ("lr;transport=udp",
// "tag=abc;expires=60"), shared by URI, name-addr and Via parameter lookups.
#pragma once

#include <string_view>

namespace sbc::sip {

struct Param {
  std::string_view name;   // trimmed
  std::string_view value;  // trimmed; quoted values keep their quotes and escapes
  bool has_value = false;  // "lr" -> false, "lr=" -> true with empty value
};

// Pops the next parameter off `rest` (a leading ';' and empty items are skipped;
// a ';' inside a quoted-string does not split). Returns false when none is left.
bool next_param(std::string_view& rest, Param& out);

// True when `params` only holds generic-params: tokens, '=', ';', LWS, host
// characters (':' '[' ']' for IPv6 values) and terminated quoted-strings.
bool params_well_formed(std::string_view params);

// Case-insensitive lookup of `name`. Returns its value ("" when absent or
// valueless); `present`, if given, says whether the name occurred at all.
std::string_view find_param(std::string_view params, std::string_view name,
                            bool* present = nullptr);

}  // namespace sbc::sip
