// Pass 5: dispatcher sets: the outbound face and transport, destinations with their
// attributes, the selection algorithm and OPTIONS probing.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "sema/sema_context.h"

namespace sbcc {
namespace {

std::optional<PickAlgorithm> parse_pick(std::string_view name) {
  if (name == "round_robin") return PickAlgorithm::RoundRobin;
  if (name == "hash_callid") return PickAlgorithm::HashCallId;
  if (name == "weight") return PickAlgorithm::Weight;
  if (name == "priority") return PickAlgorithm::Priority;
  if (name == "random") return PickAlgorithm::Random;
  return std::nullopt;
}

bool is_sip_uri(std::string_view uri) { return uri.starts_with("sip:") || uri.starts_with("sips:"); }

bool is_identifier(std::string_view word) {
  if (word.empty() || !(std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_')) return false;
  return std::all_of(word.begin(), word.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Destinations are dialled by address: the runtime does no DNS look-ups (yet), so a
// host name here would only fail at start-up.
void check_destination_host(SemaContext& ctx, std::string_view uri, SourceRange range) {
  std::string_view host = uri_host(uri);
  std::string_view bare = host.starts_with("[") && host.size() > 2 ? host.substr(1, host.size() - 2) : host;
  if (parse_ip(bare)) return;
  if (is_identifier(host) && host != "localhost") return;  // an unresolved constant, reported already
  auto& d = ctx.diags.report(DiagKind::InvalidLiteral, range,
                             "destination host `" + std::string(host) + "` is not an IP address");
  d.hint = "write the destination's address; host names are not resolved at run time";
}

// `sip:private_ip` names a constant for its host part, as in the article's
// ds_ping_from "sip:PRIVATE_IP4_ADDR": a bare word (no dot) in host position must be an
// address constant, and is replaced by its value. Host names need a dot.
std::string substitute_host_constant(SemaContext& ctx, const std::string& uri, SourceRange range) {
  size_t host_begin = uri.find(':') + 1;
  if (size_t at = uri.find('@', host_begin); at != std::string::npos) host_begin = at + 1;
  size_t host_end = uri.find_first_of(":;?", host_begin);
  std::string host = uri.substr(host_begin, host_end == std::string::npos ? std::string::npos : host_end - host_begin);
  if (!is_identifier(host) || host == "localhost") return uri;
  const SymbolEntry* entry = ctx.resolve(host, SymbolKind::Let, range);
  if (!entry) return uri;
  const ConstValue& value = ctx.model.constants[entry->symbol.index];
  if (value.type != Type::Address) {
    if (value.type != Type::Error) {
      auto& d = ctx.diags.report(DiagKind::TypeMismatch, range,
                                 "constant `" + host + "` in this URI is a " + ctx.model.describe(value.type) +
                                     ", not an address");
      d.hint = "the host of a URI must be an address";
    }
    return uri;
  }
  const auto& addr = std::get<IpAddress>(value.value);
  std::string text = addr.family == 6 ? "[" + addr.text + "]" : addr.text;
  return uri.substr(0, host_begin) + text + (host_end == std::string::npos ? "" : uri.substr(host_end));
}

void apply_attribute(SemaContext& ctx, DestinationModel& dest, const ast::Attribute& attr) {
  auto as_int = [&](int32_t& out) {
    int value = 0;
    auto r = std::from_chars(attr.value.data(), attr.value.data() + attr.value.size(), value);
    if (!attr.is_int || r.ec != std::errc()) {
      auto& d = ctx.diags.report(DiagKind::TypeMismatch, attr.value_range, "`" + attr.name.text + "` takes an integer");
      d.hint = "write `" + attr.name.text + " 10`";
      return;
    }
    out = value;
  };
  if (attr.name.text == "duid") {
    dest.duid = attr.value;
  } else if (attr.name.text == "priority") {
    as_int(dest.priority);
  } else if (attr.name.text == "weight") {
    as_int(dest.weight);
  } else {
    auto& d = ctx.diags.report(DiagKind::UnknownName, attr.name.range,
                               "unknown destination attribute `" + attr.name.text + "`");
    if (auto s = closest_spelling(attr.name.text, {"duid", "priority", "weight"})) d.hint = "did you mean `" + *s + "`?";
  }
}

ProbeModel build_probe(SemaContext& ctx, const ast::ProbeDecl& decl) {
  ProbeModel probe;
  probe.method = decl.method.text;
  if (decl.method.text != "OPTIONS" && decl.method.text != "INFO") {
    auto& d = ctx.diags.report(DiagKind::UnknownMethod, decl.method.range,
                               "`" + decl.method.text + "` cannot be used to probe a destination");
    d.hint = "probe with `OPTIONS`";
  }
  probe.interval_ms = static_cast<uint32_t>(decl.interval_ms);
  if (decl.interval_ms < 1000 || decl.interval_ms > 3'600'000) {
    auto& d = ctx.diags.report(DiagKind::InvalidLiteral, decl.interval_range, "probe interval must be 1s..1h");
    d.hint = "probe every few seconds, e.g. `every 30s`";
  }
  probe.from_uri = substitute_host_constant(ctx, decl.from.text, decl.from.range);
  if (!decl.accept.empty()) probe.accept_codes.clear();
  for (const auto& [code, range] : decl.accept) {
    if (code < 100 || code > 699) {
      auto& d = ctx.diags.report(DiagKind::InvalidLiteral, range, "status code " + std::to_string(code) + " is out of range");
      d.hint = "SIP status codes are 100..699";
      continue;
    }
    probe.accept_codes.push_back(static_cast<uint16_t>(code));
  }
  if (decl.threshold && (*decl.threshold == 0 || *decl.threshold > 1000)) {
    auto& d = ctx.diags.report(DiagKind::InvalidLiteral, decl.threshold_range,
                               "probe threshold " + std::to_string(*decl.threshold) + " is out of range");
    d.hint = "the number of failed probes that mark a destination down, 1..1000";
  } else if (decl.threshold) {
    probe.threshold = static_cast<uint32_t>(*decl.threshold);
  }
  if (decl.mode) {
    if (decl.mode->text == "always") {
      probe.always = true;
    } else if (decl.mode->text != "inactive") {
      auto& d = ctx.diags.report(DiagKind::UnknownName, decl.mode->range, "unknown probing mode `" + decl.mode->text + "`");
      d.hint = "use `always` (probe every destination) or `inactive` (only those marked down)";
    }
  }
  return probe;
}

void build_dispatcher(SemaContext& ctx, const ast::DispatcherDecl& decl) {
  DispatcherModel set;
  set.name = decl.name.text;
  if (const SymbolEntry* face = ctx.resolve(decl.face.text, SymbolKind::Face, decl.face.range)) {
    set.face = face->symbol.index;
  }
  if (auto t = parse_transport(decl.transport.text)) {
    set.transport = *t;
  } else {
    auto& d = ctx.diags.report(DiagKind::UnknownTransport, decl.transport.range,
                               "unknown transport `" + decl.transport.text + "`");
    d.hint = "use `udp`, `tcp` or `tls`";
  }
  if (decl.pick) {
    if (auto pick = parse_pick(decl.pick->text)) {
      set.pick = *pick;
    } else {
      auto& d = ctx.diags.report(DiagKind::UnknownName, decl.pick->range,
                                 "unknown selection algorithm `" + decl.pick->text + "`");
      auto s = closest_spelling(decl.pick->text, {"round_robin", "hash_callid", "weight", "priority", "random"});
      d.hint = s ? "did you mean `" + *s + "`?" : "use round_robin, hash_callid, weight, priority or random";
    }
  }
  for (const auto& dest_decl : decl.destinations) {
    DestinationModel dest{substitute_host_constant(ctx, dest_decl.uri.text, dest_decl.uri.range), {}, 0, 1};
    if (!is_sip_uri(dest.uri)) {
      ctx.diags.report(DiagKind::InvalidLiteral, dest_decl.uri.range, "destination must be a sip: or sips: URI");
    } else {
      check_destination_host(ctx, dest.uri, dest_decl.uri.range);
    }
    for (const auto& attr : dest_decl.attributes) apply_attribute(ctx, dest, attr);
    set.destinations.push_back(std::move(dest));
  }
  if (set.destinations.empty()) {
    auto& d = ctx.diags.report(DiagKind::EmptyDispatcher, decl.name.range,
                               "dispatcher set `" + decl.name.text + "` has no destinations");
    d.hint = "add a destination such as `sip:10.0.0.5:5060 duid \"ms1\"`";
  }
  if (decl.probe) set.probe = build_probe(ctx, *decl.probe);
  ctx.model.dispatchers.push_back(std::move(set));
}

}  // namespace

void build_dispatchers(SemaContext& ctx) {
  for (const auto& decl : ctx.policy.dispatchers) build_dispatcher(ctx, decl);
}

}  // namespace sbcc
