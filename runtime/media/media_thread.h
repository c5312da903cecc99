// One thread of the media relay: owns the streams it was given and a relay loop
// (relay_loop.h) that moves their packets between the two legs, with SRTP applied in
// place and no allocation per packet. The control side (the SIP thread) never touches a
// Stream: it posts commands, which the thread applies between rounds, and hears back
// through callbacks that run on this thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "media/relay_loop.h"

namespace sbc::media {

class MediaThread {
 public:
  using Finished = std::function<void(const Stream&)>;  // final counters, on this thread
  using Idle = std::function<void(StreamId)>;           // once per stream, on this thread

  // `idle` is called for a stream that relayed nothing for `idle_after` (zero: never).
  // `io` chooses the relay loop; Auto takes io_uring where the kernel has it.
  MediaThread(std::chrono::seconds idle_after, Idle idle, RelayIo io = RelayIo::Auto);
  ~MediaThread();  // stops the thread and closes every socket it still owns
  MediaThread(const MediaThread&) = delete;
  MediaThread& operator=(const MediaThread&) = delete;

  // The stream's four sockets become this thread's.
  void add(std::unique_ptr<Stream> stream);
  // What the peer of one leg said in its latest SDP; `relatch` forgets the latched
  // source (the peer announced a new address).
  void update(StreamId id, int leg, LegUpdate peer, bool relatch);
  // Closes the stream's sockets; `finished` gets its counters.
  void remove(StreamId id, Finished finished);

  const RelayTotals& totals() const { return totals_; }
  // The relay loop this thread runs: "io_uring" or "epoll".
  const std::string& io_name() const { return io_name_; }

 private:
  struct Command {
    enum class Kind { Add, Update, Remove } kind = Kind::Add;
    std::unique_ptr<Stream> stream;
    StreamId id = 0;
    int leg = 0;
    LegUpdate peer;
    bool relatch = false;
    Finished finished;
  };

  void post(Command command);
  void run(RelayIo io, std::promise<std::string>& started);
  void apply_commands();
  void apply(Command& command);
  void close_stream(Stream& stream);
  void free_released_streams();
  void report_idle_streams(std::chrono::steady_clock::time_point now);

  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::chrono::seconds idle_after_;
  Idle idle_;
  std::mutex mutex_;
  std::vector<Command> pending_;
  std::unordered_map<StreamId, std::unique_ptr<Stream>> streams_;
  // Removed streams the loop may still name (events of this round, receives the kernel
  // has not yet given up).
  std::vector<std::unique_ptr<Stream>> removed_;
  RelayTotals totals_;
  std::unique_ptr<RelayLoop> loop_;  // made, run and destroyed on the thread
  std::string io_name_;
  std::thread thread_;
};

}  // namespace sbc::media
