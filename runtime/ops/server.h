// The running SBC: binds the faces' listeners, wires transport -> proxy -> policy,
// starts dispatcher probing, and runs the event loop until SIGTERM or SIGINT.
#pragma once

#include <string>

#include "media/relay_loop.h"
#include "sbc/abi.h"

namespace sbc::ops {

// Returns the process exit status.
struct ServerOptions {
  unsigned media_threads = 0;  // 0: one per CPU
  media::RelayIo media_io = media::RelayIo::Auto;
  unsigned drain_s = 0;  // on SIGTERM, how long calls still up may go on (0: BYE at once)
};

int run_server(const sbc_policy& policy, const ServerOptions& options = {});

// `sbc --check`: opens what start-up would (listeners, certificates, tables, RTP
// addresses, the HTTP endpoint and its token), closes it again, prints what is ready
// and what is not. Returns 0 when everything is.
int check_environment(const sbc_policy& policy);

}  // namespace sbc::ops
