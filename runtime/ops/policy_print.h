// `sbc --print-policy`: what the executable was compiled from, read back from the
// compiled policy data (faces, listeners, dispatcher sets, tables, limits, endpoint), so
// an operator can see what a binary will do without the source at hand.
#pragma once

#include <cstdio>

#include "sbc/abi.h"

namespace sbc::ops {

void print_policy(const sbc_policy& policy, std::FILE* out);

}  // namespace sbc::ops
