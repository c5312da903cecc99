// One thread of the media relay: an epoll loop over the sockets of the streams it owns,
// moving packets between the two legs of each stream in batches (recvmmsg/sendmmsg),
// with SRTP applied in place and no allocation per packet. The control side (the SIP
// thread) never touches a Stream: it posts commands, which the thread applies between
// batches, and hears back through callbacks that run on this thread.
#pragma once

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "media/relay_stream.h"

namespace sbc::media {

// Totals of one thread, read by the metrics endpoint from any thread.
struct RelayTotals {
  std::atomic<uint64_t> packets{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> srtp_errors{0};
  std::atomic<uint64_t> streams{0};
};

class MediaThread {
 public:
  using Finished = std::function<void(const Stream&)>;  // final counters, on this thread
  using Idle = std::function<void(StreamId)>;           // once per stream, on this thread

  // `idle` is called for a stream that relayed nothing for `idle_after` (zero: never).
  MediaThread(std::chrono::seconds idle_after, Idle idle);
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
  static constexpr int kBatch = 32;
  static constexpr size_t kBufferSize = 2048;

  void post(Command command);
  void run();
  void apply_commands();
  void apply(Command& command);
  void watch(Stream& stream);
  static void unlatch(Leg& leg);
  void close_stream(Stream& stream);
  void relay_from(const SocketTag& tag);
  int receive_batch(int fd, bool with_sources);
  void report_idle_streams(std::chrono::steady_clock::time_point now);

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::chrono::seconds idle_after_;
  Idle idle_;
  std::mutex mutex_;
  std::vector<Command> pending_;
  std::unordered_map<StreamId, std::unique_ptr<Stream>> streams_;
  std::vector<std::unique_ptr<Stream>> removed_;  // until the events of this round are done
  RelayTotals totals_;
  std::chrono::steady_clock::time_point now_;

  // Batch state, reused for every receive: packets are transformed in place.
  std::vector<std::array<uint8_t, kBufferSize + SrtpSession::kMaxTrailer>> buffers_;
  std::array<mmsghdr, kBatch> received_{};
  std::array<iovec, kBatch> received_iov_{};
  std::array<sockaddr_storage, kBatch> sources_{};
  std::array<mmsghdr, kBatch> rtp_out_{};
  std::array<mmsghdr, kBatch> rtcp_out_{};
  std::array<iovec, kBatch> out_iov_{};

  std::thread thread_;
};

}  // namespace sbc::media
