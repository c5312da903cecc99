// The stateful SIP proxy (RFC 3261 §16) at the heart of the SBC: server and client
// transactions, the compiled policy for initial requests, loose routing for requests
// inside a dialog, Record-Route across faces, and response relay.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "abi/route_request.h"
#include "data/table_store.h"
#include "dispatch/dispatcher.h"
#include "proxy/dialog.h"
#include "proxy/local_addresses.h"
#include "proxy/message_builder.h"
#include "proxy/timer_queue.h"
#include "proxy/transaction.h"
#include "sbc/abi.h"
#include "sip/message.h"
#include "transport/sender.h"

namespace sbc::media {
class MediaEngine;
}

namespace sbc::proxy {

struct ProxyStats {
  uint64_t requests_received = 0;
  uint64_t responses_received = 0;
  uint64_t parse_errors = 0;
  uint64_t retransmissions_absorbed = 0;
  uint64_t initial_requests_routed = 0;
  uint64_t in_dialog_requests_routed = 0;
  uint64_t replies_generated = 0;
  uint64_t transaction_timeouts = 0;
  uint64_t dialogs_established = 0;
  uint64_t dialogs_ended = 0;
  uint64_t dialogs_expired = 0;
  uint64_t dialogs_ended_by_sbc = 0;  // BYE sent to both parties (media timeout)
  uint64_t replies_by_class[7] = {};  // responses sent upstream, [code / 100]
};

// The policy's header edits as the message builder takes them (views into `edits`).
std::vector<HeaderChange> header_changes(const std::vector<abi::HeaderEdit>& edits);

class Proxy {
 public:
  Proxy(const sbc_policy& policy, LocalAddresses& local, std::vector<dispatch::DispatcherSet>& dispatchers,
        data::TableStore& tables, TimerQueue& timers, transport::Sender& sender);
  ~Proxy();

  // Entry point for every datagram a listener receives.
  void on_datagram(uint32_t listener, std::string_view data, const transport::Endpoint& source);

  // Sends a request this SBC originates (dispatcher probes) in its own client
  // transaction; `on_final` gets the final status code, 408 on timeout.
  void send_local_request(const Listener& from, const transport::Endpoint& to, std::string text, std::string branch,
                          sip::Method method, std::function<void(int)> on_final);
  std::string new_branch();
  std::string new_tag();
  const std::string& identity() const { return identity_; }
  const ProxyStats& stats() const { return stats_; }
  size_t transaction_count() const { return servers_.size() + clients_.size(); }
  size_t dialog_count() const { return dialogs_.size(); }
  const DialogTable& dialogs() const { return dialogs_; }
  // Ends dialogs older than `lifetime`; called periodically by the server.
  void expire_dialogs(std::chrono::seconds lifetime);
  // The media relay that SDP goes through (none: SDP crosses untouched).
  void attach_media(media::MediaEngine* media);
  // Ends a call's media session, if it has one (media timeout, shutdown).
  void end_media(const std::string& call_id, std::string_view reason);
  // Ends a call from the middle: a BYE to each party in its dialog (call_termination.cpp).
  void end_call(const std::string& call_id, std::string_view reason);
  void end_all_calls(std::string_view reason);
  // Shutting down: new calls (initial INVITEs) are answered 503.
  void refuse_new_calls() { refusing_calls_ = true; }
  bool refusing_new_calls() const { return refusing_calls_; }

 private:
  struct ForwardPlan {
    const Listener* in = nullptr;
    const Listener* out = nullptr;
    transport::Endpoint destination;
    size_t routes_to_remove = 0;
    bool record_route = false;
    std::string request_uri;  // non-empty: the target an encoded Contact stood for
  };

  // Where a routing decision is carried out: the request and the listener it came in on.
  struct Routing {
    ServerTransaction& server;
    const Listener& in;
    const sip::Message& msg;
    size_t own_routes;
  };

  // requests (proxy_requests.cpp)
  void remember_alias(const Listener& in, const sip::Message& msg, const transport::Endpoint& source);
  void handle_request(const Listener& in, const sip::Message& msg, const transport::Endpoint& source);
  void handle_ack(const Listener& in, const sip::Message& msg, const transport::Endpoint& source);
  void handle_cancel(const Listener& in, const sip::Message& msg, const transport::Endpoint& source);
  void send_cancel(ClientTransaction& client);
  void route_initial(ServerTransaction& server, const Listener& in, const sip::Message& msg,
                     const transport::Endpoint& source);
  void route_in_dialog(ServerTransaction* server, const Listener& in, const sip::Message& msg);
  void attach_dialog(ServerTransaction& server, const sip::Message& msg);
  // Carries out a decision of the request or failure route; false for "no decision".
  bool execute(const Routing& r, const abi::RouteDecision& decision);
  void forward_to_destination(const Routing& r, uint32_t set_index, size_t destination, uint32_t face,
                              uint32_t transport);
  void forward_to_uri(const Routing& r, std::string_view uri_text, uint32_t face, uint32_t transport);
  void forward(ServerTransaction* server, const sip::Message& msg, const ForwardPlan& plan);
  void reply_stateless(const Listener& in, const sip::Message& msg, const transport::Endpoint& source, int code,
                       std::string_view reason);
  // `request`: the transaction's request when the caller has it parsed already (saves a
  // re-parse of server.request on the INVITE path's 100 Trying).
  void reply(ServerTransaction& server, int code, std::string_view reason, const sip::Message* request = nullptr);

  // responses (proxy_responses.cpp)
  void handle_response(const Listener& in, const sip::Message& msg, const transport::Endpoint& source);
  void relay_upstream(ServerTransaction& server, const sip::Message& response, const transport::Endpoint& source);
  // Runs the policy's failure handlers for a final failure (`response` null on timeout);
  // true when they made a new attempt or replied, so the failure is not relayed.
  bool route_failure(ServerTransaction& server, const sip::Message* response, int status);
  void send_upstream(ServerTransaction& server, std::string text, int code);

  // media (proxy_media.cpp): false when the request's SDP is refused (answered 488)
  bool media_for_request(ServerTransaction* server, const sip::Message& msg, std::optional<std::string>& body);
  void media_for_response(const ServerTransaction& server, const sip::Message& response,
                          std::optional<std::string>& body);
  void media_final(ServerTransaction& server, int code);

  // transactions and timers (proxy_transactions.cpp)
  ServerTransaction& create_server(std::string key, const Listener& in, const sip::Message& msg,
                                   const transport::Endpoint& source);
  ClientTransaction& start_client(std::string branch, sip::Method method, std::string request,
                                  const Listener& out, const transport::Endpoint& destination,
                                  ServerTransaction* server);
  void server_final_sent(ServerTransaction& server, int code);
  void client_final_received(ClientTransaction& client, int code);
  void arm_retransmit(ClientTransaction& client);
  void arm_timer_c(ClientTransaction& client);
  void track_dialog(ServerTransaction& server, const ClientTransaction& client, const sip::Message& response);
  // call_termination.cpp
  void describe_parties(Dialog& dialog, const ServerTransaction& server, const ClientTransaction& client,
                        const sip::Message& ok);
  void note_in_dialog_cseq(Dialog& dialog, const sip::Message& request);
  void send_bye(DialogParty& party, const std::string& call_id, std::string_view reason);
  void on_client_timeout(const std::string& key);
  void arm_response_retransmit(ServerTransaction& server);
  void end_server_after(ServerTransaction& server, milliseconds delay);
  void end_client_after(ClientTransaction& client, milliseconds delay);
  void erase_server(const std::string& key);
  void erase_client(const std::string& key);
  bool send(const Listener& listener, std::string_view data, const transport::Endpoint& to);
  const Listener* listener_for(uint32_t face, uint32_t transport) const;

  const sbc_policy& policy_;
  LocalAddresses& local_;
  std::vector<dispatch::DispatcherSet>& dispatchers_;
  data::TableStore& tables_;
  TimerQueue& timers_;
  transport::Sender& sender_;
  std::string identity_;
  std::unordered_map<std::string, std::unique_ptr<ServerTransaction>> servers_;
  std::unordered_map<std::string, std::unique_ptr<ClientTransaction>> clients_;
  DialogTable dialogs_;
  media::MediaEngine* media_ = nullptr;
  bool refusing_calls_ = false;
  sip::Message scratch_;  // re-parses stored requests (ACK/CANCEL building) without allocating
  ProxyStats stats_;
  std::mt19937_64 random_;
  uint64_t branch_counter_ = 0;
};

}  // namespace sbc::proxy
