// The control side of the media relay, used by the SIP proxy on its thread: one media
// session per call (by Call-ID), one relayed stream per RTP m= line, ports from the
// faces' pools, and the SDP each side sees rewritten to name only its own face. Side 0 is
// the caller's (the face the policy's `media relay from` names), side 1 the callee's.
// Packets are moved by the media threads (media_thread.h); this class only tells them
// what each SDP changed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "media/media_thread.h"
#include "media/port_pool.h"
#include "media/sdes.h"
#include "media/sdp.h"
#include "sbc/abi.h"

namespace sbc::media {

struct MediaTotals {
  uint64_t sessions_started = 0;
  uint64_t sessions_ended = 0;
  uint64_t sessions_timed_out = 0;
  uint64_t streams_open = 0;
  uint64_t packets_relayed = 0;
  uint64_t bytes_relayed = 0;
  uint64_t packets_dropped = 0;
  uint64_t srtp_errors = 0;
  uint64_t ports_exhausted = 0;
};

class MediaEngine {
 public:
  enum class Role { Offer, Answer };
  // `idle_timeout`: a stream that relays nothing that long ends its call (zero: never);
  // `on_timeout(call_id)` then runs through `post_to_control`, which must run its
  // argument on the SIP thread (the media threads never call into the proxy).
  struct Options {
    unsigned threads = 1;
    RelayIo io = RelayIo::Auto;
    std::chrono::seconds idle_timeout{0};
    std::function<void(std::function<void()>)> post_to_control;
    std::function<void(const std::string& call_id)> on_timeout;
  };

  MediaEngine(const sbc_policy& policy, Options options);
  ~MediaEngine();

  // A call whose media the policy relays from the caller's face to the callee's, with
  // the callee's leg as `profile` says (SBC_MEDIA_SAME: as the caller's). Idempotent (a
  // retried INVITE keeps its session).
  void begin(std::string_view call_id, std::string_view caller_tag, uint32_t caller_face, uint32_t callee_face,
             uint32_t profile);
  // Who ends a call whose media timed out (the proxy, with a BYE to both parties).
  void set_on_timeout(std::function<void(const std::string& call_id)> on_timeout) {
    options_.on_timeout = std::move(on_timeout);
  }
  bool has(std::string_view call_id) const { return sessions_.count(std::string(call_id)) != 0; }
  // The From tag of the request that began the call, to tell which side a message is from.
  const std::string* caller_tag(std::string_view call_id) const;

  struct Rewritten {
    bool ok = false;
    std::string body;   // the SDP the other side gets
    std::string error;  // why not (the request is then refused with 488)
  };
  // An SDP of the call from the caller's side (`from_caller`) or the callee's.
  Rewritten rewrite(std::string_view call_id, bool from_caller, Role role, std::string_view body);
  // Releases the call's streams and ports (BYE, CANCEL, failure, timeout); `reason` is logged.
  void end(std::string_view call_id, std::string_view reason);

  size_t session_count() const { return sessions_.size(); }
  MediaTotals totals() const;
  // How the media threads move packets: "io_uring" or "epoll".
  const std::string& io_name() const { return threads_.front()->io_name(); }

 private:
  struct LegState {
    bool secure = false;
    bool secure_decided = false;
    transport::Endpoint rtp;
    transport::Endpoint rtcp;
    bool rtcp_mux = false;
    bool known = false;
    std::string peer_tag;            // the crypto attribute of the peer the relay took
    std::optional<SrtpKey> peer_key;  // what the peer encrypts with
    std::optional<SrtpKey> our_key;   // what the relay encrypts to the peer with
    bool keys_sent = false;           // the media thread has sessions for these keys
    std::optional<SrtpKey> sent_peer_key;
    std::optional<SrtpKey> sent_our_key;
  };
  struct StreamState {
    StreamId id = 0;
    uint16_t ports[2] = {0, 0};
    LegState legs[2];
  };
  struct Session {
    std::string call_id;
    std::string caller_tag;
    uint32_t faces[2] = {0, 0};
    uint32_t profile = SBC_MEDIA_SAME;
    std::vector<StreamState> streams;
  };
  struct Face {
    bool has_rtp = false;
    sbc_ip bind{};
    std::string advertised;  // the address SDP names
    bool ipv6 = false;
    PortPool pool;
  };

  bool open_stream(Session& session, StreamState& stream, std::string& error);
  bool rewrite_media(Session& session, size_t index, int from, Role role, const sdp::Session& sdp,
                     const sdp::Media& m, sdp::MediaRewrite& out, std::string& error);
  void send_leg(StreamState& stream, int leg, bool relatch);
  MediaThread& thread_for(StreamId id) { return *threads_[id % threads_.size()]; }
  void on_idle(StreamId id);

  Options options_;
  std::vector<Face> faces_;
  std::vector<std::unique_ptr<MediaThread>> threads_;
  std::unordered_map<std::string, Session> sessions_;
  std::unordered_map<StreamId, std::string> call_of_stream_;
  StreamId next_stream_ = 1;
  MediaTotals totals_;
};

}  // namespace sbc::media
