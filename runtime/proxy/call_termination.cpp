// Calls this SBC ends by itself: when a call's media stops (limits { media timeout }),
// both parties get a BYE in their own dialog, as Kamailio's dlg_end_dlg() does when
// rtpengine reports a timeout. What each BYE needs is recorded when the 2xx establishes
// the dialog (the parties' targets, route sets, tags and neighbours).
#include "ops/log.h"
#include "proxy/proxy.h"
#include "proxy/route_set.h"
#include "proxy/topology.h"
#include "sip/name_addr.h"

namespace sbc::proxy {
namespace {

// Every Record-Route value of a message, top first.
std::vector<std::string_view> record_route_values(const sip::Message& msg) {
  std::vector<std::string_view> values;
  for (const auto& field : msg.headers()) {
    if (field.id != sip::HeaderId::RecordRoute) continue;
    std::string_view rest = field.value;
    std::string_view value;
    while (sip::next_header_value(rest, value)) values.push_back(value);
  }
  return values;
}

bool names_us(std::string_view value, const LocalAddresses& local) {
  sip::NameAddr entry;
  return sip::parse_name_addr(value, entry) && local.is_myself(entry.uri.host, entry.uri.port);
}

std::string contact_uri(const sip::Message& msg) {
  sip::NameAddr contact;
  return first_contact(msg, contact) ? std::string(contact.uri_text) : std::string();
}

}  // namespace

// The caller as the INVITE showed it: toward the caller this SBC stands where the callee
// does (RFC 3261 §12.1.1: the route set is the Record-Route list as received).
void Proxy::describe_parties(Dialog& dialog, const ServerTransaction& server, const ClientTransaction& client,
                             const sip::Message& ok) {
  sip::Message invite;
  if (invite.parse(server.request) != sip::ParseError::None) return;
  DialogParty& caller = dialog.caller;
  caller.listener = server.listener;
  caller.neighbor = server.source;
  caller.target = contact_uri(invite);
  for (std::string_view value : record_route_values(invite)) caller.route_set.emplace_back(value);
  caller.party = std::string(ok.from_value());
  caller.other = std::string(ok.to_value());
  caller.cseq = 0;

  // The callee as its 2xx showed it: toward it this SBC stands where the caller does
  // (§12.1.2: the route set is the Record-Route list reversed). Only the entries between
  // this SBC and the callee matter: those above ours, nearest to us first.
  DialogParty& callee = dialog.callee;
  callee.listener = client.listener;
  callee.neighbor = client.destination;
  callee.target = contact_uri(ok);
  std::vector<std::string_view> entries = record_route_values(ok);
  size_t ours = 0;
  while (ours < entries.size() && !names_us(entries[ours], local_)) ++ours;
  if (ours == entries.size()) ours = 0;  // none of ours: nothing known of the callee's side
  for (size_t i = ours; i > 0; --i) callee.route_set.emplace_back(entries[i - 1]);
  callee.party = std::string(ok.to_value());
  callee.other = std::string(ok.from_value());
  callee.cseq = invite.cseq_number();
}

// A request inside the dialog raises the CSeq its receiver has seen from that side.
void Proxy::note_in_dialog_cseq(Dialog& dialog, const sip::Message& request) {
  bool from_caller = sip::tag_of(request.from_value()) == sip::tag_of(dialog.caller.party);
  DialogParty& receiver = from_caller ? dialog.callee : dialog.caller;
  receiver.cseq = std::max(receiver.cseq, request.cseq_number());
}

void Proxy::send_bye(DialogParty& party, const std::string& call_id, std::string_view reason) {
  if (party.target.empty()) return;
  const Listener& from = local_.listeners()[party.listener];
  std::string branch = new_branch();
  std::string text = "BYE " + party.target + " SIP/2.0\r\n";
  text += "Via: SIP/2.0/" + std::string(from.via_transport) + " " + from.via_sent_by + ";branch=" + branch + ";rport\r\n";
  for (const auto& route : party.route_set) text += "Route: " + route + "\r\n";
  text += "Max-Forwards: 70\r\n";
  text += "From: " + party.other + "\r\n";
  text += "To: " + party.party + "\r\n";
  text += "Call-ID: " + call_id + "\r\n";
  text += "CSeq: " + std::to_string(++party.cseq) + " BYE\r\n";
  text += "Reason: SIP;text=\"" + std::string(reason) + "\"\r\n";
  text += "Content-Length: 0\r\n\r\n";
  send_local_request(from, party.neighbor, std::move(text), std::move(branch), sip::Method::Bye,
                     [call_id, target = party.target](int code) {
                       log::at(code < 300 ? log::Level::Info : log::Level::Warn, call_id, "our BYE to ", target,
                               " answered ", code);
                     });
}

void Proxy::end_all_calls(std::string_view reason) {
  std::vector<std::string> calls;
  dialogs_.for_each([&calls](const Dialog& d) { calls.push_back(d.call_id); });
  for (const auto& call_id : calls) {
    end_call(call_id, reason);
    end_media(call_id, reason);
  }
}

void Proxy::end_call(const std::string& call_id, std::string_view reason) {
  std::string key;
  Dialog* dialog = dialogs_.find_call(call_id, &key);
  if (!dialog) return;
  log::at(log::Level::Warn, call_id, "ending the call (", reason, "): BYE to both parties");
  send_bye(dialog->caller, call_id, reason);
  send_bye(dialog->callee, call_id, reason);
  dialogs_.end(key);
  ++stats_.dialogs_ended_by_sbc;
}

}  // namespace sbc::proxy
