// See sdp.h.
#include "media/sdp.h"

#include <charconv>

#include "media/rtcp_privacy.h"

namespace sbc::media::sdp {
namespace {

// Splits off the next whitespace-separated word of `rest`.
std::string_view next_word(std::string_view& rest) {
  size_t start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(start);
  size_t end = rest.find(' ');
  std::string_view word = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return word;
}

bool to_port(std::string_view text, uint16_t& port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return end == text.data() + text.size() || *end == '/';  // "port/count"
}

// "IN IP4 192.0.2.1" (c=) -> "192.0.2.1"; a multicast "/ttl" suffix is not ours to relay.
std::string_view connection_address(std::string_view value) {
  next_word(value);  // IN
  next_word(value);  // IP4 | IP6
  return next_word(value);
}

// a=NAME[:VALUE]
std::pair<std::string_view, std::string_view> split_attribute(std::string_view value) {
  size_t colon = value.find(':');
  if (colon == std::string_view::npos) return {value, {}};
  return {value.substr(0, colon), value.substr(colon + 1)};
}

bool is_direction(std::string_view name) {
  return name == "sendrecv" || name == "sendonly" || name == "recvonly" || name == "inactive";
}

bool is_ice(std::string_view name) {
  return name == "ice-ufrag" || name == "ice-pwd" || name == "ice-options" || name == "ice-lite" ||
         name == "ice-mismatch" || name == "candidate" || name == "remote-candidates" ||
         name == "end-of-candidates" || name == "ice-pacing";
}

void read_media_attribute(Media& m, std::string_view value) {
  auto [name, rest] = split_attribute(value);
  if (is_direction(name)) {
    m.direction = name;
  } else if (name == "rtcp-mux") {
    m.rtcp_mux = true;
  } else if (name == "rtcp") {
    std::string_view text = rest;
    to_port(next_word(text), m.rtcp_port);
  } else if (name == "crypto") {
    std::string_view text = rest;
    Crypto c;
    c.tag = next_word(text);
    c.suite = next_word(text);
    c.key_params = next_word(text);
    if (!c.tag.empty() && !c.suite.empty() && c.key_params.starts_with("inline:")) m.crypto.push_back(c);
  }
}

bool read_media_line(Media& m, std::string_view value, std::string& error) {
  m.type = next_word(value);
  std::string_view port = next_word(value);
  m.proto = next_word(value);
  m.formats = value;
  if (m.type.empty() || m.proto.empty() || !to_port(port, m.port)) {
    error = "malformed m= line";
    return false;
  }
  return true;
}

}  // namespace

bool parse(std::string_view body, Session& out, std::string& error) {
  out = Session{};
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() < 2 || line[1] != '=') {
      error = "a line that is not type=value";
      return false;
    }
    out.lines.push_back({line[0], line.substr(2)});
  }
  if (out.lines.empty() || out.lines.front().type != 'v') {
    error = "no v= line first";
    return false;
  }
  for (size_t i = 0; i < out.lines.size(); ++i) {
    const Line& line = out.lines[i];
    Media* media = out.media.empty() ? nullptr : &out.media.back();
    switch (line.type) {
      case 'o': {
        std::string_view rest = line.value;
        for (int field = 0; field < 5; ++field) next_word(rest);
        out.origin_address = next_word(rest);
        break;
      }
      case 'c':
        (media ? media->connection : out.connection) = connection_address(line.value);
        break;
      case 'm':
        if (media) media->end_line = i;
        out.media.emplace_back();
        out.media.back().first_line = i;
        if (!read_media_line(out.media.back(), line.value, error)) return false;
        break;
      case 'a':
        if (media) read_media_attribute(*media, line.value);
        break;
      default:
        break;
    }
  }
  if (!out.media.empty()) out.media.back().end_line = out.lines.size();
  for (const Media& m : out.media) {
    if (m.port != 0 && out.address_of(m).empty()) {
      error = "a media section without a connection address";
      return false;
    }
  }
  return true;
}

namespace {

void append_line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out.append(value);
  out += "\r\n";
}

std::string_view address_type(bool ipv6) { return ipv6 ? "IP6" : "IP4"; }

bool is_unspecified(std::string_view address) { return address == "0.0.0.0" || address == "::"; }

// o=<username> <sess-id> <sess-version> IN IP4 <address>
void append_origin(std::string& out, std::string_view value, const Rewrite& plan) {
  std::string_view rest = value;
  out += "o=";
  for (int field = 0; field < 4; ++field) {
    out.append(next_word(rest));
    out += ' ';
  }
  out.append(address_type(plan.ipv6));
  out += ' ';
  out.append(plan.address);
  out += "\r\n";
}

void append_connection(std::string& out, std::string_view value, const Rewrite& plan) {
  if (is_unspecified(connection_address(value))) return append_line(out, 'c', value);
  out += "c=IN ";
  out.append(address_type(plan.ipv6));
  out += ' ';
  out.append(plan.address);
  out += "\r\n";
}

void append_media_line(std::string& out, const Media& m, const MediaRewrite& r) {
  out += "m=";
  out.append(m.type);
  out += ' ';
  out += std::to_string(m.port == 0 ? 0 : r.port);
  out += ' ';
  out.append(r.proto.empty() ? m.proto : r.proto);
  if (!m.formats.empty()) {
    out += ' ';
    out.append(m.formats);
  }
  out += "\r\n";
}

// a=ssrc:ID cname:TEXT (RFC 5576): the CNAME becomes the relay's token for it, the one
// its RTCP carries too (rtcp_privacy.h); other source attributes pass.
void append_ssrc(std::string& out, std::string_view value) {
  size_t space = value.find(' ');
  std::string_view attribute = space == std::string_view::npos ? std::string_view{} : value.substr(space + 1);
  if (!attribute.starts_with("cname:")) {
    out += "a=ssrc:";
    out.append(value);
    out += "\r\n";
    return;
  }
  out += "a=ssrc:";
  out.append(value.substr(0, space));
  out += " cname:";
  out += anonymized(attribute.substr(6));
  out += "\r\n";
}

void append_media_section(std::string& out, const Session& s, const Media& m, const MediaRewrite& r,
                          const Rewrite& plan) {
  if (r.keep) {
    for (size_t i = m.first_line; i < m.end_line; ++i) append_line(out, s.lines[i].type, s.lines[i].value);
    return;
  }
  append_media_line(out, m, r);
  for (size_t i = m.first_line + 1; i < m.end_line; ++i) {
    const Line& line = s.lines[i];
    if (line.type == 'c') {
      append_connection(out, line.value, plan);
      continue;
    }
    if (line.type != 'a') {
      append_line(out, line.type, line.value);
      continue;
    }
    auto [name, value] = split_attribute(line.value);
    if (is_ice(name) || (name == "crypto" && r.replace_crypto)) continue;
    if (name == "ssrc") {
      append_ssrc(out, value);
      continue;
    }
    if (name == "rtcp") {
      out += "a=rtcp:";
      out += std::to_string(m.rtcp_mux ? r.port : r.port + 1);
      out += " IN ";
      out.append(address_type(plan.ipv6));
      out += ' ';
      out.append(plan.address);
      out += "\r\n";
      continue;
    }
    append_line(out, 'a', line.value);
  }
  if (r.replace_crypto && m.port != 0) {
    for (const auto& crypto : r.crypto) {
      out += "a=crypto:";
      out += crypto;
      out += "\r\n";
    }
  }
}

}  // namespace

std::string rewrite(const Session& s, const Rewrite& plan) {
  std::string out;
  out.reserve(512);
  size_t session_end = s.media.empty() ? s.lines.size() : s.media.front().first_line;
  for (size_t i = 0; i < session_end; ++i) {
    const Line& line = s.lines[i];
    if (line.type == 'o') {
      append_origin(out, line.value, plan);
    } else if (line.type == 'c') {
      append_connection(out, line.value, plan);
    } else if (line.type == 'a' && is_ice(split_attribute(line.value).first)) {
      continue;
    } else {
      append_line(out, line.type, line.value);
    }
  }
  for (size_t i = 0; i < s.media.size(); ++i) {
    MediaRewrite keep;
    keep.keep = true;
    append_media_section(out, s, s.media[i], i < plan.media.size() ? plan.media[i] : keep, plan);
  }
  return out;
}

}  // namespace sbc::media::sdp
