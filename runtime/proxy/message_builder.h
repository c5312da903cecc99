// Builds outgoing SIP messages by splicing the received text: the parts a proxy must
// change are written new, everything else is copied verbatim from the receive buffer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message.h"

namespace sbc::proxy {

// A header edit the policy asked for (`header add|set|remove`).
struct HeaderChange {
  enum class Op : uint8_t { Add, Set, Remove };
  Op op = Op::Add;
  std::string_view name;
  std::string_view value;
};

struct ForwardEdits {
  std::string_view request_uri;              // empty: keep the received Request-URI
  std::string_view via_line;                 // "Via: SIP/2.0/UDP …;branch=…\r\n", inserted on top
  size_t routes_to_remove = 0;               // leading Route values that named this SBC
  std::vector<std::string> record_route_lines;  // "Record-Route: <…>\r\n", top first
  std::vector<HeaderChange> header_changes;
  // Topology hiding (proxy/topology.h): drop the received Vias; encode Contact URIs
  // behind this SBC address ("host:port[;transport=…]") when not empty.
  bool hide_vias = false;
  std::string_view contact_address;
  // A client behind NAT: its Contact's host:port is replaced by where it sends from.
  std::string_view nat_hostport;
  // A body other than the received one (SDP rewritten by the media relay); Content-Length
  // follows it, and an empty one drops Content-Type.
  std::optional<std::string_view> body;
};

struct ResponseEdits {
  std::vector<HeaderChange> header_changes;
  // Topology hiding: the Via lines of the request this answers, put back in place of the
  // response's (which, below ours, were only the SBC's own view), and the SBC address
  // behind which Contact URIs are encoded.
  std::string_view restored_vias;
  bool restore_vias = false;
  std::string_view contact_address;
  std::string_view nat_hostport;  // see ForwardEdits
  std::optional<std::string_view> body;  // see ForwardEdits
};

// The request as this proxy forwards it (RFC 3261 §16.6): new top Via, Record-Route,
// own Route entries removed, Max-Forwards decremented (or set to 70), body unchanged.
std::string build_forwarded_request(const sip::Message& request, const ForwardEdits& edits);

// The response without its top Via value (RFC 3261 §16.7 step 3), with the policy's
// header edits and topology hiding.
std::string build_forwarded_response(const sip::Message& response, const ResponseEdits& edits = {});

// A response generated here. `source_host`/`source_port` fill received/rport in the top
// Via (RFC 3581); `to_tag` is added to To when it has none and code > 100.
struct ReplyParams {
  int code = 200;
  std::string_view reason;
  std::string_view to_tag;
  std::string_view server;  // Server header value; empty: none
  std::string_view source_host;
  uint16_t source_port = 0;
};
std::string build_reply(const sip::Message& request, const ReplyParams& params);

// The hop-by-hop ACK for a non-2xx final response to an INVITE this proxy forwarded
// (RFC 3261 §17.1.1.3): same R-URI, top Via and Route as the INVITE, To from the response.
std::string build_ack_for_failure(const sip::Message& forwarded_invite, const sip::Message& response);

// A CANCEL for an INVITE this proxy forwarded (RFC 3261 §9.1): same R-URI, top Via
// (so the same branch), Route, From, To, Call-ID and CSeq number.
std::string build_cancel(const sip::Message& forwarded_invite);

// An out-of-dialog request generated here (dispatcher OPTIONS probes).
struct LocalRequest {
  std::string_view method;
  std::string_view request_uri;
  std::string_view via_line;
  std::string_view from_uri;
  std::string_view from_tag;
  std::string_view call_id;
  uint32_t cseq = 1;
  std::string_view user_agent;
};
std::string build_local_request(const LocalRequest& request);

// Default reason phrases (RFC 3261 §21) for replies the policy gives without one.
std::string_view default_reason(int code);

}  // namespace sbc::proxy
