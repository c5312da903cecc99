// See media_thread.h.
#include "media/media_thread.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace sbc::media {

MediaThread::MediaThread(std::chrono::seconds idle_after, Idle idle, RelayIo io)
    : idle_after_(idle_after), idle_(std::move(idle)) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "media thread");
  std::promise<std::string> started;
  auto name = started.get_future();
  thread_ = std::thread([this, io, &started] { run(io, started); });
  try {
    io_name_ = name.get();  // rethrows when no loop could be made
  } catch (...) {
    thread_.join();  // it has returned already
    close(wake_fd_);
    throw;
  }
}

MediaThread::~MediaThread() {
  stopping_ = true;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  for (auto& command : pending_) {  // streams added after the last round still own sockets
    if (command.stream) close_stream(*command.stream);
  }
  for (auto& [id, stream] : streams_) close_stream(*stream);
  close(wake_fd_);
}

void MediaThread::add(std::unique_ptr<Stream> stream) {
  Command c;
  c.kind = Command::Kind::Add;
  c.stream = std::move(stream);
  post(std::move(c));
}

void MediaThread::update(StreamId id, int leg, LegUpdate peer, bool relatch) {
  Command c;
  c.kind = Command::Kind::Update;
  c.id = id;
  c.leg = leg;
  c.peer = std::move(peer);
  c.relatch = relatch;
  post(std::move(c));
}

void MediaThread::remove(StreamId id, Finished finished) {
  Command c;
  c.kind = Command::Kind::Remove;
  c.id = id;
  c.finished = std::move(finished);
  post(std::move(c));
}

void MediaThread::post(Command command) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(command));
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void MediaThread::run(RelayIo io, std::promise<std::string>& started) {
  try {
    loop_ = make_relay_loop(io, wake_fd_, totals_);
  } catch (...) {
    started.set_exception(std::current_exception());
    return;
  }
  started.set_value(std::string(loop_->name()));
  auto last_scan = std::chrono::steady_clock::now();
  const std::function<void()> on_wake = [this] { apply_commands(); };
  while (!stopping_) {
    loop_->run_once(std::chrono::milliseconds(1000), on_wake);
    free_released_streams();
    auto now = std::chrono::steady_clock::now();
    if (now - last_scan >= std::chrono::seconds(1)) {
      last_scan = now;
      report_idle_streams(now);
    }
  }
  loop_.reset();  // on this thread: an io_uring has a single issuer
  removed_.clear();
}

void MediaThread::apply_commands() {
  std::vector<Command> commands;
  {
    std::lock_guard lock(mutex_);
    commands.swap(pending_);
  }
  for (auto& command : commands) apply(command);
}

void MediaThread::apply(Command& c) {
  switch (c.kind) {
    case Command::Kind::Add: {
      Stream& stream = *c.stream;
      stream.last_packet = std::chrono::steady_clock::now();
      for (int leg = 0; leg < 2; ++leg) {
        for (int rtcp = 0; rtcp < 2; ++rtcp) stream.tags[leg][rtcp] = {&stream, static_cast<uint8_t>(leg), rtcp == 1};
      }
      StreamId id = stream.id;
      streams_[id] = std::move(c.stream);
      loop_->watch(stream);
      totals_.streams.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    case Command::Kind::Update: {
      auto it = streams_.find(c.id);
      if (it == streams_.end()) return;
      Leg& leg = it->second->legs[c.leg];
      if (!c.peer.replace_srtp) {
        c.peer.unprotect = std::move(leg.peer.unprotect);
        c.peer.protect = std::move(leg.peer.protect);
      }
      leg.peer = std::move(c.peer);
      if (c.relatch) unlatch(leg);
      break;
    }
    case Command::Kind::Remove: {
      auto it = streams_.find(c.id);
      if (it == streams_.end()) return;
      loop_->unwatch(*it->second);
      close_stream(*it->second);
      if (c.finished) c.finished(*it->second);
      removed_.push_back(std::move(it->second));
      streams_.erase(it);
      totals_.streams.fetch_sub(1, std::memory_order_relaxed);
      break;
    }
  }
}

// Sockets closed are set to -1, so a reused descriptor number is never read for a stream
// the loop still names.
void MediaThread::close_stream(Stream& stream) {
  for (Leg& leg : stream.legs) {
    if (leg.rtp_fd >= 0) close(leg.rtp_fd);
    if (leg.rtcp_fd >= 0) close(leg.rtcp_fd);
    leg.rtp_fd = leg.rtcp_fd = -1;
  }
}

void MediaThread::free_released_streams() {
  std::erase_if(removed_, [](const std::unique_ptr<Stream>& s) { return s->pending_receives == 0; });
}

void MediaThread::report_idle_streams(std::chrono::steady_clock::time_point now) {
  if (idle_after_.count() == 0 || !idle_) return;
  for (auto& [id, stream] : streams_) {
    if (now - stream->last_packet < idle_after_) continue;
    stream->last_packet = now;  // reported once per idle period, not every second
    idle_(id);
  }
}

}  // namespace sbc::media
