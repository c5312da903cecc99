// Topology hiding across faces: what one side of the SBC sees of the other is the SBC
// itself. Requests crossing faces leave with only the SBC's Via (the received ones wait
// in the transaction and are put back on the responses), and Contact URIs are replaced
// by an SBC address on the far face that carries the original, hex-encoded in the user
// part ("sbc-…"), so in-dialog requests sent to it can be routed back to the real target.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/message.h"
#include "sip/name_addr.h"
#include "sip/uri.h"

namespace sbc::proxy {

// `sip:sbc-<hex of original>@HOSTPORT_AND_PARAMS`, e.g. HOSTPORT "127.0.0.10:5060;transport=tcp".
std::string encode_contact_uri(std::string_view original, std::string_view hostport_and_params);
// The original URI if `uri` is one of ours (user "sbc-…" with valid hex), else nullopt.
std::optional<std::string> decode_contact_uri(const sip::Uri& uri);
// Appends a Contact header whose URIs are all encoded; "*" and unparsable values are kept.
// `nat_hostport` (e.g. "203.0.113.9:40312"), when not empty, replaces the host and port of
// each Contact first: the address a client behind NAT really sends from (fix_nated_contact).
void append_encoded_contact(std::string& out, const sip::HeaderField& field, std::string_view hostport_and_params,
                            std::string_view nat_hostport = {});
// The first Contact value of `msg`, parsed; false when there is none or it does not parse.
bool first_contact(const sip::Message& msg, sip::NameAddr& out);
// `uri_text` with its host[:port] replaced by `hostport`.
std::string with_host_port(std::string_view uri_text, const sip::Uri& uri, std::string_view hostport);
// The Via header lines of `request`, verbatim, in order (put back on relayed responses).
std::string via_lines(const sip::Message& request);

}  // namespace sbc::proxy
