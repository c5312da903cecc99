// Responses: matched to the client transaction by branch and method, then relayed
// upstream through the server transaction they answer (RFC 3261 §16.7).
#include "ops/log.h"
#include "proxy/message_builder.h"
#include <algorithm>

#include "proxy/proxy.h"
#include "proxy/route_set.h"
#include "proxy/topology.h"
#include "sip/name_addr.h"
#include "sip/via.h"

namespace sbc::proxy {

void Proxy::handle_response(const Listener&, const sip::Message& msg, const transport::Endpoint& source) {
  sip::Via via;
  if (!sip::parse_via(msg.top_via_value(), via)) return;
  auto it = clients_.find(transaction_key(via.branch, msg.cseq_method()));
  if (it == clients_.end()) {
    log::at(log::Level::Debug, msg.call_id(), "stray ", msg.status_code(), " from ", source.to_string(), " dropped");
    return;
  }
  ClientTransaction& client = *it->second;
  int code = msg.status_code();

  if (client.on_final) {  // a request of our own (probe): only the final status matters
    if (code >= 200 && client.final_code == 0) {
      client.final_code = code;
      auto callback = std::move(client.on_final);
      client_final_received(client, code);
      callback(code);
    }
    return;
  }
  if (client.method == sip::Method::Cancel) {  // the 200 to our CANCEL: nothing to relay
    if (code >= 200) client_final_received(client, code);
    return;
  }

  bool is_invite = client.method == sip::Method::Invite;
  if (code < 200) {
    if (client.state == ClientState::Calling || client.state == ClientState::Trying) {
      client.state = ClientState::Proceeding;
      if (is_invite) {
        timers_.cancel(client.timer_retransmit);  // A stops; the INVITE was received
        timers_.cancel(client.timer_timeout);     // B only applies while Calling
      }
    }
    if (is_invite && client.cancel_pending) return send_cancel(client);  // the CANCEL that waited
    if (is_invite && code > 100) arm_timer_c(client);  // each provisional restarts Timer C
    if (code > 100 && client.server) relay_upstream(*client.server, msg, source);
    return;
  }

  if (client.state == ClientState::Completed) {
    // A retransmitted final response: repeat our ACK for a non-2xx, relay nothing.
    if (is_invite) {
      scratch_.parse(client.request);
      send(local_.listeners()[client.listener], build_ack_for_failure(scratch_, msg), client.destination);
    }
    return;
  }
  if (client.state == ClientState::Accepted) {
    // RFC 6026: a retransmitted 2xx still goes upstream until the caller's ACK arrives.
    if (code < 300 && client.server) relay_upstream(*client.server, msg, source);
    return;
  }

  client.final_code = code;
  if (is_invite && code >= 300) {
    scratch_.parse(client.request);
    send(local_.listeners()[client.listener], build_ack_for_failure(scratch_, msg), client.destination);
  }
  log::at(log::Level::Info, msg.call_id(), code, " ", msg.reason_phrase(), " to ", msg.cseq_method_token(), " from ",
          source.to_string());
  ServerTransaction* server = client.server;
  timers_.cancel(client.timer_c);
  client_final_received(client, code);
  if (!server) return;
  if (code >= 300 && route_failure(*server, &msg, code)) return;
  if (is_invite && code < 300) track_dialog(*server, client, msg);
  if (client.method == sip::Method::Bye && !server->dialog_key.empty()) {
    dialogs_.end(server->dialog_key);
    ++stats_.dialogs_ended;
  }
  relay_upstream(*server, msg, source);
}

// A 2xx to an INVITE establishes a dialog (a re-INVITE's 2xx finds the one it is in).
void Proxy::track_dialog(ServerTransaction& server, const ClientTransaction& client, const sip::Message& response) {
  if (!server.dialog_key.empty()) return;
  sip::NameAddr from;
  sip::NameAddr to;
  if (!sip::parse_name_addr(response.from_value(), from) || !sip::parse_name_addr(response.to_value(), to)) return;
  std::string key = DialogTable::key(response.call_id(), sip::header_param(from.params, "tag"),
                                     sip::header_param(to.params, "tag"));
  if (dialogs_.find(key)) return;
  Dialog dialog;
  dialog.call_id = server.call_id;
  dialog.variables = server.dialog;
  dialog.dispatcher = server.dispatcher;
  dialog.established = dialog.last_request = std::chrono::steady_clock::now();
  describe_parties(dialog, server, client, response);
  dialogs_.establish(key, std::move(dialog));
  ++stats_.dialogs_established;
}

void Proxy::expire_dialogs(std::chrono::seconds lifetime) {
  size_t ended = dialogs_.expire(std::chrono::steady_clock::now(), lifetime,
                                 [this](const Dialog& d) { end_media(d.call_id, "dialog expired"); });
  if (ended) log::warn(ended, " dialogs ended after ", lifetime.count(), " s without a BYE");
  stats_.dialogs_expired += ended;
}

namespace {

// A callee is behind NAT when its Contact names a private address that is not where
// its response came from (Kamailio's nat_uac_test 1): in-dialog requests must then go
// to the address the response came from, which is what the encoded Contact will name.
bool contact_behind_nat(const sip::Message& response, const transport::Endpoint& source) {
  sip::NameAddr contact;
  if (!first_contact(response, contact)) return false;
  auto announced = transport::Endpoint::parse(contact.uri.host, contact.uri.port ? contact.uri.port : 5060);
  return announced && announced->is_private() && !(*announced == source);
}

size_t via_value_count(const sip::Message& m) {
  size_t n = 0;
  for (const auto& field : m.headers()) {
    if (field.id != sip::HeaderId::Via) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (sip::next_header_value(rest, value)) ++n;
  }
  return n;
}

}  // namespace

void Proxy::relay_upstream(ServerTransaction& server, const sip::Message& response,
                           const transport::Endpoint& source) {
  if (!server.topology_hidden && via_value_count(response) < 2) {
    // Only our own Via: nothing tells where it goes next (RFC 3261 §16.7 step 3).
    log::at(log::Level::Warn, response.call_id(), response.status_code(), " with no Via below ours dropped");
    return;
  }
  ResponseEdits edits;
  if (server.topology_hidden) {
    edits.restore_vias = true;
    edits.restored_vias = server.hidden_vias;
    edits.contact_address = local_.listeners()[server.listener].contact_address;
  }
  std::string nat_hostport;
  if (server.topology_hidden && contact_behind_nat(response, source)) {
    nat_hostport = source.to_string();
    edits.nat_hostport = nat_hostport;
  }
  std::optional<std::string> body;
  media_for_response(server, response, body);
  if (body) edits.body = *body;
  if (!policy_.route_reply) return send_upstream(server, build_forwarded_response(response, edits), response.status_code());
  // Reply handlers see the request, the response and the dialog variables.
  sip::Message request;
  request.parse(server.request);
  sbc_request context(request, server.source, local_.listeners()[server.listener], local_, server.dialog);
  context.services.tables = &tables_;
  context.response = &response;
  context.status = response.status_code();
  context.dispatcher = server.dispatcher;
  abi::RouteDecision decision = abi::run_route(policy_.route_reply, context);
  edits.header_changes = header_changes(decision.headers);
  send_upstream(server, build_forwarded_response(response, edits), response.status_code());
}

bool Proxy::route_failure(ServerTransaction& server, const sip::Message* response, int status) {
  if (!policy_.route_failure || server.cancelled) return false;
  sip::Message request;
  request.parse(server.request);
  const Listener& in = local_.listeners()[server.listener];
  sbc_request context(request, server.source, in, local_, server.dialog);
  context.services.tables = &tables_;
  context.response = response;
  context.status = status;
  context.dispatcher = server.dispatcher;
  context.services.retry_next = [this, &server](abi::RouteDecision& decision) {
    if (server.dispatcher == SBC_DEFAULT) return false;
    auto& destinations = dispatchers_[server.dispatcher].destinations();
    for (size_t i = 0; i < destinations.size(); ++i) {
      bool tried = std::find(server.tried.begin(), server.tried.end(), i) != server.tried.end();
      if (tried || !destinations[i].active) continue;
      decision.kind = abi::RouteDecision::Kind::Retry;
      decision.retry_destination = i;
      return true;
    }
    return false;
  };
  abi::RouteDecision decision = abi::run_route(policy_.route_failure, context);
  if (decision.kind == abi::RouteDecision::Kind::None) return false;
  log::at(log::Level::Info, server.call_id, "failure ", status, " handled by the policy");
  if (!decision.headers.empty()) server.header_edits = decision.headers;
  return execute({server, in, request, inspect_routes(request, local_).own_entries}, decision);
}

void Proxy::send_upstream(ServerTransaction& server, std::string text, int code) {
  if (server.state == ServerState::Completed || server.state == ServerState::Confirmed ||
      server.state == ServerState::Terminated) {
    return;  // a final response went up already
  }
  if (server.state == ServerState::Accepted && code >= 300) return;
  if (code >= 100 && code < 700) ++stats_.replies_by_class[code / 100];
  send(local_.listeners()[server.listener], text, server.source);
  server.last_response = std::move(text);
  if (code < 200) {
    server.state = ServerState::Proceeding;
  } else if (server.state != ServerState::Accepted) {
    server_final_sent(server, code);
  }
}

}  // namespace sbc::proxy
