// One-shot timers for transactions and probes, multiplexed on a single Asio timer:
// a min-heap of deadlines, with cancelled entries skipped lazily when they surface.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <queue>
#include <unordered_map>
#include <vector>

namespace sbc::proxy {

class TimerQueue {
 public:
  using Clock = std::chrono::steady_clock;
  using TimerId = uint64_t;  // 0 is never a valid id

  explicit TimerQueue(boost::asio::io_context& io) : timer_(io) {}

  TimerId schedule(std::chrono::milliseconds delay, std::function<void()> callback);
  void cancel(TimerId& id);  // resets id to 0; cancelling 0 or a fired timer is a no-op
  size_t pending() const { return callbacks_.size(); }

 private:
  struct Entry {
    Clock::time_point deadline;
    TimerId id;
    bool operator>(const Entry& other) const { return deadline > other.deadline; }
  };

  void arm();
  void fire_due();

  boost::asio::steady_timer timer_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<TimerId, std::function<void()>> callbacks_;
  Clock::time_point armed_for_ = Clock::time_point::max();
  TimerId next_id_ = 1;
};

}  // namespace sbc::proxy
