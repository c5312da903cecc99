// Via value parser.
#include "sip/via.h"

#include "sip/ascii.h"
#include "sip/host_port.h"
#include "sip/param_list.h"

namespace sbc::sip {

namespace {

// Cursor over the Via text; each take_* consumes one grammar element.
class ViaScanner {
 public:
  explicit ViaScanner(std::string_view text) : text_(text) {}

  void skip_lws() {
    while (pos_ < text_.size() && is_lws(text_[pos_])) ++pos_;
  }

  std::string_view take_token() {
    const size_t start = pos_;
    while (pos_ < text_.size() && is_token_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  bool take_slash() {
    skip_lws();
    if (pos_ >= text_.size() || text_[pos_] != '/') return false;
    ++pos_;
    skip_lws();
    return true;
  }

  size_t position() const { return pos_; }
  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool parse_sent_protocol(ViaScanner& scanner, std::string_view text, Via& out) {
  const size_t start = scanner.position();
  const std::string_view name = scanner.take_token();
  if (!iequals(name, "SIP") || !scanner.take_slash()) return false;
  const std::string_view version = scanner.take_token();
  if (version != "2.0" || !scanner.take_slash()) return false;
  out.transport = scanner.take_token();
  if (out.transport.empty()) return false;
  out.protocol = text.substr(start, scanner.position() - start);
  return true;
}

bool parse_rport(std::string_view params, Via& out) {
  const std::string_view value = find_param(params, "rport", &out.has_rport);
  if (!out.has_rport || value.empty()) return true;
  uint64_t port = 0;
  if (!parse_decimal(value, 65535, port)) return false;
  out.rport = static_cast<uint16_t>(port);
  return true;
}

bool parse_sent_by_and_params(std::string_view rest, Via& out) {
  const size_t semicolon = rest.find(';');
  HostPort sent_by;
  if (!parse_host_port(rest.substr(0, semicolon), sent_by)) return false;
  out.host = sent_by.host;
  out.port_text = sent_by.port_text;
  out.port = sent_by.port;
  out.host_is_ipv6 = sent_by.is_ipv6;
  if (semicolon == std::string_view::npos) return true;
  out.params = trim_lws(rest.substr(semicolon + 1));
  if (!params_well_formed(out.params)) return false;
  out.branch = find_param(out.params, "branch");
  out.received = find_param(out.params, "received");
  return parse_rport(out.params, out);
}

}  // namespace

bool parse_via(std::string_view text, Via& out) {
  out = Via{};
  text = trim_lws(text);
  ViaScanner scanner(text);
  if (!parse_sent_protocol(scanner, text, out)) return false;
  const size_t before_blank = scanner.position();
  scanner.skip_lws();
  if (scanner.position() == before_blank) return false;  // sent-by needs LWS first
  return parse_sent_by_and_params(scanner.rest(), out);
}

}  // namespace sbc::sip
