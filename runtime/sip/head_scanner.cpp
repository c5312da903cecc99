// Line and folding logic for SIP message heads.
#include "sip/head_scanner.h"

#include "sip/ascii.h"

namespace sbc::sip {

namespace {

// NUL would truncate C-string consumers downstream, and a CR not followed by LF
// is read as a line break by some peers: either one enables header smuggling.
bool has_forbidden_byte(std::string_view content) {
  for (char c : content) {
    if (c == '\0' || c == '\r') return true;
  }
  return false;
}

}  // namespace

ScanStatus HeadScanner::read_line(size_t from, PhysicalLine& line) const {
  const size_t newline = text_.find('\n', from);
  if (newline == std::string_view::npos) return ScanStatus::Unterminated;
  line.begin = from;
  line.content_end = (newline > from && text_[newline - 1] == '\r') ? newline - 1 : newline;
  line.next = newline + 1;
  const std::string_view content = text_.substr(from, line.content_end - from);
  return has_forbidden_byte(content) ? ScanStatus::Malformed : ScanStatus::Line;
}

ScanStatus HeadScanner::next_start_line(std::string_view& line) {
  PhysicalLine physical;
  const ScanStatus status = read_line(pos_, physical);
  if (status != ScanStatus::Line) return status;
  line = text_.substr(physical.begin, physical.content_end - physical.begin);
  pos_ = physical.next;
  return ScanStatus::Line;
}

// Folds every following line that starts with SP/HT into `last`. At the end of
// the text we cannot know whether a continuation follows, but the caller will
// hit Unterminated on its next call anyway, so stopping here is safe.
ScanStatus HeadScanner::extend_with_continuations(PhysicalLine& last) {
  while (last.next < text_.size() && is_wsp(text_[last.next])) {
    PhysicalLine continuation;
    const ScanStatus status = read_line(last.next, continuation);
    if (status != ScanStatus::Line) return status;
    last.content_end = continuation.content_end;
    last.next = continuation.next;
  }
  return ScanStatus::Line;
}

ScanStatus HeadScanner::next_header(RawHeader& out) {
  PhysicalLine line;
  ScanStatus status = read_line(pos_, line);
  if (status != ScanStatus::Line) return status;
  if (line.content_end == line.begin) {
    pos_ = line.next;
    return ScanStatus::EndOfHead;
  }
  const std::string_view first = text_.substr(line.begin, line.content_end - line.begin);
  const size_t colon = first.find(':');
  if (is_wsp(first.front()) || colon == std::string_view::npos) return ScanStatus::Malformed;
  out.name = trim_wsp(first.substr(0, colon));
  if (!is_token(out.name)) return ScanStatus::Malformed;

  PhysicalLine last = line;
  status = extend_with_continuations(last);
  if (status != ScanStatus::Line) return status;
  const size_t value_begin = line.begin + colon + 1;
  out.value = trim_lws(text_.substr(value_begin, last.content_end - value_begin));
  out.raw_line = text_.substr(line.begin, last.next - line.begin);
  pos_ = last.next;
  return ScanStatus::Line;
}

}  // namespace sbc::sip
