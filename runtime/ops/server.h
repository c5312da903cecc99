// The running SBC: binds the faces' listeners, wires transport -> proxy -> policy,
// starts dispatcher probing, and runs the event loop until SIGTERM or SIGINT.
#pragma once

#include <string>

#include "sbc/abi.h"

namespace sbc::ops {

// Returns the process exit status.
int run_server(const sbc_policy& policy);

}  // namespace sbc::ops
