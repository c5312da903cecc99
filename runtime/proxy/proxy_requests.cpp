// Requests: parse errors, retransmissions, ACK and CANCEL, then routing: the compiled
// policy for initial requests, Route headers for requests inside a dialog.
#include "abi/route_request.h"
#include "ops/log.h"
#include "proxy/message_builder.h"
#include "proxy/proxy.h"
#include "proxy/route_set.h"
#include "proxy/topology.h"
#include "sip/via.h"
#include "transport/udp_socket.h"

namespace sbc::proxy {
namespace {

// A client is behind NAT when the address its top Via announces is not the one its
// packets come from (Kamailio's nat_uac_test): then its Contact cannot be reached as written.
bool behind_nat(const sip::Message& msg, const transport::Endpoint& source) {
  sip::Via via;
  if (!sip::parse_via(msg.top_via_value(), via)) return false;
  auto announced = transport::Endpoint::parse(via.host, via.port ? via.port : 5060);
  return !announced || !(*announced == source);
}

}  // namespace

std::vector<HeaderChange> header_changes(const std::vector<abi::HeaderEdit>& edits) {
  std::vector<HeaderChange> changes;
  for (const auto& edit : edits) {
    auto op = edit.op == SBC_HEADER_REMOVE ? HeaderChange::Op::Remove
              : edit.op == SBC_HEADER_SET  ? HeaderChange::Op::Set
                                           : HeaderChange::Op::Add;
    changes.push_back({op, edit.name, edit.value});
  }
  return changes;
}

namespace {

// RFC 3261 §16.3 step 4: an initial request already carrying a Via of this SBC has come
// back to it (a dispatcher or route pointing at the SBC itself, two SBCs routing to each
// other). Max-Forwards would end it only after 70 trips.
bool came_through_us(const sip::Message& msg, const LocalAddresses& local) {
  for (const auto& field : msg.headers()) {
    if (field.id != sip::HeaderId::Via) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (sip::next_header_value(rest, value)) {
      sip::Via via;
      if (sip::parse_via(value, via) && local.is_myself(via.host, via.port ? via.port : 5060)) return true;
    }
  }
  return false;
}

bool has_to_tag(const sip::Message& msg) {
  sip::NameAddr to;
  return sip::parse_name_addr(msg.to_value(), to) && !sip::header_param(to.params, "tag").empty();
}

// Requests that create a dialog, and so are record-routed.
bool creates_dialog(sip::Method m) {
  return m == sip::Method::Invite || m == sip::Method::Subscribe || m == sip::Method::Refer;
}

std::string_view top_branch(const sip::Message& msg) {
  sip::Via via;
  if (!sip::parse_via(msg.top_via_value(), via)) return {};
  return via.branch;
}

}  // namespace

Proxy::Proxy(const sbc_policy& policy, LocalAddresses& local, std::vector<dispatch::DispatcherSet>& dispatchers,
             data::TableStore& tables, TimerQueue& timers, transport::Sender& sender)
    : policy_(policy),
      local_(local),
      dispatchers_(dispatchers),
      tables_(tables),
      timers_(timers),
      sender_(sender),
      identity_(policy.identity),
      random_(std::random_device{}()) {}

Proxy::~Proxy() = default;

void Proxy::on_datagram(uint32_t listener_index, std::string_view data, const transport::Endpoint& source) {
  const Listener& in = local_.listeners()[listener_index];
  sip::Message msg;
  sip::ParseError error = msg.parse(data);
  if (error != sip::ParseError::None) {
    ++stats_.parse_errors;
    if (error == sip::ParseError::Empty) return;  // CRLF keep-alive
    log::at(log::Level::Warn, msg.call_id(), "malformed SIP from ", source.to_string(), " on ", in.name, ": ",
            sip::parse_error_reason(error));
    // Answer 400 only when the reply can reach the sender along its own Via.
    if (msg.is_request() && msg.method() != sip::Method::Ack && !msg.top_via_value().empty() &&
        !msg.call_id().empty() && !msg.from_value().empty() && !msg.to_value().empty() && msg.cseq_number() != 0) {
      reply_stateless(in, msg, source, 400, sip::parse_error_reason(error));
    }
    return;
  }
  if (msg.is_request()) {
    ++stats_.requests_received;
    if (in.transport != SBC_TRANSPORT_UDP) remember_alias(in, msg, source);
    handle_request(in, msg, source);
  } else {
    ++stats_.responses_received;
    handle_response(in, msg, source);
  }
}

// A client on a connection announces where it listens in its Via; later requests to
// that address must reuse this connection (it may be unreachable otherwise).
void Proxy::remember_alias(const Listener& in, const sip::Message& msg, const transport::Endpoint& source) {
  sip::Via via;
  if (!sip::parse_via(msg.top_via_value(), via)) return;
  auto sent_by = transport::Endpoint::parse(via.host, via.port ? via.port : (in.transport == SBC_TRANSPORT_TLS ? 5061 : 5060));
  if (sent_by) sender_.alias(in, source, *sent_by);
}

void Proxy::handle_request(const Listener& in, const sip::Message& msg, const transport::Endpoint& source) {
  if (msg.method() == sip::Method::Ack) return handle_ack(in, msg, source);
  if (msg.method() == sip::Method::Cancel) return handle_cancel(in, msg, source);

  std::string key = server_transaction_key(msg, msg.method());
  if (key.empty()) return reply_stateless(in, msg, source, 400, "Missing Via branch");
  if (auto it = servers_.find(key); it != servers_.end()) {
    ++stats_.retransmissions_absorbed;
    if (!it->second->last_response.empty()) send(in, it->second->last_response, it->second->source);
    return;
  }
  if (msg.max_forwards() == 0) return reply_stateless(in, msg, source, 483, "Too Many Hops");

  ServerTransaction& server = create_server(std::move(key), in, msg, source);
  if (msg.method() == sip::Method::Invite) reply(server, 100, "Trying", &msg);
  if (has_to_tag(msg)) {
    route_in_dialog(&server, in, msg);
  } else {
    route_initial(server, in, msg, source);
  }
}

// An ACK either ends a non-2xx INVITE transaction of ours (same branch) or is the
// end-to-end ACK of a 2xx, routed like any request inside the dialog.
void Proxy::handle_ack(const Listener& in, const sip::Message& msg, const transport::Endpoint&) {
  if (auto it = servers_.find(server_transaction_key(msg, sip::Method::Invite)); it != servers_.end()) {
    ServerTransaction& server = *it->second;
    if (server.state == ServerState::Completed) {
      server.state = ServerState::Confirmed;  // the ACK the non-2xx final response waited for
      timers_.cancel(server.timer_g);
      end_server_after(server, server.reliable ? milliseconds(0) : T4 /* I */);
    } else {
      ++stats_.retransmissions_absorbed;
    }
    return;
  }
  if (msg.max_forwards() == 0) return;  // an ACK cannot be answered 483: drop it (§16.3)
  route_in_dialog(nullptr, in, msg);
}

void Proxy::handle_cancel(const Listener& in, const sip::Message& msg, const transport::Endpoint& source) {
  auto it = servers_.find(server_transaction_key(msg, sip::Method::Invite));
  if (it == servers_.end()) return reply_stateless(in, msg, source, 481, {});
  reply_stateless(in, msg, source, 200, {});  // a retransmitted CANCEL is answered again, nothing more
  ServerTransaction& invite = *it->second;
  bool first_cancel = !invite.cancelled;
  invite.cancelled = true;
  ClientTransaction* client = invite.client;
  if (!first_cancel) return;
  log::at(log::Level::Info, msg.call_id(), "CANCEL from ", source.to_string());
  if (!client) {
    // Nothing forwarded: end the INVITE here.
    if (invite.state == ServerState::Trying || invite.state == ServerState::Proceeding) reply(invite, 487, {});
    return;
  }
  if (client->final_code != 0 || client->cancelled) return;  // already answered or cancelled downstream
  client->cancelled = true;
  if (client->state == ClientState::Calling) {
    client->cancel_pending = true;  // RFC 3261 §9.1: not before a provisional response
    return;
  }
  send_cancel(*client);
}

void Proxy::send_cancel(ClientTransaction& client) {
  client.cancel_pending = false;
  scratch_.parse(client.request);
  std::string cancel = build_cancel(scratch_);
  const Listener& out = local_.listeners()[client.listener];
  start_client(client.branch, sip::Method::Cancel, std::move(cancel), out, client.destination, nullptr);
}

void Proxy::route_initial(ServerTransaction& server, const Listener& in, const sip::Message& msg,
                          const transport::Endpoint& source) {
  if (refusing_calls_ && msg.method() == sip::Method::Invite) return reply(server, 503, "Service Unavailable");
  if (came_through_us(msg, local_)) {
    log::at(log::Level::Warn, msg.call_id(), msg.method_token(), " from ", source.to_string(),
            " already passed through this SBC: loop");
    return reply(server, 482, "Loop Detected");
  }
  RouteInspection routes = inspect_routes(msg, local_);
  server.dialog.resize(policy_.dialog_var_count);
  sbc_request request(msg, source, in, local_, server.dialog);
  request.services.tables = &tables_;
  abi::RouteDecision decision = abi::run_route(policy_.route_request, request);
  ++stats_.initial_requests_routed;
  server.header_edits = decision.headers;
  if (decision.media) {
    server.media = true;
    server.media_from = decision.media_from;
    server.media_to = decision.media_to;
    server.media_profile = decision.media_profile;
  }
  if (execute({server, in, msg, routes.own_entries}, decision)) return;
  sip::Uri ruri;
  if (msg.method() == sip::Method::Options && sip::parse_uri(msg.request_uri(), ruri) &&
      local_.is_myself(ruri.host, ruri.port)) {
    return reply(server, 200, {});  // keep-alive probes aimed at the SBC itself
  }
  log::at(log::Level::Warn, msg.call_id(), msg.method_token(), " from ", source.to_string(),
          ": the policy made no routing decision");
  reply(server, 500, "No routing decision");
}

bool Proxy::execute(const Routing& r, const abi::RouteDecision& decision) {
  using Kind = abi::RouteDecision::Kind;
  switch (decision.kind) {
    case Kind::ForwardDispatcher: {
      dispatch::DispatcherSet& set = dispatchers_[decision.dispatcher];
      dispatch::Destination* destination = set.select(r.msg.call_id());
      r.server.dispatcher = decision.dispatcher;
      if (!destination) {
        log::at(log::Level::Warn, r.msg.call_id(), "dispatcher set ", set.name(), " has no active destination");
        reply(r.server, 503, "No destination available");
        return true;
      }
      forward_to_destination(r, decision.dispatcher, static_cast<size_t>(destination - set.destinations().data()),
                             decision.face, decision.transport);
      return true;
    }
    case Kind::Retry:
      forward_to_destination(r, r.server.dispatcher, decision.retry_destination, decision.face, decision.transport);
      return true;
    case Kind::ForwardUri: {
      std::string_view uri = decision.uri_is_request_uri ? r.msg.request_uri() : std::string_view(decision.uri);
      forward_to_uri(r, uri, decision.face, decision.transport);
      return true;
    }
    case Kind::Reply:
      log::at(log::Level::Info, r.msg.call_id(), r.msg.method_token(), " answered by policy: ", decision.code, " ",
              decision.reason);
      reply(r.server, static_cast<int>(decision.code), decision.reason);
      return true;
    case Kind::None: break;
  }
  return false;
}

void Proxy::forward_to_destination(const Routing& r, uint32_t set_index, size_t index, uint32_t face,
                                   uint32_t transport) {
  dispatch::DispatcherSet& set = dispatchers_[set_index];
  const dispatch::Destination& destination = set.destinations()[index];
  r.server.tried.push_back(index);
  const Listener* out = listener_for(face == SBC_DEFAULT ? set.face() : face,
                                     transport == SBC_DEFAULT ? set.transport() : transport);
  if (!out) return reply(r.server, 503, "Outbound transport not available");
  std::string duid = destination.duid.empty() ? "" : " (" + destination.duid + ")";
  log::at(log::Level::Info, r.msg.call_id(), r.msg.method_token(), " ", r.msg.request_uri(), " from ",
          r.server.source.to_string(), " on ", r.in.name, " -> dispatcher ", set.name(), " ", destination.uri, duid,
          " via ", out->name);
  forward(&r.server, r.msg, {&r.in, out, destination.endpoint, r.own_routes, creates_dialog(r.msg.method()), {}});
}

void Proxy::forward_to_uri(const Routing& r, std::string_view uri_text, uint32_t face, uint32_t transport) {
  sip::Uri uri;
  if (!sip::parse_uri(uri_text, uri)) return reply(r.server, 416, "Unsupported URI Scheme");
  uint32_t wanted = transport == SBC_DEFAULT ? uri_transport(uri) : transport;
  const Listener* out = listener_for(face == SBC_DEFAULT ? r.in.face : face, wanted);
  if (!out) return reply(r.server, 503, "Outbound transport not available");
  auto destination =
      transport::Endpoint::parse(uri.host, uri.port ? uri.port : (wanted == SBC_TRANSPORT_TLS ? 5061 : 5060));
  if (!destination) return reply(r.server, 502, "Destination is not an IP address");
  log::at(log::Level::Info, r.msg.call_id(), r.msg.method_token(), " ", r.msg.request_uri(), " from ",
          r.server.source.to_string(), " on ", r.in.name, " -> ", destination->to_string(), " via ", out->name);
  forward(&r.server, r.msg, {&r.in, out, *destination, r.own_routes, creates_dialog(r.msg.method()), {}});
}

// In-dialog requests follow their Route set: our own entries are removed, the last of
// them names the face to leave from, and the next entry (or the R-URI) is the next hop.
void Proxy::route_in_dialog(ServerTransaction* server, const Listener& in, const sip::Message& msg) {
  ++stats_.in_dialog_requests_routed;
  if (server) attach_dialog(*server, msg);
  RouteInspection routes = inspect_routes(msg, local_);
  sip::Uri target;
  std::string decoded;  // an encoded Contact of ours in the R-URI: the real target (topology.h)
  if (routes.has_next) {
    target = routes.next.uri;
  } else if (!sip::parse_uri(msg.request_uri(), target)) {
    if (server) reply(*server, 416, "Unsupported URI Scheme");
    return;
  } else if (auto original = decode_contact_uri(target); original && local_.is_myself(target.host, target.port)) {
    decoded = std::move(*original);
    if (!sip::parse_uri(decoded, target)) {
      if (server) reply(*server, 404, "Not Found");
      return;
    }
  }
  uint32_t transport = uri_transport(target);
  const Listener* out = routes.outbound ? routes.outbound : &in;
  if (out->transport != transport || !out->active) out = listener_for(out->face, transport);

  auto destination = transport::Endpoint::parse(target.host, target.port ? target.port : 5060);
  if (!out || !destination) {
    log::at(log::Level::Warn, msg.call_id(), "in-dialog ", msg.method_token(), " has no usable next hop");
    if (server) reply(*server, out ? 502 : 503, out ? "Destination is not an IP address" : "Transport not available");
    return;
  }
  if (routes.own_entries == 0 && decoded.empty() && local_.is_myself(target.host, target.port)) {
    // Addressed to us without a Route of ours: nothing to relay to.
    if (server) reply(*server, 404, "Not Found");
    return;
  }
  log::at(msg.method() == sip::Method::Ack ? log::Level::Debug : log::Level::Info, msg.call_id(), "in-dialog ",
          msg.method_token(), " on ", in.name, " -> ", destination->to_string(), " via ", out->name);
  forward(server, msg, {&in, out, *destination, routes.own_entries, false, std::move(decoded)});
}

// An in-dialog request carries the dialog's variables to its reply and failure handlers.
void Proxy::attach_dialog(ServerTransaction& server, const sip::Message& msg) {
  sip::NameAddr from;
  sip::NameAddr to;
  if (!sip::parse_name_addr(msg.from_value(), from) || !sip::parse_name_addr(msg.to_value(), to)) return;
  std::string key =
      DialogTable::key(msg.call_id(), sip::header_param(from.params, "tag"), sip::header_param(to.params, "tag"));
  Dialog* dialog = dialogs_.find(key);
  if (!dialog) return;
  dialog->last_request = std::chrono::steady_clock::now();
  note_in_dialog_cseq(*dialog, msg);
  if (msg.method() == sip::Method::Bye) dialog->terminating = true;
  server.dialog = dialog->variables;
  server.dispatcher = dialog->dispatcher;
  server.dialog_key = std::move(key);
}

void Proxy::forward(ServerTransaction* server, const sip::Message& msg, const ForwardPlan& plan) {
  // Stateless forwards (the ACK of a 2xx) derive the branch from the incoming one, so
  // a retransmitted ACK leaves with the same branch.
  std::optional<std::string> body;  // the SDP as the media relay rewrote it
  if (!media_for_request(server, msg, body)) {
    if (server) reply(*server, 488, "Not Acceptable Here");
    return;
  }
  std::string branch = server ? new_branch() : "z9hG4bKsa" + std::to_string(std::hash<std::string_view>{}(top_branch(msg)));
  std::string via = "Via: SIP/2.0/" + std::string(plan.out->via_transport) + " " + plan.out->via_sent_by +
                    ";branch=" + branch + ";rport\r\n";
  ForwardEdits edits;
  edits.request_uri = plan.request_uri;
  edits.via_line = via;
  edits.routes_to_remove = plan.routes_to_remove;
  if (body) edits.body = *body;
  if (server) edits.header_changes = header_changes(server->header_edits);
  // Crossing faces: the far side sees the SBC, not the path behind it (topology.h).
  bool crossing = plan.in->face != plan.out->face;
  std::string nat_hostport;
  if (crossing) {
    edits.hide_vias = true;
    edits.contact_address = plan.out->contact_address;
    if (server && behind_nat(msg, server->source)) {
      nat_hostport = server->source.to_string();
      edits.nat_hostport = nat_hostport;
    }
  }
  if (server && crossing && !server->topology_hidden) {
    server->topology_hidden = true;
    server->hidden_vias = via_lines(msg);
  }
  if (plan.record_route) {
    auto rr = [](const Listener& l, bool r2) {
      std::string line = "Record-Route: <sip:" + l.advertised_host + ":" + std::to_string(l.advertised_port);
      if (l.transport == SBC_TRANSPORT_TCP) line += ";transport=tcp";
      if (l.transport == SBC_TRANSPORT_TLS) line += ";transport=tls";
      return line + (r2 ? ";r2=on;lr>\r\n" : ";lr>\r\n");
    };
    // Crossing faces (or transports) needs one entry per side, so each side's
    // in-dialog requests reach the SBC on the address that side can see.
    bool crossing = plan.in->face != plan.out->face || plan.in->transport != plan.out->transport;
    if (crossing) {
      edits.record_route_lines.push_back(rr(*plan.out, true));
      edits.record_route_lines.push_back(rr(*plan.in, true));
    } else {
      edits.record_route_lines.push_back(rr(*plan.in, false));
    }
  }
  std::string text = build_forwarded_request(msg, edits);
  if (!server) {
    send(*plan.out, text, plan.destination);
    return;
  }
  start_client(std::move(branch), msg.method(), std::move(text), *plan.out, plan.destination, server);
}

void Proxy::reply_stateless(const Listener& in, const sip::Message& msg, const transport::Endpoint& source, int code,
                            std::string_view reason) {
  ++stats_.replies_generated;
  if (code >= 100 && code < 700) ++stats_.replies_by_class[code / 100];
  std::string tag = new_tag();
  std::string host = source.host_text();
  std::string text = build_reply(msg, {code, reason, tag, identity_, host, source.port()});
  send(in, text, source);
}

void Proxy::reply(ServerTransaction& server, int code, std::string_view reason, const sip::Message* request) {
  ++stats_.replies_generated;
  if (!request) {
    scratch_.parse(server.request);
    request = &scratch_;
  }
  std::string host = server.source.host_text();
  std::string text = build_reply(*request, {code, reason, server.to_tag, identity_, host, server.source.port()});
  send_upstream(server, std::move(text), code);
}

}  // namespace sbc::proxy
