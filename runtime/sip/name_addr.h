// Single From/To/Contact/Route/Record-Route values (name-addr or addr-spec with
// header params), header-param lookup, and top-level comma splitting of lists.
#pragma once

#include <string_view>

#include "sip/uri.h"

namespace sbc::sip {

struct NameAddr {
  std::string_view display;   // quotes stripped, escapes kept; "" when absent
  std::string_view uri_text;  // without <>
  std::string_view params;    // header params (no leading ';')
  Uri uri;
  bool has_angle_brackets = false;
};

// Fails on '*' (Contact wildcard: callers check for it first), on anything after
// '>' other than params, and when the URI does not parse. Without <>, params after
// the URI belong to the header, not the URI (RFC 3261 §20.10).
bool parse_name_addr(std::string_view text, NameAddr& out);

// Case-insensitive header-param lookup ("tag", "expires", "+sip.instance").
// Quoted values are returned with their quotes.
std::string_view header_param(std::string_view params, std::string_view name,
                              bool* present = nullptr);

// The tag of a From or To header value ("" when it has none or does not parse).
std::string_view tag_of(std::string_view from_or_to);

// Pops the next comma-separated element off `rest`, splitting only at commas
// outside quoted-strings (with \-escapes) and <...>. Elements are LWS-trimmed and
// empty ones skipped. Returns false when nothing is left.
bool next_header_value(std::string_view& rest, std::string_view& value);

}  // namespace sbc::sip
