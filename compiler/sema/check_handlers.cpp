// Pass 6: request handlers: known methods, one handler per method, well-typed
// statements, forwarding only through faces that can send that transport, and every
// path ending in a routing decision.
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

bool face_has_transport(const SemaContext& ctx, uint32_t face, Transport transport) {
  for (const auto& l : ctx.model.listeners) {
    if (l.face == face && l.transport == transport) return true;
  }
  return false;
}

// The transport a URI literal asks for: `;transport=` or sips:, else UDP.
Transport uri_literal_transport(std::string_view uri) {
  if (uri.starts_with("sips:") || uri.find(";transport=tls") != std::string_view::npos) return Transport::Tls;
  if (uri.find(";transport=tcp") != std::string_view::npos) return Transport::Tcp;
  return Transport::Udp;
}

class HandlerChecker {
 public:
  explicit HandlerChecker(SemaContext& ctx) : ctx_(ctx) {}

  void check(ast::HandlerDecl& handler) {
    bool decided = check_block(handler.body);
    if (!decided) {
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

  bool check_statement(ast::Stmt& stmt) {
    switch (stmt.kind) {
      case ast::StmtKind::If: {
        check_condition(ctx_, *stmt.condition);
        bool then_decided = check_block(stmt.then_block);
        bool else_decided = check_block(stmt.else_block);
        return then_decided && else_decided && !stmt.else_block.empty();
      }
      case ast::StmtKind::MediaRelay: check_media(stmt); return false;
      case ast::StmtKind::Forward: check_forward(stmt); return true;
      case ast::StmtKind::Reply: check_reply(stmt); return true;
      case ast::StmtKind::Log: check_log(stmt); return false;
    }
    return false;
  }

  bool expect_face(ast::Expr& e) {
    Type t = check_expression(ctx_, e);
    if (t == Type::Error) return false;
    if (t != Type::Face) {
      auto& d = ctx_.diags.report(DiagKind::TypeMismatch, e.range,
                                  "expected face, found " + std::string(type_name(t)));
      d.hint = "name an `interface`, or choose one with `cond ? face_a : face_b`";
      return false;
    }
    return true;
  }

  void check_media(ast::Stmt& stmt) {
    bool ok = expect_face(*stmt.media_from);
    ok = expect_face(*stmt.media_to) && ok;
    if (stmt.media_profile && stmt.media_profile->text != "rtp" && stmt.media_profile->text != "srtp") {
      auto& d = ctx_.diags.report(DiagKind::UnknownName, stmt.media_profile->range,
                                  "unknown media profile `" + stmt.media_profile->text + "`");
      d.hint = "use `rtp` or `srtp`";
    }
    if (ok && stmt.media_from->kind == ast::ExprKind::Name && stmt.media_to->kind == ast::ExprKind::Name &&
        stmt.media_from->symbol.index == stmt.media_to->symbol.index) {
      auto& d = ctx_.diags.report(DiagKind::MediaRelaySameFace, stmt.range,
                                  "media is relayed from `" + stmt.media_from->text + "` back to the same face");
      d.hint = "relay between two different faces, e.g. `media relay from external to internal`";
    }
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
    if (stmt.via_face) {
      const SymbolEntry* entry = ctx_.resolve(stmt.via_face->text, SymbolKind::Face, stmt.via_face->range);
      if (!entry) return;
      face = entry->symbol.index;
    }
    if (stmt.via_transport) {
      transport = parse_transport(stmt.via_transport->text);
      if (!transport) {
        auto& d = ctx_.diags.report(DiagKind::UnknownTransport, stmt.via_transport->range,
                                    "unknown transport `" + stmt.via_transport->text + "`");
        d.hint = "use `udp`, `tcp` or `tls`";
        return;
      }
    }
    // For `forward to ruri` the transport comes from the Request-URI at run time.
    if (!transport && stmt.target.kind == ast::TargetKind::Uri) transport = uri_literal_transport(stmt.target.text);
    if (face && stmt.via_face && transport) check_face_can_send(*face, *transport, stmt);
  }

  void check_face_can_send(uint32_t face, Transport transport, const ast::Stmt& stmt) {
    if (face_has_transport(ctx_, face, transport)) return;
    SourceRange where = stmt.via_transport ? stmt.via_transport->range : stmt.via_face->range;
    const auto& name = ctx_.model.faces[face].name;
    auto& d = ctx_.diags.report(DiagKind::NoListenerForTransport, where,
                                "face `" + name + "` has no " + std::string(transport_name(transport)) + " listener");
    d.labels.push_back({ctx_.policy.interfaces[face].name.range, "`" + name + "` is declared here"});
    d.hint = "add `sip " + std::string(transport_name(transport)) + " ADDRESS:PORT` to interface `" + name + "`";
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

  SemaContext& ctx_;
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

}  // namespace

void check_handlers(SemaContext& ctx) {
  check_dispatcher_faces(ctx);
  std::map<std::string, SourceRange> seen;
  for (auto& handler : ctx.policy.handlers) {
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
    } else if (auto [it, inserted] = seen.emplace(method.text, method.range); !inserted) {
      auto& d = ctx.diags.report(DiagKind::DuplicateHandler, method.range, "second handler for " + method.text);
      d.labels.push_back({it->second, "first handler is here"});
      d.hint = "merge the two handlers into one";
    } else {
      ctx.model.handlers.push_back({*index, &handler});
    }
    HandlerChecker(ctx).check(handler);
  }
}

}  // namespace sbcc
