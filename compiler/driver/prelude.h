// The text of stdlib/prelude.sbc, embedded into sbcc at build time.
#pragma once

namespace sbcc {

extern const char* const prelude_text;

}  // namespace sbcc
