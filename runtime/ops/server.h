// The running SBC: binds the faces' listeners, wires transport -> proxy -> policy,
// starts dispatcher probing, and runs the event loop until SIGTERM or SIGINT.
#pragma once

#include <string>

#include "sbc/abi.h"

namespace sbc::ops {

// Returns the process exit status.
struct ServerOptions {
  unsigned media_threads = 0;  // 0: one per CPU
};

int run_server(const sbc_policy& policy, const ServerOptions& options = {});

}  // namespace sbc::ops
