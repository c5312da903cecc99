// See ast_printer.h. Types appear after sema has run (`: type`).
#include "syntax/ast_printer.h"

namespace sbcc {
namespace {

class Printer {
 public:
  Printer(std::ostream& out, const SourceManager& sources) : out_(out), sources_(sources) {}

  void policy(const ast::Policy& p) {
    if (p.identity) line(0, p.identity->range, "Sbc \"" + p.identity->name + "\"");
    for (const auto& l : p.lets) {
      line(0, l.range, "Let " + l.name.text);
      expr(1, *l.value);
    }
    for (const auto& f : p.interfaces) interface(f);
    for (const auto& a : p.aliases) {
      line(0, a.range, "Aliases");
      for (const auto& v : a.values) expr(1, *v);
    }
    for (const auto& n : p.networks) {
      line(0, n.range, "Networks " + n.name.text);
      for (const auto& m : n.members) expr(1, *m);
    }
    for (const auto& d : p.dispatchers) dispatcher(d);
    for (const auto& i : p.imports) line(0, i.range, "Import \"" + i.path + "\"");
    for (const auto& e : p.enums) {
      std::string text = "Enum " + e.name.text;
      for (const auto& m : e.members) text += " " + m.text;
      line(0, e.range, text);
    }
    for (const auto& t : p.tls) {
      line(0, t.range, std::string("Tls ") + (t.server ? "server " : "client ") + t.name.text);
    }
    for (const auto& d : p.databases) line(0, d.range, "Database " + d.name.text + " " + d.engine.text + " \"" + d.location + "\"");
    for (const auto& t : p.tables) {
      std::string text = "Table " + t.name.text + " in " + t.database.text + " key " + t.key.name.text + ":" + t.key.type.text;
      for (const auto& c : t.columns) text += " " + c.name.text + ":" + c.type.text;
      line(0, t.range, text);
    }
    if (p.http) line(0, p.http->range, "Http");
    for (const auto& h : p.handlers) {
      const char* kind = h.kind == ast::HandlerKind::Request ? "OnRequest " : h.kind == ast::HandlerKind::Reply ? "OnReply " : "OnFailure";
      line(0, h.range, kind + (h.kind == ast::HandlerKind::Failure ? std::string() : h.method.text) +
                           (h.from ? " from " + h.from->text : ""));
      block(1, h.body);
    }
  }

 private:
  void line(int depth, SourceRange range, const std::string& text) {
    LineColumn lc = sources_.line_column({range.file, range.begin});
    out_ << std::string(depth * 2, ' ') << text << "  <" << lc.line << ":" << lc.column << ">\n";
  }

  void interface(const ast::InterfaceDecl& f) {
    line(0, f.range, "Interface " + f.name.text);
    for (const auto& l : f.listeners) {
      std::string text = "SipListener " + l.transport.text;
      if (l.name) text += " name=\"" + l.name->text + "\"";
      line(1, l.range, text);
      host_port(2, "bind", l.bind);
      if (l.advertise) host_port(2, "advertise", *l.advertise);
    }
    for (const auto& r : f.rtp) {
      line(1, r.range, "Rtp ports " + std::to_string(r.port_min) + ".." + std::to_string(r.port_max));
      expr(2, *r.address);
      if (r.advertise) expr(2, *r.advertise);
    }
  }

  void host_port(int depth, const std::string& role, const ast::HostPort& hp) {
    line(depth, hp.range, role + (hp.port ? " port=" + std::to_string(*hp.port) : ""));
    expr(depth + 1, *hp.host);
  }

  void dispatcher(const ast::DispatcherDecl& d) {
    line(0, d.range, "Dispatcher " + d.name.text + " via " + d.face.text + " " + d.transport.text);
    for (const auto& dest : d.destinations) {
      std::string text = "Destination " + dest.uri.text;
      for (const auto& a : dest.attributes) text += " " + a.name.text + "=" + a.value;
      line(1, dest.range, text);
    }
    if (d.pick) line(1, d.pick->range, "Pick " + d.pick->text);
    if (d.probe) {
      std::string text = "Probe " + d.probe->method.text + " every " + std::to_string(d.probe->interval_ms) +
                         "ms from " + d.probe->from.text;
      for (const auto& [code, range] : d.probe->accept) text += " accept=" + std::to_string(code);
      line(1, d.probe->range, text);
    }
  }

  void block(int depth, const ast::Block& b) {
    for (const auto& s : b) statement(depth, *s);
  }

  void statement(int depth, const ast::Stmt& s) {
    switch (s.kind) {
      case ast::StmtKind::If:
        line(depth, s.range, "If");
        expr(depth + 1, *s.condition);
        line(depth + 1, s.range, "Then");
        block(depth + 2, s.then_block);
        if (!s.else_block.empty()) {
          line(depth + 1, s.range, "Else");
          block(depth + 2, s.else_block);
        }
        break;
      case ast::StmtKind::Match:
        line(depth, s.range, "Match");
        expr(depth + 1, *s.condition);
        line(depth + 1, s.some_range, "Some " + (s.binding ? s.binding->text : std::string("?")));
        block(depth + 2, s.then_block);
        line(depth + 1, s.none_range, "None");
        block(depth + 2, s.else_block);
        break;
      case ast::StmtKind::MediaRelay:
        line(depth, s.range, "MediaRelay");
        expr(depth + 1, *s.media_from);
        expr(depth + 1, *s.media_to);
        if (s.media_profile) expr(depth + 1, *s.media_profile);
        break;
      case ast::StmtKind::Forward:
        line(depth, s.range, "Forward " + s.target.text);
        if (s.via_face) expr(depth + 1, *s.via_face);
        if (s.via_transport) expr(depth + 1, *s.via_transport);
        break;
      case ast::StmtKind::Retry: line(depth, s.range, "RetryNext"); break;
      case ast::StmtKind::DialogAssign:
        line(depth, s.range, "DialogAssign " + s.name.text);
        expr(depth + 1, *s.value);
        break;
      case ast::StmtKind::HeaderSet:
        line(depth, s.range, std::string(s.header_add ? "HeaderAdd " : "HeaderSet ") + s.name.text);
        expr(depth + 1, *s.value);
        break;
      case ast::StmtKind::HeaderRemove: line(depth, s.range, "HeaderRemove " + s.name.text); break;
      case ast::StmtKind::Reply:
        line(depth, s.range, "Reply " + std::to_string(s.reply_code) + " \"" + s.reply_reason + "\"");
        break;
      case ast::StmtKind::Log:
        line(depth, s.range, "Log " + (s.log_level ? s.log_level->text + " " : "") + "\"" + s.log_message + "\"");
        break;
    }
  }

  static const char* kind_name(ast::ExprKind k) {
    switch (k) {
      case ast::ExprKind::Literal: return "Literal";
      case ast::ExprKind::Name: return "Name";
      case ast::ExprKind::Member: return "Member";
      case ast::ExprKind::Lookup: return "Lookup";
      case ast::ExprKind::Call: return "Call";
      case ast::ExprKind::Not: return "Not";
      case ast::ExprKind::IsMyself: return "IsMyself";
      case ast::ExprKind::In: return "In";
      case ast::ExprKind::Equal: return "Equal";
      case ast::ExprKind::NotEqual: return "NotEqual";
      case ast::ExprKind::And: return "And";
      case ast::ExprKind::Or: return "Or";
      case ast::ExprKind::Cond: return "Cond";
    }
    return "?";
  }

  void expr(int depth, const ast::Expr& e) {
    std::string text = kind_name(e.kind);
    if (!e.text.empty()) text += " " + e.text;
    if (e.type != Type::Error) text += " : " + type_name(e.type);
    line(depth, e.range, text);
    for (const auto& op : e.operands) expr(depth + 1, *op);
  }

  std::ostream& out_;
  const SourceManager& sources_;
};

}  // namespace

void print_ast(std::ostream& out, const SourceManager& sources, const ast::Policy& policy) {
  Printer(out, sources).policy(policy);
}

}  // namespace sbcc
