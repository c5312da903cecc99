// See message_builder.h. Every function appends to one std::string reserved to the
// final size's upper bound, so a message costs one allocation.
#include "proxy/message_builder.h"

#include <charconv>

#include "sip/ascii.h"
#include "sip/header_id.h"
#include "proxy/topology.h"
#include "sip/name_addr.h"
#include "sip/via.h"

namespace sbc::proxy {
namespace {

void append_number(std::string& out, uint64_t value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

// A header line with only its first `skip` comma-separated values removed; the whole
// line when skip == 0, nothing when every value is skipped.
void append_header_without_first_values(std::string& out, const sip::HeaderField& field, size_t skip,
                                        size_t& skipped) {
  if (skipped >= skip) {
    out.append(field.raw_line);
    return;
  }
  std::string_view rest = field.value;
  std::string_view value;
  std::string kept;
  while (sip::next_header_value(rest, value)) {
    if (skipped < skip) {
      ++skipped;
      continue;
    }
    if (!kept.empty()) kept += ", ";
    kept.append(value);
  }
  if (kept.empty()) return;
  out.append(field.name);
  out += ": ";
  out += kept;
  out += "\r\n";
}

// The first Via header of a reply: its top value gets received= and, when the client
// asked for it with a bare `rport`, rport=PORT (RFC 3581); other values are kept.
void append_via_header_for_reply(std::string& out, const sip::HeaderField& field, std::string_view host,
                                 uint16_t port) {
  std::string_view rest = field.value;
  std::string_view top;
  sip::next_header_value(rest, top);
  sip::Via via;
  out += "Via: ";
  if (!sip::parse_via(top, via)) {
    out.append(field.value);
    out += "\r\n";
    return;
  }
  std::string_view sent = top.substr(0, top.find(';'));
  while (!sent.empty() && (sent.back() == ' ' || sent.back() == '\t')) sent.remove_suffix(1);
  out.append(sent);
  std::string_view params = via.params;
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = params.substr(0, semi);
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    std::string_view name = param.substr(0, param.find('='));
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (sip::iequals(name, "rport") || sip::iequals(name, "received")) continue;
    out += ';';
    out.append(param);
  }
  if (via.has_rport) {
    out += ";rport=";
    append_number(out, port);
  }
  out += ";received=";
  out.append(host);
  if (!rest.empty()) {
    out += ", ";
    out.append(rest);
  }
  out += "\r\n";
}

// True when a `set` or `remove` change drops this received header.
bool dropped_by_changes(const sip::HeaderField& field, const std::vector<HeaderChange>& changes) {
  for (const auto& c : changes) {
    if (c.op == HeaderChange::Op::Add) continue;
    sip::HeaderId id = sip::header_id_from_name(c.name);
    if (id != sip::HeaderId::Other ? field.id == id : sip::iequals(field.name, c.name)) return true;
  }
  return false;
}

void append_added_headers(std::string& out, const std::vector<HeaderChange>& changes) {
  for (const auto& c : changes) {
    if (c.op == HeaderChange::Op::Remove) continue;
    out.append(c.name);
    out += ": ";
    out.append(c.value);
    out += "\r\n";
  }
}

// A replaced body drops the received Content-Length (and, when empty, Content-Type).
bool dropped_for_body(const sip::HeaderField& field, const std::optional<std::string_view>& body) {
  if (!body) return false;
  return field.id == sip::HeaderId::ContentLength || (body->empty() && field.id == sip::HeaderId::ContentType);
}

void append_body_separator_and_body(std::string& out, const sip::Message& m, const std::optional<std::string_view>& body) {
  if (body) {
    out += "Content-Length: ";
    append_number(out, body->size());
    out += "\r\n\r\n";
    out.append(*body);
    return;
  }
  out += "\r\n";
  out.append(m.body());
}

}  // namespace

std::string build_forwarded_request(const sip::Message& request, const ForwardEdits& edits) {
  std::string out;
  size_t extra = edits.via_line.size() + 64 + edits.request_uri.size();
  for (const auto& rr : edits.record_route_lines) extra += rr.size();
  out.reserve(request.text().size() + extra);

  out.append(request.method_token());
  out += ' ';
  out.append(edits.request_uri.empty() ? request.request_uri() : edits.request_uri);
  out += " SIP/2.0\r\n";
  out.append(edits.via_line);
  for (const auto& rr : edits.record_route_lines) out.append(rr);

  bool saw_max_forwards = false;
  size_t routes_skipped = 0;
  for (const auto& field : request.headers()) {
    switch (field.id) {
      case sip::HeaderId::MaxForwards:
        saw_max_forwards = true;
        out += "Max-Forwards: ";
        append_number(out, request.max_forwards() > 0 ? request.max_forwards() - 1 : 0);
        out += "\r\n";
        break;
      case sip::HeaderId::Route:
        append_header_without_first_values(out, field, edits.routes_to_remove, routes_skipped);
        break;
      case sip::HeaderId::Via:
        if (!edits.hide_vias) out.append(field.raw_line);
        break;
      case sip::HeaderId::Contact:
        if (!edits.contact_address.empty()) {
          append_encoded_contact(out, field, edits.contact_address, edits.nat_hostport);
          break;
        }
        [[fallthrough]];
      default:
        if (!dropped_by_changes(field, edits.header_changes) && !dropped_for_body(field, edits.body)) {
          out.append(field.raw_line);
        }
    }
  }
  if (!saw_max_forwards) out += "Max-Forwards: 70\r\n";
  append_added_headers(out, edits.header_changes);
  append_body_separator_and_body(out, request, edits.body);
  return out;
}

std::string build_forwarded_response(const sip::Message& response, const ResponseEdits& edits) {
  std::string out;
  out.reserve(response.text().size() + edits.restored_vias.size());
  out.append(response.start_line());
  out += "\r\n";
  if (edits.restore_vias) out.append(edits.restored_vias);
  size_t vias_skipped = 0;
  for (const auto& field : response.headers()) {
    if (field.id == sip::HeaderId::Via) {
      if (!edits.restore_vias) append_header_without_first_values(out, field, 1, vias_skipped);
    } else if (field.id == sip::HeaderId::Contact && !edits.contact_address.empty()) {
      append_encoded_contact(out, field, edits.contact_address, edits.nat_hostport);
    } else if (!dropped_by_changes(field, edits.header_changes) && !dropped_for_body(field, edits.body)) {
      out.append(field.raw_line);
    }
  }
  append_added_headers(out, edits.header_changes);
  append_body_separator_and_body(out, response, edits.body);
  return out;
}

std::string build_reply(const sip::Message& request, const ReplyParams& p) {
  std::string out;
  out.reserve(request.head().size() + 128);
  out += "SIP/2.0 ";
  append_number(out, static_cast<uint64_t>(p.code));
  out += ' ';
  out.append(p.reason.empty() ? default_reason(p.code) : p.reason);
  out += "\r\n";
  bool first_via = true;
  for (const auto& field : request.headers()) {
    switch (field.id) {
      case sip::HeaderId::Via:
        if (first_via && !p.source_host.empty()) {
          first_via = false;
          append_via_header_for_reply(out, field, p.source_host, p.source_port);
        } else {
          out.append(field.raw_line);
        }
        break;
      case sip::HeaderId::To:
        out.append(field.name);
        out += ": ";
        out.append(field.value);
        if (p.code > 100 && !p.to_tag.empty()) {
          sip::NameAddr to;
          if (sip::parse_name_addr(field.value, to) && sip::header_param(to.params, "tag").empty()) {
            out += ";tag=";
            out.append(p.to_tag);
          }
        }
        out += "\r\n";
        break;
      case sip::HeaderId::From:
      case sip::HeaderId::CallId:
      case sip::HeaderId::CSeq: out.append(field.raw_line); break;
      default: break;
    }
  }
  if (!p.server.empty()) {
    out += "Server: ";
    out.append(p.server);
    out += "\r\n";
  }
  out += "Content-Length: 0\r\n\r\n";
  return out;
}

namespace {

// Request line + top Via + Route + From + Call-ID of the forwarded INVITE, then `to`
// and a CSeq with `method`; shared by ACK and CANCEL.
std::string build_invite_sibling(const sip::Message& invite, std::string_view method, const sip::HeaderField* to) {
  std::string out;
  out.reserve(invite.head().size());
  out.append(method);
  out += ' ';
  out.append(invite.request_uri());
  out += " SIP/2.0\r\nVia: ";
  out.append(invite.top_via_value());
  out += "\r\n";
  for (const auto& field : invite.headers()) {
    if (field.id == sip::HeaderId::Route || field.id == sip::HeaderId::From || field.id == sip::HeaderId::CallId) {
      out.append(field.raw_line);
    }
  }
  out.append(to->raw_line);
  out += "CSeq: ";
  append_number(out, invite.cseq_number());
  out += ' ';
  out.append(method);
  out += "\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  return out;
}

}  // namespace

std::string build_ack_for_failure(const sip::Message& forwarded_invite, const sip::Message& response) {
  return build_invite_sibling(forwarded_invite, "ACK", response.first(sip::HeaderId::To));
}

std::string build_cancel(const sip::Message& forwarded_invite) {
  return build_invite_sibling(forwarded_invite, "CANCEL", forwarded_invite.first(sip::HeaderId::To));
}

std::string build_local_request(const LocalRequest& r) {
  std::string out;
  out.reserve(512);
  out.append(r.method);
  out += ' ';
  out.append(r.request_uri);
  out += " SIP/2.0\r\n";
  out.append(r.via_line);
  out += "From: <";
  out.append(r.from_uri);
  out += ">;tag=";
  out.append(r.from_tag);
  out += "\r\nTo: <";
  out.append(r.request_uri);
  out += ">\r\nCall-ID: ";
  out.append(r.call_id);
  out += "\r\nCSeq: ";
  append_number(out, r.cseq);
  out += ' ';
  out.append(r.method);
  out += "\r\nMax-Forwards: 70\r\n";
  if (!r.user_agent.empty()) {
    out += "User-Agent: ";
    out.append(r.user_agent);
    out += "\r\n";
  }
  out += "Content-Length: 0\r\n\r\n";
  return out;
}

std::string_view default_reason(int code) {
  switch (code) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 603: return "Decline";
    default: break;
  }
  if (code < 200) return "Session Progress";
  if (code < 300) return "OK";
  if (code < 400) return "Redirect";
  if (code < 500) return "Client Error";
  if (code < 600) return "Server Error";
  return "Global Failure";
}

}  // namespace sbc::proxy
