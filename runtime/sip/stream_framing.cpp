// Stream framing: keep-alive detection, head delimiting and Content-Length.
#include "sip/stream_framing.h"

#include "sip/ascii.h"
#include "sip/head_scanner.h"
#include "sip/header_id.h"

namespace sbc::sip {

namespace {

// "\r\n\r\n" is the full ping; a run this long without one is just junk to drop.
constexpr size_t kPingSize = 4;

// Any larger Content-Length is nonsense on a SIP stream; the bound only keeps
// parse_decimal from wrapping, max_message_size does the real limiting.
constexpr uint64_t kMaxContentLength = (uint64_t{1} << 31) - 1;

StreamFrame error_frame(std::string_view reason) {
  return StreamFrame{FrameStatus::Error, 0, false, reason};
}

size_t leading_blank_run(std::string_view buffer) {
  size_t run = 0;
  while (run < buffer.size() && (buffer[run] == '\r' || buffer[run] == '\n')) ++run;
  return run;
}

StreamFrame keepalive_frame(std::string_view buffer, size_t run) {
  const bool is_ping = buffer.substr(0, run).find("\r\n\r\n") != std::string_view::npos;
  const bool run_may_continue = run == buffer.size();
  if (run_may_continue && !is_ping && run < kPingSize) return StreamFrame{};
  return StreamFrame{FrameStatus::KeepAlive, run, is_ping, {}};
}

StreamFrame incomplete_frame(std::string_view buffer, size_t max_message_size) {
  if (buffer.size() > max_message_size) return error_frame("message too large");
  return StreamFrame{};
}

// Walks the head; on success `head_size` and `content_length` are set.
StreamFrame scan_head(std::string_view buffer, size_t max_message_size, size_t& head_size,
                      std::string_view& content_length) {
  HeadScanner scanner(buffer);
  std::string_view start_line;
  ScanStatus status = scanner.next_start_line(start_line);
  RawHeader header;
  bool seen_content_length = false;
  while (status == ScanStatus::Line) {
    status = scanner.next_header(header);
    if (status != ScanStatus::Line) break;
    if (header_id_from_name(header.name) != HeaderId::ContentLength) continue;
    if (seen_content_length) return error_frame("duplicate Content-Length");
    seen_content_length = true;
    content_length = header.value;
  }
  if (status == ScanStatus::Unterminated) return incomplete_frame(buffer, max_message_size);
  if (status == ScanStatus::Malformed) return error_frame("malformed message head");
  if (!seen_content_length) return error_frame("missing Content-Length");
  head_size = scanner.position();
  return StreamFrame{FrameStatus::Message, 0, false, {}};
}

}  // namespace

StreamFrame frame_stream_message(std::string_view buffer, size_t max_message_size) {
  if (buffer.empty()) return StreamFrame{};
  if (const size_t run = leading_blank_run(buffer); run > 0) return keepalive_frame(buffer, run);

  size_t head_size = 0;
  std::string_view content_length_text;
  const StreamFrame head = scan_head(buffer, max_message_size, head_size, content_length_text);
  if (head.status != FrameStatus::Message) return head;

  uint64_t body_size = 0;
  if (!parse_decimal(content_length_text, kMaxContentLength, body_size)) {
    return error_frame("bad Content-Length");
  }
  const size_t total = head_size + static_cast<size_t>(body_size);
  if (total > max_message_size) return error_frame("message too large");
  if (buffer.size() < total) return StreamFrame{};
  return StreamFrame{FrameStatus::Message, total, false, {}};
}

}  // namespace sbc::sip
