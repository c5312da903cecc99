// A parsed SIP message: zero-copy views into the caller's datagram plus the
// fields every proxy decision needs, validated once at parse time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sip/header_id.h"
#include "sip/method.h"

namespace sbc::sip {

class HeadScanner;

struct HeaderField {
  HeaderId id = HeaderId::Other;
  std::string_view name;
  std::string_view value;     // LWS-trimmed; may contain folded CRLF+WSP inside
  std::string_view raw_line;  // whole header line including its CRLF(s), for splicing
};

enum class ParseError : uint8_t {
  None, Empty, BadStartLine, BadVersion, BadStatusCode, BadHeader, TooManyHeaders,
  MissingCallId, MissingCSeq, BadCSeq, MissingVia, MissingFrom, MissingTo,
  CSeqMethodMismatch, BadContentLength,
  Truncated,        // body shorter than Content-Length, or no empty line ends the head
  BadMaxForwards,   // not 1*DIGIT, or above 255
  DuplicateHeader,  // a second Call-ID/CSeq/From/To/Content-Length/Max-Forwards
};

// Short static text for logs and 400 reason phrases, e.g. "bad CSeq".
std::string_view parse_error_reason(ParseError error);

class Message {
 public:
  static constexpr size_t kMaxHeaders = 96;

  // Reusable: resets itself first. Never allocates and never throws. Leading
  // CR/LF keep-alive bytes are skipped; an all-CR/LF datagram is Empty. Bytes
  // past Content-Length are ignored; without Content-Length the body is the rest
  // of the datagram (UDP semantics). Via, From, To, Call-ID and CSeq are required
  // in requests and responses alike. After an error, accessors still expose what
  // was parsed before it (useful to build a 400), but nothing is validated.
  ParseError parse(std::string_view datagram);

  bool is_request() const { return state_.is_request; }

  // Request line; Method::Other / "" for responses.
  Method method() const { return state_.method; }
  std::string_view method_token() const { return state_.method_token; }
  std::string_view request_uri() const { return state_.request_uri; }

  // Status line; 0 / "" for requests.
  int status_code() const { return state_.status_code; }
  std::string_view reason_phrase() const { return state_.reason_phrase; }

  std::span<const HeaderField> headers() const { return {headers_.data(), header_count_}; }
  const HeaderField* first(HeaderId id) const;  // nullptr if none
  size_t count(HeaderId id) const;

  std::string_view call_id() const { return state_.call_id; }
  uint32_t cseq_number() const { return state_.cseq_number; }
  Method cseq_method() const { return state_.cseq_method; }
  std::string_view cseq_method_token() const { return state_.cseq_method_token; }
  // First element of the first Via header (split at a top-level comma).
  std::string_view top_via_value() const { return state_.top_via_value; }
  std::string_view from_value() const { return state_.from_value; }
  std::string_view to_value() const { return state_.to_value; }
  int max_forwards() const { return state_.max_forwards; }  // -1 if absent

  std::string_view body() const { return state_.body; }
  std::string_view start_line() const { return state_.start_line; }  // without CRLF
  std::string_view head() const { return state_.head; }  // through the empty line
  std::string_view text() const { return state_.text; }  // start line .. end of body

 private:
  // Everything except the header array, so reset() stays cheap.
  struct State {
    std::string_view text, start_line, head, body;
    std::string_view method_token, request_uri, reason_phrase;
    std::string_view call_id, cseq_method_token, top_via_value, from_value, to_value;
    Method method = Method::Other;
    Method cseq_method = Method::Other;
    bool is_request = false;
    int status_code = 0;
    uint32_t cseq_number = 0;
    int max_forwards = -1;
  };

  void reset();
  ParseError read_start_line(HeadScanner& scanner);
  ParseError parse_request_line(std::string_view line);
  ParseError parse_status_line(std::string_view line);
  ParseError read_header_fields(HeadScanner& scanner);
  ParseError validate_mandatory_headers();
  ParseError parse_cseq(const HeaderField* cseq);
  ParseError parse_max_forwards(const HeaderField* max_forwards);
  ParseError take_body(std::string_view text);

  State state_;
  size_t header_count_ = 0;
  std::array<HeaderField, kMaxHeaders> headers_{};
};

}  // namespace sbc::sip
