// Splits a SIP message head into its start line and logical header fields,
// accepting CRLF or bare-LF endings and folded continuation lines. Shared by
// Message::parse and stream framing so both agree byte-for-byte on the head.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sbc::sip {

struct RawHeader {
  std::string_view name;      // blanks before ':' removed
  std::string_view value;     // LWS-trimmed; folds stay inside as CRLF/LF + WSP
  std::string_view raw_line;  // whole logical line including every terminator
};

enum class ScanStatus : uint8_t {
  Line,          // a start line or header was produced
  EndOfHead,     // the empty line was consumed
  Unterminated,  // the text ends before the element does (needs more bytes)
  Malformed,     // NUL or stray CR, missing ':', bad name, orphan continuation
};

class HeadScanner {
 public:
  explicit HeadScanner(std::string_view text) : text_(text) {}

  // The first line, without its terminator. Call once, before next_header.
  ScanStatus next_start_line(std::string_view& line);
  ScanStatus next_header(RawHeader& out);

  // Offset just past everything consumed so far (after EndOfHead: the head size).
  size_t position() const { return pos_; }

 private:
  struct PhysicalLine {
    size_t begin = 0;
    size_t content_end = 0;  // before CR LF / LF
    size_t next = 0;         // after the terminator
  };

  ScanStatus read_line(size_t from, PhysicalLine& line) const;
  ScanStatus extend_with_continuations(PhysicalLine& last);

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace sbc::sip
