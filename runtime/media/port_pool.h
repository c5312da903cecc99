// The RTP ports of one face: even ports from the policy's range, each with the odd port
// above it for RTCP (RFC 3550 §11). Freed pairs go to the back of the queue, so a port is
// not handed out again while late packets of its last call may still arrive.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace sbc::media {

class PortPool {
 public:
  PortPool() = default;
  // Every even port p with low <= p and p + 1 <= high.
  PortPool(uint16_t low, uint16_t high);

  // The even (RTP) port of a free pair, or nothing when the range is used up.
  std::optional<uint16_t> take();
  // A pair `take` returned (a port not out of this pool is ignored, so a double release
  // cannot hand one pair to two calls).
  void give_back(uint16_t rtp_port);
  size_t available() const { return free_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  uint16_t first() const { return static_cast<uint16_t>(low_ + (low_ & 1u)); }
  size_t index(uint16_t port) const { return (port - first()) / 2u; }

  uint16_t low_ = 0;
  uint16_t high_ = 0;
  size_t capacity_ = 0;
  std::deque<uint16_t> free_;
  std::vector<bool> taken_;  // per pair, from low_
};

}  // namespace sbc::media
