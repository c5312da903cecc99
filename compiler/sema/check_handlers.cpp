// Pass: handlers. Request handlers per method, reply handlers per status class, failure
// handlers per dispatcher set; statements allowed where they make sense; well-typed
// values; forwarding only through faces that can send that transport; every path of a
// request handler ending in a decision; `match` with both arms; handlers that can never
// run because an earlier one always wins.
#include <algorithm>
#include <map>

#include "sema/check_expressions.h"
#include "sema/sema_context.h"

namespace sbcc {
namespace {

// Methods that start a transaction of their own; ACK, CANCEL, BYE and PRACK are
// handled by the transaction and dialog layers, never by a route.
constexpr std::string_view routable_methods[] = {"INVITE", "OPTIONS", "REGISTER", "MESSAGE", "SUBSCRIBE",
                                                 "NOTIFY", "PUBLISH", "REFER",    "INFO",    "UPDATE"};

// Headers whose values the proxy itself maintains; a policy may not rewrite them.
constexpr std::string_view protected_headers[] = {"via", "call-id", "cseq", "from", "to", "route", "record-route",
                                                  "content-length", "max-forwards", "v", "i", "f", "t", "l"};

bool face_has_transport(const SemaContext& ctx, uint32_t face, Transport transport) {
  for (const auto& l : ctx.model.listeners) {
    if (l.face == face && l.transport == transport) return true;
  }
  return false;
}

std::optional<uint32_t> enum_index(const SemaContext& ctx, std::string_view name) {
  for (uint32_t i = 0; i < ctx.model.enums.size(); ++i) {
    if (ctx.model.enums[i].name == name) return i;
  }
  return std::nullopt;
}

// The transport a URI literal asks for: `;transport=` or sips:, else UDP.
Transport uri_literal_transport(std::string_view uri) {
  if (uri.starts_with("sips:") || uri.find(";transport=tls") != std::string_view::npos) return Transport::Tls;
  if (uri.find(";transport=tcp") != std::string_view::npos) return Transport::Tcp;
  return Transport::Udp;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class HandlerChecker {
 public:
  HandlerChecker(SemaContext& ctx, const ast::HandlerDecl& handler, std::optional<uint32_t> from)
      : ctx_(ctx), handler_(handler), from_(from) {
    scope_.handler = handler.kind;
  }

  void check(ast::HandlerDecl& handler) {
    bool decided = check_block(handler.body);
    if (handler.kind == ast::HandlerKind::Request && !decided) {
      auto& d = ctx_.diags.report(DiagKind::MissingDecision, handler.method.range,
                                  "handler for " + handler.method.text + " can end without `forward` or `reply`");
      d.hint = "end every branch with `forward to …` or `reply CODE \"reason\"`";
    }
  }

 private:
  // Returns true when every path through the block ends in forward or reply.
  bool check_block(ast::Block& block) {
    bool decided = false;
    for (auto& stmt : block) {
      if (decided) {
        auto& d = ctx_.diags.report(DiagKind::UnreachableStatement, stmt->range, "statement is never executed");
        d.hint = "a `forward` or `reply` above ends the handler; remove this statement or move it up";
        break;  // one diagnostic per block, not one per dead line
      }
      decided = check_statement(*stmt);
    }
    return decided;
  }

  bool allowed(const ast::Stmt& stmt, std::string_view what) {
    bool ok = true;
    std::string why;
    if (handler_.kind == ast::HandlerKind::Reply &&
        (stmt.kind == ast::StmtKind::Forward || stmt.kind == ast::StmtKind::Reply ||
         stmt.kind == ast::StmtKind::Retry || stmt.kind == ast::StmtKind::MediaRelay)) {
      ok = false;
      why = "a reply handler observes responses; it cannot " + std::string(what);
    } else if (stmt.kind == ast::StmtKind::Retry && (handler_.kind != ast::HandlerKind::Failure || !from_)) {
      ok = false;
      why = "`retry next` needs a dispatcher set to take the next destination from";
    }
    if (!ok) {
      auto& d = ctx_.diags.report(DiagKind::StatementNotAllowed, stmt.range, why);
      d.hint = stmt.kind == ast::StmtKind::Retry ? "use it inside `on failure from SET { … }`"
                                                 : "decide in the `on request` or `on failure` handler instead";
    }
    return ok;
  }

  bool check_statement(ast::Stmt& stmt) {
    switch (stmt.kind) {
      case ast::StmtKind::If: {
        check_condition(ctx_, *stmt.condition, scope_);
        bool then_decided = check_block(stmt.then_block);
        bool else_decided = check_block(stmt.else_block);
        return then_decided && else_decided && !stmt.else_block.empty();
      }
      case ast::StmtKind::Match: return check_match(stmt);
      case ast::StmtKind::MediaRelay:
        if (allowed(stmt, "anchor media")) check_media(stmt);
        return false;
      case ast::StmtKind::Forward:
        if (allowed(stmt, "forward")) check_forward(stmt);
        return true;
      case ast::StmtKind::Retry:
        allowed(stmt, "retry");
        return false;  // when no destination is left, the handler goes on
      case ast::StmtKind::Reply:
        if (allowed(stmt, "reply")) check_reply(stmt);
        return true;
      case ast::StmtKind::Log: check_log(stmt); return false;
      case ast::StmtKind::DialogAssign: check_dialog_assign(stmt); return false;
      case ast::StmtKind::HeaderSet:
      case ast::StmtKind::HeaderRemove: check_header(stmt); return false;
    }
    return false;
  }

  bool check_match(ast::Stmt& stmt) {
    Type subject = check_expression(ctx_, *stmt.condition, scope_);
    bool usable = subject.kind == TypeKind::Option;
    if (subject != Type::Error && !usable) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, stmt.condition->range,
                                  "`match` takes a table look-up, found " + ctx_.model.describe(subject));
      d.hint = "write `match TABLE[KEY] { some(row) => … none => … }`";
    }
    for (const auto& dup : stmt.duplicate_arms) {
      auto& d = ctx_.diags.report(DiagKind::MatchNotExhaustive, dup, "this `match` already has such an arm");
      d.hint = "keep one `some(…)` arm and one `none` arm";
    }
    bool has_some = stmt.binding.has_value();
    bool has_none = stmt.none_range.end != 0;
    if (!has_some || !has_none) {
      auto& d = ctx_.diags.report(DiagKind::MatchNotExhaustive, stmt.condition->range,
                                  std::string("`match` has no `") + (has_some ? "none" : "some(…)") + "` arm");
      d.hint = has_some ? "add `none => reply 404 \"Not Found\"` (or another decision)"
                        : "add `some(row) => { … }` to use the row that was found";
    }
    ExprScope outer = scope_;
    if (usable && has_some) {
      scope_.row_binding = &*stmt.binding;
      scope_.row_table = subject.id;
    }
    bool some_decided = check_block(stmt.then_block);
    scope_ = outer;
    bool none_decided = check_block(stmt.else_block);
    // A missing arm is reported above; counting it as decided avoids a second warning.
    return (!has_some || some_decided) && (!has_none || none_decided);
  }

  bool expect_face(ast::Expr& e) {
    Type t = check_expression(ctx_, e, scope_);
    if (t == Type::Error) return false;
    if (t != Type::Face) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range, "expected face, found " + ctx_.model.describe(t));
      d.hint = "name an `interface`, or choose one with `cond ? face_a : face_b`";
      return false;
    }
    return true;
  }

  // Requires a value of the prelude enum `name` (transport, media_profile).
  bool expect_enum(ast::Expr& e, std::string_view name) {
    Type t = check_expression(ctx_, e, scope_);
    auto index = enum_index(ctx_, name);
    if (t == Type::Error || !index) return false;
    if (t != Type::enumeration(*index)) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "expected " + std::string(name) + ", found " + ctx_.model.describe(t));
      std::string values;
      for (const auto& m : ctx_.model.enums[*index].members) values += (values.empty() ? "`" : ", `") + m + "`";
      d.hint = "one of " + values + ", or a table column of that type";
      return false;
    }
    return true;
  }

  void check_media(ast::Stmt& stmt) {
    bool ok = expect_face(*stmt.media_from);
    ok = expect_face(*stmt.media_to) && ok;
    if (stmt.media_profile) expect_enum(*stmt.media_profile, "media_profile");
    if (ok && stmt.media_from->kind == ast::ExprKind::Name && stmt.media_to->kind == ast::ExprKind::Name &&
        stmt.media_from->symbol.kind == SymbolKind::Face && stmt.media_to->symbol.kind == SymbolKind::Face &&
        stmt.media_from->symbol.index == stmt.media_to->symbol.index) {
      auto& d = ctx_.diags.report(DiagKind::MediaRelaySameFace, stmt.range,
                                  "media is relayed from `" + stmt.media_from->text + "` back to the same face");
      d.hint = "relay between two different faces, e.g. `media relay from external to internal`";
    }
  }

  static std::optional<uint32_t> constant_face(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Name && e.symbol.kind == SymbolKind::Face) return e.symbol.index;
    return std::nullopt;
  }

  static std::optional<Transport> constant_transport(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Name && e.symbol.kind == SymbolKind::EnumMember) {
      return static_cast<Transport>(e.symbol.member);
    }
    return std::nullopt;
  }

  void check_forward(ast::Stmt& stmt) {
    std::optional<uint32_t> face;
    std::optional<Transport> transport;
    if (stmt.target.kind == ast::TargetKind::Named) {
      const SymbolEntry* entry = ctx_.resolve(stmt.target.text, SymbolKind::Dispatcher, stmt.target.range);
      if (entry && entry->symbol.index < ctx_.model.dispatchers.size()) {
        const auto& set = ctx_.model.dispatchers[entry->symbol.index];
        face = set.face;
        transport = set.transport;
      }
    } else if (stmt.target.kind == ast::TargetKind::Uri && !stmt.target.text.starts_with("sip")) {
      ctx_.diags.report(DiagKind::InvalidLiteral, stmt.target.range, "forward target must be a sip: or sips: URI");
    }
    bool face_given = false;
    if (stmt.via_face) {
      if (!expect_face(*stmt.via_face)) return;
      face = constant_face(*stmt.via_face);
      face_given = true;
    }
    if (stmt.via_transport) {
      const ast::Expr& t = *stmt.via_transport;
      if (t.kind == ast::ExprKind::Name && !ctx_.lookup(t.text)) {
        auto& d = ctx_.diags.report(DiagKind::UnknownTransport, t.range, "unknown transport `" + t.text + "`");
        d.hint = "use `udp`, `tcp` or `tls`, or a table column of type transport";
        return;
      }
      if (!expect_enum(*stmt.via_transport, "transport")) return;
      transport = constant_transport(*stmt.via_transport);
      if (!transport) return;  // chosen at run time (a table column): checked there
    }
    // For `forward to ruri` the transport comes from the Request-URI at run time.
    if (!transport && stmt.target.kind == ast::TargetKind::Uri) transport = uri_literal_transport(stmt.target.text);
    bool can_send = !(face && face_given && transport) || check_face_can_send(*face, *transport, stmt);
    if (can_send && transport == Transport::Tls) check_tls_client(stmt);
  }

  bool check_face_can_send(uint32_t face, Transport transport, const ast::Stmt& stmt) {
    if (face_has_transport(ctx_, face, transport)) return true;
    SourceRange where = stmt.via_transport ? stmt.via_transport->range : stmt.via_face->range;
    const auto& name = ctx_.model.faces[face].name;
    auto& d = ctx_.diags.report(DiagKind::NoListenerForTransport, where,
                                "face `" + name + "` has no " + std::string(transport_name(transport)) + " listener");
    d.labels.push_back({ctx_.policy.interfaces[face].name.range, "`" + name + "` is declared here"});
    d.hint = "add `sip " + std::string(transport_name(transport)) + " ADDRESS:PORT` to interface `" + name + "`";
    return false;
  }

  void check_tls_client(const ast::Stmt& stmt) {
    for (const auto& p : ctx_.model.tls) {
      if (!p.server) return;
    }
    SourceRange where = stmt.via_transport ? stmt.via_transport->range : stmt.target.range;
    auto& d = ctx_.diags.report(DiagKind::TlsWithoutProfile, where, "forwarding over TLS without a TLS client profile");
    d.hint = "declare `tls client { ca \"…\" verify on }`";
  }

  void check_reply(ast::Stmt& stmt) {
    if (stmt.reply_code < 200 || stmt.reply_code > 699) {
      auto& d = ctx_.diags.report(DiagKind::InvalidLiteral, stmt.reply_code_range,
                                  "cannot reply with status " + std::to_string(stmt.reply_code));
      d.hint = "a reply that ends routing is a final response, 200..699";
    }
  }

  void check_log(ast::Stmt& stmt) {
    if (!stmt.log_level) return;
    const std::string& level = stmt.log_level->text;
    if (level != "debug" && level != "info" && level != "warn" && level != "error") {
      auto& d = ctx_.diags.report(DiagKind::UnknownName, stmt.log_level->range, "unknown log level `" + level + "`");
      auto s = closest_spelling(level, {"debug", "info", "warn", "error"});
      d.hint = s ? "did you mean `" + *s + "`?" : "use debug, info, warn or error";
    }
  }

  void check_dialog_assign(ast::Stmt& stmt) {
    Type value = check_expression(ctx_, *stmt.value, scope_);
    const auto& vars = ctx_.model.dialog_vars;
    auto it = std::find_if(vars.begin(), vars.end(), [&](const ColumnModel& v) { return v.name == stmt.name.text; });
    if (it == vars.end()) {
      std::vector<std::string> names;
      for (const auto& v : vars) names.push_back(v.name);
      auto& d = ctx_.diags.report(DiagKind::UnknownName, stmt.name.range, "unknown dialog variable `" + stmt.name.text + "`");
      auto s = closest_spelling(stmt.name.text, names);
      d.hint = s ? "did you mean `" + *s + "`?" : "declare it in `dialog { " + stmt.name.text + ": TYPE }`";
      return;
    }
    if (value != Type::Error && value != it->type) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, stmt.value->range,
                                  "dialog variable `" + it->name + "` holds " + ctx_.model.describe(it->type) +
                                      ", not " + ctx_.model.describe(value));
      d.hint = "assign a value of the declared type";
    }
  }

  void check_header(ast::Stmt& stmt) {
    std::string name = lowercase(stmt.name.text);
    bool is_protected = std::find(std::begin(protected_headers), std::end(protected_headers), name) !=
                        std::end(protected_headers);
    if (is_protected || name.empty() || name.find_first_of(" :\r\n") != std::string::npos) {
      auto& d = ctx_.diags.report(DiagKind::StatementNotAllowed, stmt.name.range,
                                  is_protected ? "the proxy maintains `" + stmt.name.text + "` itself"
                                               : "`" + stmt.name.text + "` is not a header name");
      d.hint = is_protected ? "routing headers follow RFC 3261; change routing with `forward` instead"
                            : "header names are tokens such as `X-Customer`";
    }
    if (stmt.kind == ast::StmtKind::HeaderSet) {
      Type t = check_expression(ctx_, *stmt.value, scope_);
      if (t != Type::Error && t != Type::String) {
        auto& d = ctx_.diags.report(DiagKind::TypeMismatch, stmt.value->range,
                                    "a header value is a string, found " + ctx_.model.describe(t));
        d.hint = "use a string, e.g. `\"gold\"` or `ruri.user`";
      }
    }
  }

  SemaContext& ctx_;
  const ast::HandlerDecl& handler_;
  std::optional<uint32_t> from_;
  ExprScope scope_;
};

void check_dispatcher_faces(SemaContext& ctx) {
  for (uint32_t i = 0; i < ctx.model.dispatchers.size(); ++i) {
    const auto& set = ctx.model.dispatchers[i];
    const auto& decl = ctx.policy.dispatchers[i];
    const SymbolEntry* entry = ctx.lookup(decl.face.text);
    bool resolved = entry && !entry->poisoned && entry->symbol.kind == SymbolKind::Face;
    if (!resolved || !parse_transport(decl.transport.text)) continue;  // already reported
    if (face_has_transport(ctx, set.face, set.transport)) continue;
    const auto& face = ctx.model.faces[set.face].name;
    auto& d = ctx.diags.report(DiagKind::NoListenerForTransport, decl.transport.range,
                               "dispatcher set `" + set.name + "` sends " +
                                   std::string(transport_name(set.transport)) + " through face `" + face +
                                   "`, which has no such listener");
    d.labels.push_back({ctx.policy.interfaces[set.face].name.range, "`" + face + "` is declared here"});
    d.hint = "add a " + std::string(transport_name(set.transport)) + " listener to `" + face +
             "` or send through another transport";
  }
}

// The status codes `on reply CODE` matches: one code, or a class such as 2xx.
std::optional<std::pair<uint32_t, uint32_t>> reply_codes(const ast::Ident& code) {
  if (code.text.size() == 3 && code.text.ends_with("xx")) {
    uint32_t cls = static_cast<uint32_t>(code.text[0] - '0');
    return std::pair{cls * 100, cls * 100 + 99};
  }
  uint32_t value = static_cast<uint32_t>(std::strtoul(code.text.c_str(), nullptr, 10));
  if (value < 100 || value > 699) return std::nullopt;
  return std::pair{value, value};
}

bool register_request_handler(SemaContext& ctx, HandlerModel& model, const ast::HandlerDecl& handler,
                              std::map<std::string, SourceRange>& seen) {
  const auto& method = handler.method;
  auto index = sip_method_index(method.text);
  bool routable = std::find(std::begin(routable_methods), std::end(routable_methods), method.text) !=
                  std::end(routable_methods);
  if (!index || !routable) {
    auto& d = ctx.diags.report(DiagKind::UnknownMethod, method.range,
                               index ? "`" + method.text + "` requests are routed by their dialog, not by a handler"
                                     : "unknown SIP method `" + method.text + "`");
    std::vector<std::string> names(std::begin(routable_methods), std::end(routable_methods));
    if (auto s = closest_spelling(method.text, names); s && !index) d.hint = "did you mean `" + *s + "`?";
    if (index) d.hint = "in-dialog requests follow Record-Route automatically; remove this handler";
    return false;
  }
  if (auto [it, inserted] = seen.emplace(method.text, method.range); !inserted) {
    auto& d = ctx.diags.report(DiagKind::DuplicateHandler, method.range, "second handler for " + method.text);
    d.labels.push_back({it->second, "first handler is here"});
    d.hint = "merge the two handlers into one";
    return false;
  }
  model.method = *index;
  return true;
}

// A later reply or failure handler that an earlier one always pre-empts.
void check_shadowing(SemaContext& ctx, const std::vector<HandlerModel>& handlers) {
  for (size_t j = 0; j < handlers.size(); ++j) {
    const auto& later = handlers[j];
    if (later.kind == ast::HandlerKind::Request) continue;
    for (size_t i = 0; i < j; ++i) {
      const auto& earlier = handlers[i];
      if (earlier.kind != later.kind) continue;
      bool codes_covered = later.kind == ast::HandlerKind::Failure ||
                           (earlier.status_low <= later.status_low && later.status_high <= earlier.status_high);
      bool sets_covered = !earlier.from || earlier.from == later.from;
      if (!codes_covered || !sets_covered) continue;
      auto& d = ctx.diags.report(DiagKind::UnreachableHandler, later.decl->method.range,
                                 "this handler never runs: an earlier one always matches first");
      d.labels.push_back({earlier.decl->method.range, "this handler is tried first"});
      d.hint = "move the more specific handler above the general one";
      break;
    }
  }
}

}  // namespace

void check_handlers(SemaContext& ctx) {
  check_dispatcher_faces(ctx);
  std::map<std::string, SourceRange> seen_methods;
  std::vector<HandlerModel> handlers;
  for (auto& handler : ctx.policy.handlers) {
    HandlerModel model;
    model.kind = handler.kind;
    model.decl = &handler;
    bool ok = true;
    if (handler.kind == ast::HandlerKind::Request) {
      ok = register_request_handler(ctx, model, handler, seen_methods);
    } else if (handler.kind == ast::HandlerKind::Reply) {
      auto codes = reply_codes(handler.method);
      if (!codes) {
        auto& d = ctx.diags.report(DiagKind::InvalidLiteral, handler.method.range,
                                   "`" + handler.method.text + "` is not a status code or class");
        d.hint = "write a code such as 486 or a class such as 2xx";
        ok = false;
      } else {
        std::tie(model.status_low, model.status_high) = *codes;
      }
    }
    if (handler.from) {
      const SymbolEntry* set = ctx.resolve(handler.from->text, SymbolKind::Dispatcher, handler.from->range);
      if (set) model.from = set->symbol.index;
      ok = ok && set;
    }
    HandlerChecker(ctx, handler, model.from).check(handler);
    if (ok) handlers.push_back(model);
  }
  check_shadowing(ctx, handlers);
  ctx.model.handlers = std::move(handlers);
}

}  // namespace sbcc
