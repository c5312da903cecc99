// See relay_loop.h.
#include "media/relay_loop.h"

#include <mutex>
#include <stdexcept>

#include "media/epoll_relay_loop.h"
#include "media/uring_relay_loop.h"
#include "ops/log.h"

namespace sbc::media {

std::unique_ptr<RelayLoop> make_relay_loop(RelayIo wanted, int wake_fd, RelayTotals& totals) {
  if (wanted == RelayIo::Epoll) return std::make_unique<EpollRelayLoop>(wake_fd, totals);
  try {
    return std::make_unique<UringRelayLoop>(wake_fd, totals);
  } catch (const std::runtime_error& e) {
    if (wanted == RelayIo::Uring) throw;
    static std::once_flag said;  // one line, not one per media thread
    std::call_once(said, [&] { log::info("media: ", e.what(), "; relaying with epoll"); });
    return std::make_unique<EpollRelayLoop>(wake_fd, totals);
  }
}

}  // namespace sbc::media
