// SIP message parsing: start line, header fields, mandatory-header validation
// and Content-Length body delimiting, all as views into the caller's buffer.
#include "sip/message.h"

#include <array>

#include "sip/ascii.h"
#include "sip/head_scanner.h"
#include "sip/name_addr.h"

namespace sbc::sip {

namespace {

constexpr size_t npos = std::string_view::npos;

// RFC 3261 §20.16: CSeq numbers MUST be < 2**31.
constexpr uint64_t kMaxCSeq = (uint64_t{1} << 31) - 1;
constexpr uint64_t kMaxContentLength = (uint64_t{1} << 31) - 1;
constexpr uint64_t kMaxMaxForwards = 255;

constexpr std::array<std::string_view, 18> kReasons = {
    "ok",
    "empty message",
    "bad start line",
    "unsupported SIP version",
    "bad status code",
    "malformed header",
    "too many headers",
    "missing Call-ID",
    "missing CSeq",
    "bad CSeq",
    "missing Via",
    "missing From",
    "missing To",
    "CSeq method does not match request method",
    "bad Content-Length",
    "truncated message",
    "bad Max-Forwards",
    "duplicate single-instance header",
};
static_assert(kReasons.size() == static_cast<size_t>(ParseError::DuplicateHeader) + 1,
              "kReasons must cover every ParseError");

// Stream keep-alives (RFC 5626) and sloppy stacks put CR/LF before the start line.
std::string_view skip_leading_blank_lines(std::string_view datagram) {
  size_t start = 0;
  while (start < datagram.size() && (datagram[start] == '\r' || datagram[start] == '\n')) {
    ++start;
  }
  return datagram.substr(start);
}

// Scheme-specific checks are left to the caller (unknown schemes earn a 416,
// not a 400); here we only reject what can never be part of any URI.
bool is_valid_request_uri(std::string_view uri) {
  if (uri.empty()) return false;
  for (char c : uri) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == '"') return false;
  }
  return true;
}

// Records the first occurrence of a header that may appear only once.
bool remember_single(const HeaderField& field, const HeaderField*& slot) {
  if (slot != nullptr) return false;
  slot = &field;
  return true;
}

}  // namespace

std::string_view parse_error_reason(ParseError error) {
  const auto index = static_cast<size_t>(error);
  return index < kReasons.size() ? kReasons[index] : std::string_view{"unknown error"};
}

void Message::reset() {
  state_ = State{};
  header_count_ = 0;  // the array itself is left dirty: only [0, count) is ever read
}

ParseError Message::parse(std::string_view datagram) {
  reset();
  const std::string_view text = skip_leading_blank_lines(datagram);
  if (text.empty()) return ParseError::Empty;
  HeadScanner scanner(text);
  if (ParseError error = read_start_line(scanner); error != ParseError::None) return error;
  if (ParseError error = read_header_fields(scanner); error != ParseError::None) return error;
  state_.head = text.substr(0, scanner.position());
  if (ParseError error = validate_mandatory_headers(); error != ParseError::None) return error;
  return take_body(text);
}

const HeaderField* Message::first(HeaderId id) const {
  for (const HeaderField& field : headers()) {
    if (field.id == id) return &field;
  }
  return nullptr;
}

size_t Message::count(HeaderId id) const {
  size_t matches = 0;
  for (const HeaderField& field : headers()) {
    if (field.id == id) ++matches;
  }
  return matches;
}

ParseError Message::read_start_line(HeadScanner& scanner) {
  std::string_view line;
  switch (scanner.next_start_line(line)) {
    case ScanStatus::Line: break;
    case ScanStatus::Unterminated: return ParseError::Truncated;
    default: return ParseError::BadStartLine;
  }
  state_.start_line = line;
  return istarts_with(line, "SIP/") ? parse_status_line(line) : parse_request_line(line);
}

// Method SP Request-URI SP SIP-Version, with exactly one SP at each place.
ParseError Message::parse_request_line(std::string_view line) {
  const size_t first_space = line.find(' ');
  const size_t last_space = line.rfind(' ');
  if (first_space == npos || first_space == last_space) return ParseError::BadStartLine;
  const std::string_view method = line.substr(0, first_space);
  const std::string_view uri = line.substr(first_space + 1, last_space - first_space - 1);
  if (!is_token(method) || !is_valid_request_uri(uri)) return ParseError::BadStartLine;
  if (!iequals(line.substr(last_space + 1), "SIP/2.0")) return ParseError::BadVersion;
  state_.is_request = true;
  state_.method_token = method;
  state_.method = method_from_token(method);
  state_.request_uri = uri;
  return ParseError::None;
}

// SIP-Version SP 3DIGIT SP Reason-Phrase (the reason may be empty or missing).
ParseError Message::parse_status_line(std::string_view line) {
  const size_t space = line.find(' ');
  if (!iequals(line.substr(0, space), "SIP/2.0")) return ParseError::BadVersion;
  if (space == npos) return ParseError::BadStartLine;
  const std::string_view rest = line.substr(space + 1);
  const size_t code_end = rest.find(' ');
  uint64_t code = 0;
  const std::string_view code_text = rest.substr(0, code_end);
  if (code_text.size() != 3 || !parse_decimal(code_text, 699, code) || code < 100) {
    return ParseError::BadStatusCode;
  }
  state_.status_code = static_cast<int>(code);
  if (code_end != npos) state_.reason_phrase = rest.substr(code_end + 1);
  return ParseError::None;
}

ParseError Message::read_header_fields(HeadScanner& scanner) {
  RawHeader raw;
  for (;;) {
    switch (scanner.next_header(raw)) {
      case ScanStatus::Line: break;
      case ScanStatus::EndOfHead: return ParseError::None;
      case ScanStatus::Unterminated: return ParseError::Truncated;
      default: return ParseError::BadHeader;
    }
    if (header_count_ == kMaxHeaders) return ParseError::TooManyHeaders;
    headers_[header_count_++] =
        HeaderField{header_id_from_name(raw.name), raw.name, raw.value, raw.raw_line};
  }
}

ParseError Message::validate_mandatory_headers() {
  const HeaderField* call_id = nullptr;
  const HeaderField* cseq = nullptr;
  const HeaderField* from = nullptr;
  const HeaderField* to = nullptr;
  const HeaderField* content_length = nullptr;
  const HeaderField* max_forwards = nullptr;
  const HeaderField* via = nullptr;
  for (const HeaderField& field : headers()) {
    bool single = true;
    switch (field.id) {
      case HeaderId::CallId: single = remember_single(field, call_id); break;
      case HeaderId::CSeq: single = remember_single(field, cseq); break;
      case HeaderId::From: single = remember_single(field, from); break;
      case HeaderId::To: single = remember_single(field, to); break;
      case HeaderId::ContentLength: single = remember_single(field, content_length); break;
      case HeaderId::MaxForwards: single = remember_single(field, max_forwards); break;
      case HeaderId::Via: if (via == nullptr) via = &field; break;
      default: break;
    }
    if (!single) return ParseError::DuplicateHeader;
  }
  std::string_view via_list = via != nullptr ? via->value : std::string_view{};
  if (!next_header_value(via_list, state_.top_via_value)) return ParseError::MissingVia;
  if (from == nullptr || from->value.empty()) return ParseError::MissingFrom;
  if (to == nullptr || to->value.empty()) return ParseError::MissingTo;
  if (call_id == nullptr || call_id->value.empty()) return ParseError::MissingCallId;
  state_.from_value = from->value;
  state_.to_value = to->value;
  state_.call_id = call_id->value;
  if (ParseError error = parse_cseq(cseq); error != ParseError::None) return error;
  return parse_max_forwards(max_forwards);
}

// CSeq: 1*DIGIT LWS Method, nothing else.
ParseError Message::parse_cseq(const HeaderField* cseq) {
  if (cseq == nullptr || cseq->value.empty()) return ParseError::MissingCSeq;
  const std::string_view value = cseq->value;
  size_t digits_end = 0;
  while (digits_end < value.size() && is_digit(value[digits_end])) ++digits_end;
  size_t method_begin = digits_end;
  while (method_begin < value.size() && is_lws(value[method_begin])) ++method_begin;
  uint64_t number = 0;
  const std::string_view method = value.substr(method_begin);
  if (!parse_decimal(value.substr(0, digits_end), kMaxCSeq, number) ||
      method_begin == digits_end || !is_token(method)) {
    return ParseError::BadCSeq;
  }
  state_.cseq_number = static_cast<uint32_t>(number);
  state_.cseq_method_token = method;
  state_.cseq_method = method_from_token(method);
  if (state_.is_request && method != state_.method_token) return ParseError::CSeqMethodMismatch;
  return ParseError::None;
}

ParseError Message::parse_max_forwards(const HeaderField* max_forwards) {
  if (max_forwards == nullptr) return ParseError::None;
  uint64_t hops = 0;
  if (!parse_decimal(max_forwards->value, kMaxMaxForwards, hops)) return ParseError::BadMaxForwards;
  state_.max_forwards = static_cast<int>(hops);
  return ParseError::None;
}

ParseError Message::take_body(std::string_view text) {
  const std::string_view after_head = text.substr(state_.head.size());
  std::string_view body = after_head;
  if (const HeaderField* content_length = first(HeaderId::ContentLength)) {
    uint64_t length = 0;
    if (!parse_decimal(content_length->value, kMaxContentLength, length)) {
      return ParseError::BadContentLength;
    }
    if (length > after_head.size()) return ParseError::Truncated;
    body = after_head.substr(0, static_cast<size_t>(length));
  }
  state_.body = body;
  state_.text = text.substr(0, state_.head.size() + body.size());
  return ParseError::None;
}

}  // namespace sbc::sip
