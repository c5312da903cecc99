// See timer_queue.h.
#include "proxy/timer_queue.h"

namespace sbc::proxy {

TimerQueue::TimerId TimerQueue::schedule(std::chrono::milliseconds delay, std::function<void()> callback) {
  TimerId id = next_id_++;
  heap_.push({Clock::now() + delay, id});
  callbacks_.emplace(id, std::move(callback));
  if (heap_.top().deadline < armed_for_) arm();
  return id;
}

void TimerQueue::cancel(TimerId& id) {
  if (id != 0) callbacks_.erase(id);
  id = 0;
}

void TimerQueue::arm() {
  // Drop cancelled entries so the Asio timer waits for a live deadline.
  while (!heap_.empty() && !callbacks_.count(heap_.top().id)) heap_.pop();
  if (heap_.empty()) {
    armed_for_ = Clock::time_point::max();
    timer_.cancel();
    return;
  }
  armed_for_ = heap_.top().deadline;
  timer_.expires_at(armed_for_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or shut down
    armed_for_ = Clock::time_point::max();
    fire_due();
  });
}

void TimerQueue::fire_due() {
  auto now = Clock::now();
  while (!heap_.empty() && heap_.top().deadline <= now) {
    TimerId id = heap_.top().id;
    heap_.pop();
    auto it = callbacks_.find(id);
    if (it == callbacks_.end()) continue;
    auto callback = std::move(it->second);
    callbacks_.erase(it);
    callback();
  }
  arm();
}

}  // namespace sbc::proxy
