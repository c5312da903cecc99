// Identifiers for the SIP header fields the runtime cares about, and the
// case-insensitive name (and RFC 3261 compact form) -> id lookup.
#pragma once

#include <cstdint>
#include <string_view>

namespace sbc::sip {

enum class HeaderId : uint8_t {
  Other,
  // RFC 3261 core
  Via, From, To, CallId, CSeq, Contact, MaxForwards, Route, RecordRoute,
  ContentLength, ContentType, Supported, Require, ProxyRequire, Allow,
  Server, UserAgent, Expires, Event, ContentEncoding, ContentDisposition,
  ContentLanguage, Subject, Accept, AcceptEncoding, AcceptLanguage, AlertInfo,
  AuthenticationInfo, Authorization, CallInfo, Date, ErrorInfo, InReplyTo,
  MimeVersion, MinExpires, Organization, Priority, ProxyAuthenticate,
  ProxyAuthorization, ReplyTo, RetryAfter, Timestamp, Unsupported, Warning,
  WwwAuthenticate,
  // Common extensions
  AllowEvents, ReferTo, ReferredBy, SessionExpires, MinSE, RSeq, RAck, Path,
  ServiceRoute, PAssertedIdentity, PPreferredIdentity, Privacy,
  SubscriptionState, Reason, Replaces, Identity, IdentityInfo, AcceptContact,
  RejectContact, RequestDisposition, Diversion, HistoryInfo,
};

// Case-insensitive; single letters are the compact forms (v, f, t, i, m, l, c,
// k, e, s, o, u, r, b, x, a, j, d, n, y). Unknown names -> HeaderId::Other.
HeaderId header_id_from_name(std::string_view name);

// Canonical long name, e.g. "Call-ID"; "" for HeaderId::Other.
std::string_view header_canonical_name(HeaderId id);

}  // namespace sbc::sip
