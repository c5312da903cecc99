// Server and client transactions (RFC 3261 §17) as the proxy keeps them: state names
// and timers as in the RFC, the bytes needed for retransmission, and the link between
// the server transaction a request arrived in and the client transaction it left in.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "abi/route_request.h"
#include "proxy/timer_queue.h"
#include "sip/method.h"
#include "transport/endpoint.h"

namespace sbc::proxy {

using std::chrono::milliseconds;

// RFC 3261 §17.1.1.1 timer values (UDP).
constexpr milliseconds T1{500};
constexpr milliseconds T2{4000};
constexpr milliseconds T4{5000};
constexpr milliseconds kTimerB = 64 * T1;  // also F, H, J, L
constexpr milliseconds kTimerD{32000};
constexpr milliseconds kTimerC{180000};  // RFC 3261 §16.6 step 11: more than 3 minutes

struct ClientTransaction;

enum class ServerState : uint8_t { Trying, Proceeding, Completed, Confirmed, Accepted, Terminated };

struct ServerTransaction {
  std::string key;
  sip::Method method = sip::Method::Other;
  std::string request;  // as received; replies and CANCEL processing read it
  std::string call_id;
  transport::Endpoint source;
  uint32_t listener = 0;
  ServerState state = ServerState::Trying;
  bool reliable = false;  // arrived over TCP/TLS
  std::string last_response;  // resent when the request is retransmitted
  std::string to_tag;         // for replies generated here
  TimerQueue::TimerId timer_g = 0;  // response retransmission (INVITE, unreliable)
  TimerQueue::TimerId timer_end = 0;  // H, I, J or L: when the transaction ends
  milliseconds g_interval = T1;
  ClientTransaction* client = nullptr;
  bool cancelled = false;
  // Routing state for reply and failure handlers and for retries.
  std::vector<abi::DialogValue> dialog;
  uint32_t dispatcher = SBC_DEFAULT;  // the set the request was forwarded to
  std::vector<size_t> tried;          // its destinations tried so far
  std::vector<abi::HeaderEdit> header_edits;  // the route's edits, applied again on a retry
  std::string dialog_key;                     // in-dialog requests: the dialog they belong to
  // Topology hiding: the request crossed faces, so responses get these Vias back and
  // their Contacts encoded behind the listener the request came in on.
  bool topology_hidden = false;
  std::string hidden_vias;
  // Media relay: the policy's `media relay` for this request (initial INVITE), whether
  // this transaction began the call's media session, and whether the request carried
  // an SDP (then an SDP in the response is the answer, else it is a late offer).
  bool media = false;
  uint32_t media_from = 0;
  uint32_t media_to = 0;
  uint32_t media_profile = 0;
  bool media_began = false;
  bool sdp_in_request = false;
};

// Accepted is RFC 6026's: after a 2xx to an INVITE, retransmitted 2xx are still relayed (Timer M).
enum class ClientState : uint8_t { Calling, Trying, Proceeding, Completed, Accepted, Terminated };

struct ClientTransaction {
  std::string key;
  std::string branch;
  sip::Method method = sip::Method::Other;
  std::string request;  // as sent; retransmissions, ACK and CANCEL are built from it
  std::string call_id;
  transport::Endpoint destination;
  uint32_t listener = 0;
  ClientState state = ClientState::Calling;
  bool reliable = false;  // TCP/TLS: the transport retransmits, the transaction does not
  TimerQueue::TimerId timer_retransmit = 0;  // A (INVITE) or E (non-INVITE)
  TimerQueue::TimerId timer_timeout = 0;     // B or F
  TimerQueue::TimerId timer_end = 0;         // D, K or M
  TimerQueue::TimerId timer_c = 0;           // proxy INVITE: no final response for 3 minutes
  milliseconds interval = T1;
  int final_code = 0;
  bool cancelled = false;
  bool cancel_pending = false;  // cancelled before any provisional: CANCEL waits for one (§9.1)
  ServerTransaction* server = nullptr;
  // For requests this SBC originates (probes): called once with the final status,
  // 408 on timeout.
  std::function<void(int status)> on_final;
};

// The transaction key: the top Via branch with the method that owns it (ACK and CANCEL
// reuse the INVITE's branch but CANCEL is a transaction of its own).
std::string transaction_key(std::string_view branch, sip::Method method);
// A server transaction's key also holds the top Via's sent-by (RFC 3261 §17.2.3): two
// clients that happen to pick the same branch are two transactions.
std::string server_transaction_key(const sip::Message& request, sip::Method method);

}  // namespace sbc::proxy
