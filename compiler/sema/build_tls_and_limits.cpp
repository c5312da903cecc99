// Pass: TLS server and client profiles (versions, certificate, key, CA list, verify,
// require) with their files checked, and the TCP/TLS connection limits.
#include <charconv>

#include "basic/duration.h"
#include "sema/sema_context.h"

namespace sbcc {
namespace {

bool known_version(std::string_view v) { return v == "1.2" || v == "1.3"; }

void build_profile(SemaContext& ctx, const ast::TlsDecl& decl) {
  TlsProfileModel profile;
  profile.name = decl.name.text;
  profile.server = decl.server;
  for (const auto& existing : ctx.model.tls) {
    if (existing.name == profile.name && existing.server == profile.server) {
      auto& d = ctx.diags.report(DiagKind::DuplicateDefinition, decl.name.range,
                                 std::string(decl.server ? "server" : "client") + " TLS profile `" + profile.name +
                                     "` is already declared");
      d.hint = "give the second profile another name and refer to it with `tls NAME`";
      return;
    }
  }
  if (decl.min_version) {
    for (const auto* v : {&*decl.min_version, &*decl.max_version}) {
      if (!known_version(v->first)) {
        auto& d = ctx.diags.report(DiagKind::InvalidLiteral, v->second, "TLS version " + v->first + " is not supported");
        d.hint = "use 1.2 or 1.3 (older versions are insecure), e.g. `versions 1.2+`";
        return;
      }
    }
    profile.min_version = decl.min_version->first;
    profile.max_version = decl.open_ended ? "" : decl.max_version->first;
  }
  for (const auto& [key, value] : decl.files) {
    const std::string& k = key.text;
    if (k == "ciphers") {
      profile.ciphers = value.first;
      continue;
    }
    std::string path = resolve_path(ctx, value.first, value.second);
    check_file_exists(ctx, path, value.first, value.second, k == "ca" ? "CA list" : k);
    (k == "certificate" ? profile.certificate : k == "key" ? profile.key : profile.ca) = path;
  }
  for (const auto& [key, on] : decl.switches) (key.text == "verify" ? profile.verify : profile.require) = on;
  if (decl.server && (profile.certificate.empty() || profile.key.empty())) {
    auto& d = ctx.diags.report(DiagKind::TlsWithoutProfile, decl.name.range,
                               "TLS server profile `" + profile.name + "` has no " +
                                   (profile.certificate.empty() ? "certificate" : "private key"));
    d.hint = "a server needs both `certificate \"…\"` and `key \"…\"`";
  }
  ctx.model.tls.push_back(std::move(profile));
}

uint64_t duration_seconds(const std::string& value) { return duration_ms(value) / 1000; }

// limits { media timeout 60s }: rtpengine's `timeout`, here for every relayed stream.
void apply_media_limit(SemaContext& ctx, const ast::Ident& name, const std::string& value, SourceRange value_range) {
  uint64_t number = 0;
  std::from_chars(value.data(), value.data() + value.size(), number);
  bool is_duration = value.find_first_not_of("0123456789") != std::string::npos;
  if (name.text != "timeout") {
    auto& d = ctx.diags.report(DiagKind::UnknownName, name.range, "unknown media limit `" + name.text + "`");
    auto s = closest_spelling(name.text, {"timeout"});
    d.hint = s ? "did you mean `" + *s + "`?" : "the media limit is `timeout DURATION`";
    return;
  }
  uint64_t seconds = duration_seconds(value);
  if (!is_duration || seconds < 1 || seconds > 86400) {
    auto& d = ctx.diags.report(DiagKind::InvalidLiteral, value_range, "invalid value for `media timeout`");
    d.hint = "a duration of 1s to 24h, such as `60s`";
    return;
  }
  ctx.model.limits.media_timeout_s = static_cast<uint32_t>(seconds);
}

void apply_limit(SemaContext& ctx, Transport transport, const ast::Ident& name, const std::string& value,
                 SourceRange value_range) {
  uint64_t number = 0;
  std::from_chars(value.data(), value.data() + value.size(), number);
  bool is_duration = value.find_first_not_of("0123456789") != std::string::npos;
  if (name.text == "max_connections" && !is_duration && number > 0 && number <= 1'000'000) {
    (transport == Transport::Tls ? ctx.model.limits.tls_max_connections : ctx.model.limits.tcp_max_connections) =
        static_cast<uint32_t>(number);
  } else if (name.text == "lifetime" && is_duration) {
    uint64_t seconds = duration_seconds(value);
    (transport == Transport::Tls ? ctx.model.limits.tls_lifetime_s : ctx.model.limits.tcp_lifetime_s) =
        static_cast<uint32_t>(std::min<uint64_t>(seconds, UINT32_MAX));
  } else if (name.text == "max_connections" || name.text == "lifetime") {
    auto& d = ctx.diags.report(DiagKind::InvalidLiteral, value_range, "invalid value for `" + name.text + "`");
    d.hint = name.text == "lifetime" ? "a duration such as `3605s`" : "a number of connections, 1..1000000";
  } else {
    auto& d = ctx.diags.report(DiagKind::UnknownName, name.range, "unknown limit `" + name.text + "`");
    auto s = closest_spelling(name.text, {"max_connections", "lifetime"});
    d.hint = s ? "did you mean `" + *s + "`?" : "the limits are `max_connections N` and `lifetime DURATION`";
  }
}

}  // namespace

void build_tls_and_limits(SemaContext& ctx) {
  for (const auto& decl : ctx.policy.tls) build_profile(ctx, decl);
  for (const auto& line : ctx.policy.limits) {
    if (line.transport.text == "media") {
      for (const auto& [name, value] : line.settings) apply_media_limit(ctx, name, value.first, value.second);
      continue;
    }
    auto transport = parse_transport(line.transport.text);
    if (!transport || *transport == Transport::Udp) {
      auto& d = ctx.diags.report(DiagKind::UnknownTransport, line.transport.range,
                                 "limits apply to `tcp`, `tls` or `media`, not `" + line.transport.text + "`");
      d.hint = "write `tcp max_connections 2048 lifetime 3605s` or `media timeout 60s`";
      continue;
    }
    for (const auto& [name, value] : line.settings) apply_limit(ctx, *transport, name, value.first, value.second);
  }
}

}  // namespace sbcc
