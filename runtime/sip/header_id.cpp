// Header name -> HeaderId lookup: compact forms via a switch, long names via a
// per-first-letter bucket so each lookup compares against only a handful of names.
#include "sip/header_id.h"

#include <array>

#include "sip/ascii.h"

namespace sbc::sip {

namespace {

struct NamedHeader {
  std::string_view name;
  HeaderId id;
};

// Kept in HeaderId order so header_canonical_name can index it directly.
constexpr std::array<NamedHeader, 68> kHeaders = {{
    {"", HeaderId::Other},
    {"Via", HeaderId::Via},
    {"From", HeaderId::From},
    {"To", HeaderId::To},
    {"Call-ID", HeaderId::CallId},
    {"CSeq", HeaderId::CSeq},
    {"Contact", HeaderId::Contact},
    {"Max-Forwards", HeaderId::MaxForwards},
    {"Route", HeaderId::Route},
    {"Record-Route", HeaderId::RecordRoute},
    {"Content-Length", HeaderId::ContentLength},
    {"Content-Type", HeaderId::ContentType},
    {"Supported", HeaderId::Supported},
    {"Require", HeaderId::Require},
    {"Proxy-Require", HeaderId::ProxyRequire},
    {"Allow", HeaderId::Allow},
    {"Server", HeaderId::Server},
    {"User-Agent", HeaderId::UserAgent},
    {"Expires", HeaderId::Expires},
    {"Event", HeaderId::Event},
    {"Content-Encoding", HeaderId::ContentEncoding},
    {"Content-Disposition", HeaderId::ContentDisposition},
    {"Content-Language", HeaderId::ContentLanguage},
    {"Subject", HeaderId::Subject},
    {"Accept", HeaderId::Accept},
    {"Accept-Encoding", HeaderId::AcceptEncoding},
    {"Accept-Language", HeaderId::AcceptLanguage},
    {"Alert-Info", HeaderId::AlertInfo},
    {"Authentication-Info", HeaderId::AuthenticationInfo},
    {"Authorization", HeaderId::Authorization},
    {"Call-Info", HeaderId::CallInfo},
    {"Date", HeaderId::Date},
    {"Error-Info", HeaderId::ErrorInfo},
    {"In-Reply-To", HeaderId::InReplyTo},
    {"MIME-Version", HeaderId::MimeVersion},
    {"Min-Expires", HeaderId::MinExpires},
    {"Organization", HeaderId::Organization},
    {"Priority", HeaderId::Priority},
    {"Proxy-Authenticate", HeaderId::ProxyAuthenticate},
    {"Proxy-Authorization", HeaderId::ProxyAuthorization},
    {"Reply-To", HeaderId::ReplyTo},
    {"Retry-After", HeaderId::RetryAfter},
    {"Timestamp", HeaderId::Timestamp},
    {"Unsupported", HeaderId::Unsupported},
    {"Warning", HeaderId::Warning},
    {"WWW-Authenticate", HeaderId::WwwAuthenticate},
    {"Allow-Events", HeaderId::AllowEvents},
    {"Refer-To", HeaderId::ReferTo},
    {"Referred-By", HeaderId::ReferredBy},
    {"Session-Expires", HeaderId::SessionExpires},
    {"Min-SE", HeaderId::MinSE},
    {"RSeq", HeaderId::RSeq},
    {"RAck", HeaderId::RAck},
    {"Path", HeaderId::Path},
    {"Service-Route", HeaderId::ServiceRoute},
    {"P-Asserted-Identity", HeaderId::PAssertedIdentity},
    {"P-Preferred-Identity", HeaderId::PPreferredIdentity},
    {"Privacy", HeaderId::Privacy},
    {"Subscription-State", HeaderId::SubscriptionState},
    {"Reason", HeaderId::Reason},
    {"Replaces", HeaderId::Replaces},
    {"Identity", HeaderId::Identity},
    {"Identity-Info", HeaderId::IdentityInfo},
    {"Accept-Contact", HeaderId::AcceptContact},
    {"Reject-Contact", HeaderId::RejectContact},
    {"Request-Disposition", HeaderId::RequestDisposition},
    {"Diversion", HeaderId::Diversion},
    {"History-Info", HeaderId::HistoryInfo},
}};

consteval bool table_matches_enum_order() {
  for (size_t i = 0; i < kHeaders.size(); ++i) {
    if (static_cast<size_t>(kHeaders[i].id) != i) return false;
  }
  return true;
}
static_assert(table_matches_enum_order(), "kHeaders must follow HeaderId order");
static_assert(kHeaders.size() == static_cast<size_t>(HeaderId::HistoryInfo) + 1,
              "kHeaders must name every HeaderId");

// Buckets by lower-cased first letter, built at compile time.
struct Bucket {
  std::array<uint8_t, 16> indexes{};
  uint8_t size = 0;
};

consteval std::array<Bucket, 26> build_buckets() {
  std::array<Bucket, 26> buckets{};
  for (size_t i = 1; i < kHeaders.size(); ++i) {
    Bucket& bucket = buckets[static_cast<size_t>(to_lower(kHeaders[i].name[0]) - 'a')];
    bucket.indexes[bucket.size++] = static_cast<uint8_t>(i);
  }
  return buckets;
}

constexpr std::array<Bucket, 26> kBuckets = build_buckets();

HeaderId compact_header_id(char letter) {
  switch (to_lower(letter)) {
    case 'a': return HeaderId::AcceptContact;
    case 'b': return HeaderId::ReferredBy;
    case 'c': return HeaderId::ContentType;
    case 'd': return HeaderId::RequestDisposition;
    case 'e': return HeaderId::ContentEncoding;
    case 'f': return HeaderId::From;
    case 'i': return HeaderId::CallId;
    case 'j': return HeaderId::RejectContact;
    case 'k': return HeaderId::Supported;
    case 'l': return HeaderId::ContentLength;
    case 'm': return HeaderId::Contact;
    case 'n': return HeaderId::IdentityInfo;
    case 'o': return HeaderId::Event;
    case 'r': return HeaderId::ReferTo;
    case 's': return HeaderId::Subject;
    case 't': return HeaderId::To;
    case 'u': return HeaderId::AllowEvents;
    case 'v': return HeaderId::Via;
    case 'x': return HeaderId::SessionExpires;
    case 'y': return HeaderId::Identity;
    default: return HeaderId::Other;
  }
}

}  // namespace

HeaderId header_id_from_name(std::string_view name) {
  if (name.size() == 1) return compact_header_id(name[0]);
  if (name.empty() || !is_alpha(name[0])) return HeaderId::Other;
  const Bucket& bucket = kBuckets[static_cast<size_t>(to_lower(name[0]) - 'a')];
  for (uint8_t i = 0; i < bucket.size; ++i) {
    const NamedHeader& candidate = kHeaders[bucket.indexes[i]];
    if (iequals(candidate.name, name)) return candidate.id;
  }
  return HeaderId::Other;
}

std::string_view header_canonical_name(HeaderId id) {
  const auto index = static_cast<size_t>(id);
  return index < kHeaders.size() ? kHeaders[index].name : std::string_view{};
}

}  // namespace sbc::sip
