// Message framing for stream transports (SIP over TCP/TLS): finds
// where the first message in a receive buffer ends, and recognises RFC 5626
// CRLF keep-alives. Does not validate the message: run Message::parse on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sbc::sip {

inline constexpr size_t kMaxStreamMessageSize = 65535;

enum class FrameStatus : uint8_t {
  NeedMore,   // no complete message yet; read more and call again
  Message,    // buffer[0, length) is one message (head + Content-Length body)
  KeepAlive,  // buffer[0, length) is CR/LF bytes to discard
  Error,      // unrecoverable framing error: close the connection
};

struct StreamFrame {
  FrameStatus status = FrameStatus::NeedMore;
  size_t length = 0;
  bool is_ping = false;  // KeepAlive contained CRLFCRLF: answer with a single CRLF pong
  std::string_view error_reason;  // static text, set only for Error
};

// Call in a loop, consuming `length` bytes after each Message/KeepAlive result.
// Content-Length is mandatory on streams (RFC 3261 §18.3). A message whose head
// or total size exceeds `max_message_size` is an Error, so a peer cannot make us
// buffer without bound. A short trailing CR/LF run with no CRLFCRLF yet returns
// NeedMore, so a ping split across two reads is still recognised.
StreamFrame frame_stream_message(std::string_view buffer,
                                 size_t max_message_size = kMaxStreamMessageSize);

}  // namespace sbc::sip
