// See port_pool.h.
#include "media/port_pool.h"

namespace sbc::media {

PortPool::PortPool(uint16_t low, uint16_t high) : low_(low), high_(high) {
  for (uint32_t port = low + (low & 1u); port + 1 <= high; port += 2) free_.push_back(static_cast<uint16_t>(port));
  capacity_ = free_.size();
  taken_.assign(capacity_, false);
}

std::optional<uint16_t> PortPool::take() {
  if (free_.empty()) return std::nullopt;
  uint16_t port = free_.front();
  free_.pop_front();
  taken_[index(port)] = true;
  return port;
}

void PortPool::give_back(uint16_t rtp_port) {
  if (free_.size() == capacity_ || rtp_port < first() || rtp_port + 1 > high_ || (rtp_port & 1u)) return;
  if (!taken_[index(rtp_port)]) return;
  taken_[index(rtp_port)] = false;
  free_.push_back(rtp_port);
}

}  // namespace sbc::media
