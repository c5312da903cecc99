// ANTLR parse tree -> ast::Policy. Each builder function handles one grammar rule.
#include "syntax/parser.h"

#include <algorithm>
#include <charconv>

#include "SbcLexer.h"
#include "SbcParser.h"
#include "antlr4-runtime.h"
#include "basic/duration.h"

namespace sbcc {
namespace {

// ANTLR indexes tokens by code point; diagnostics need byte offsets. The map is empty
// (identity) for the usual all-ASCII policy.
class OffsetMap {
 public:
  explicit OffsetMap(std::string_view text) {
    bool ascii = true;
    for (unsigned char c : text) ascii = ascii && c < 0x80;
    if (ascii) return;
    for (uint32_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_of_.push_back(i);  // not a continuation byte
    }
    byte_of_.push_back(static_cast<uint32_t>(text.size()));
  }

  uint32_t byte(size_t code_point) const {
    if (byte_of_.empty()) return static_cast<uint32_t>(code_point);
    return byte_of_[std::min(code_point, byte_of_.size() - 1)];
  }

 private:
  std::vector<uint32_t> byte_of_;
};

// Turns ANTLR's syntax errors into diagnostics that point at the offending token, in
// words a policy author uses rather than the grammar's token names.
class DiagnosticErrorListener : public antlr4::BaseErrorListener {
 public:
  DiagnosticErrorListener(FileId file, std::string_view text, const OffsetMap& offsets, DiagnosticEngine& diags)
      : file_(file), text_(text), offsets_(offsets), diags_(diags) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* token, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    SourceRange range{file_, 0, 0};
    if (token && token->getStartIndex() != kNoTokenIndex) {
      range.begin = offsets_.byte(token->getStartIndex());
      range.end = token->getType() == antlr4::Token::EOF ? range.begin : offsets_.byte(token->getStopIndex() + 1);
    }
    size_t type = token ? token->getType() : 0;
    if (type == static_cast<size_t>(SbcLexer::ERROR_CHAR)) {
      diags_.report(DiagKind::SyntaxError, range, "unexpected character `" + token->getText() + "`");
    } else if (type == static_cast<size_t>(SbcLexer::UNTERMINATED_STRING)) {
      auto& d = diags_.report(DiagKind::SyntaxError, range, "unterminated string");
      d.hint = "close the string with `\"` on the same line";
    } else if (type == antlr4::Token::EOF) {
      range = end_of_last_line();
      auto& d = diags_.report(DiagKind::SyntaxError, range, "unexpected end of file");
      std::string expected = expectation(msg);
      if (!expected.empty()) d.hint = "expected " + expected;
    } else {
      report_unexpected(range, msg, token);
    }
  }

 private:
  // A long "expecting {…}" list helps nobody: name the token, and keep the list short.
  void report_unexpected(SourceRange range, const std::string& msg, antlr4::Token* token) {
    std::string expected = expectation(msg);
    size_t alternatives = static_cast<size_t>(std::count(expected.begin(), expected.end(), ',')) + 1;
    if (expected.empty() || alternatives <= 6 || !token) {
      diags_.report(DiagKind::SyntaxError, range, humanize(msg));
      return;
    }
    auto& d = diags_.report(DiagKind::SyntaxError, range, "unexpected `" + token->getText() + "` here");
    d.hint = expected.find("a name") != std::string::npos ? "a name, keyword or statement was expected"
                                                          : "see docs/language.md for what can stand here";
  }

  // The last character before trailing whitespace: where a missing `}` belongs.
  SourceRange end_of_last_line() const {
    size_t end = text_.find_last_not_of(" \t\r\n");
    uint32_t at = end == std::string_view::npos ? 0 : static_cast<uint32_t>(end);
    return {file_, at, at + 1};
  }

  // Grammar token names as words.
  static std::string humanize(std::string msg) {
    static const std::pair<std::string_view, std::string_view> words[] = {
        {"SIP_URI", "a sip: URI"}, {"IPV4", "an IPv4 address"}, {"IPV6", "an IPv6 address"},
        {"CIDR", "a CIDR block"},  {"DURATION", "a duration"},  {"INT", "a number"},
        {"STRING", "a string"},    {"IDENT", "a name"},         {"<EOF>", "end of file"},
        {"'", "`"}};
    for (const auto& [from, to] : words) {
      for (size_t at = msg.find(from); at != std::string::npos; at = msg.find(from, at + to.size())) {
        msg.replace(at, from.size(), to);
      }
    }
    return msg;
  }

  static std::string expectation(const std::string& msg) {
    size_t at = msg.find("expecting ");
    return at == std::string::npos ? std::string() : humanize(msg.substr(at + 10));
  }

  static constexpr size_t kNoTokenIndex = static_cast<size_t>(-1);
  FileId file_;
  std::string_view text_;
  const OffsetMap& offsets_;
  DiagnosticEngine& diags_;
};

class AstBuilder {
 public:
  AstBuilder(FileId file, const OffsetMap& offsets) : file_(file), offsets_(offsets) {}

  ast::Policy build(SbcParser::PolicyContext* ctx) {
    ast::Policy policy;
    policy.file = file_;
    for (auto* item : ctx->item()) add_item(policy, item);
    return policy;
  }

 private:
  SourceRange range(antlr4::ParserRuleContext* ctx) const {
    auto* stop = ctx->getStop() ? ctx->getStop() : ctx->getStart();
    return {file_, offsets_.byte(ctx->getStart()->getStartIndex()), offsets_.byte(stop->getStopIndex() + 1)};
  }
  SourceRange range(antlr4::Token* token) const {
    return {file_, offsets_.byte(token->getStartIndex()), offsets_.byte(token->getStopIndex() + 1)};
  }
  SourceRange range(antlr4::tree::TerminalNode* node) const { return range(node->getSymbol()); }

  ast::Ident ident(antlr4::Token* token) const { return {token->getText(), range(token)}; }
  ast::Ident ident(antlr4::tree::TerminalNode* node) const { return ident(node->getSymbol()); }

  // Numbers too large for 64 bits saturate; sema reports them as out of range.
  static uint64_t to_u64(const std::string& digits) {
    uint64_t value = 0;
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return result.ec == std::errc() ? value : UINT64_MAX;
  }

  static std::string unquote(const std::string& quoted) {
    std::string out;
    for (size_t i = 1; i + 1 < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 2 < quoted.size()) {
        char next = quoted[++i];
        out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      } else {
        out += quoted[i];
      }
    }
    return out;
  }

  void add_item(ast::Policy& policy, SbcParser::ItemContext* item) {
    if (auto* c = item->importDecl()) {
      policy.imports.push_back({unquote(c->STRING()->getText()), range(c)});
    } else if (auto* c = item->logLevelDecl()) {
      policy.log_level = ident(c->IDENT());
    } else if (auto* c = item->enumDecl()) {
      ast::EnumDecl decl{ident(c->IDENT()), {}, range(c)};
      for (auto* member : c->ident()) decl.members.push_back(ident_of(member));
      policy.enums.push_back(std::move(decl));
    } else if (auto* c = item->tlsDecl()) {
      policy.tls.push_back(tls(c));
    } else if (auto* c = item->limitsDecl()) {
      for (auto* line : c->limitLine()) policy.limits.push_back(limit_line(line));
    } else if (auto* c = item->databaseDecl()) {
      policy.databases.push_back(database(c));
    } else if (auto* c = item->tableDecl()) {
      ast::TableDecl table{ident(c->name), ident(c->database), {ident_of(c->keyColumn), ident_of(c->keyType->ident())}, {},
                           range(c)};
      for (auto* col : c->column()) table.columns.push_back(column(col));
      policy.tables.push_back(std::move(table));
    } else if (auto* c = item->dialogDecl()) {
      for (auto* col : c->column()) policy.dialog_vars.push_back(column(col));
    } else if (auto* c = item->httpDecl()) {
      ast::HttpDecl http{host_port(c->hostPort()), {}, std::nullopt, range(c)};
      for (auto* e : c->ident()) http.endpoints.push_back(ident_of(e));
      if (c->source) http.token = {ident(c->source), unquote(c->STRING()->getText())};
      policy.http = std::move(http);
    } else if (auto* c = item->sbcDecl()) {
      policy.identity = ast::SbcIdentity{unquote(c->STRING()->getText()), range(c)};
    } else if (auto* c = item->letDecl()) {
      policy.lets.push_back({ident(c->IDENT()), expr(c->expr()), range(c)});
    } else if (auto* c = item->interfaceDecl()) {
      policy.interfaces.push_back(interface(c));
    } else if (auto* c = item->aliasesDecl()) {
      ast::AliasesDecl aliases{{}, range(c)};
      for (auto* e : c->expr()) aliases.values.push_back(expr(e));
      policy.aliases.push_back(std::move(aliases));
    } else if (auto* c = item->networksDecl()) {
      ast::NetworksDecl networks{ident(c->IDENT()), {}, range(c)};
      for (auto* e : c->expr()) networks.members.push_back(expr(e));
      policy.networks.push_back(std::move(networks));
    } else if (auto* c = item->dispatcherDecl()) {
      policy.dispatchers.push_back(dispatcher(c));
    } else if (auto* c = item->handlerDecl()) {
      policy.handlers.push_back(handler(c));
    }
  }

  ast::Ident ident_of(SbcParser::IdentContext* c) const { return {c->getText(), range(c)}; }

  ast::ColumnDecl column(SbcParser::ColumnContext* c) { return {ident_of(c->ident()), ident_of(c->typeRef()->ident())}; }

  ast::HandlerDecl handler(SbcParser::HandlerDeclContext* c) {
    ast::HandlerDecl h;
    h.range = range(c);
    if (auto* r = dynamic_cast<SbcParser::RequestHandlerContext*>(c)) {
      h.kind = ast::HandlerKind::Request;
      h.method = ident(r->IDENT());
      h.body = block(r->block());
    } else if (auto* r = dynamic_cast<SbcParser::ReplyHandlerContext*>(c)) {
      h.kind = ast::HandlerKind::Reply;
      h.method = {r->replyCode()->getText(), range(r->replyCode())};
      if (r->IDENT()) h.from = ident(r->IDENT());
      h.body = block(r->block());
    } else if (auto* f = dynamic_cast<SbcParser::FailureHandlerContext*>(c)) {
      h.kind = ast::HandlerKind::Failure;
      h.method = {"failure", range(f->getStart())};
      if (f->IDENT()) h.from = ident(f->IDENT());
      h.body = block(f->block());
    }
    return h;
  }

  ast::TlsDecl tls(SbcParser::TlsDeclContext* c) {
    ast::TlsDecl decl;
    decl.server = c->role->getText() == "server";
    decl.name = c->name ? ident(c->name) : ast::Ident{"default", range(c->role)};
    decl.range = range(c);
    for (auto* member : c->tlsMember()) {
      if (auto* v = dynamic_cast<SbcParser::TlsVersionsContext*>(member)) {
        decl.min_version = {{v->lo->getText(), range(v->lo)}};
        decl.open_ended = v->plus != nullptr;
        decl.max_version = v->hi ? std::pair{v->hi->getText(), range(v->hi)} : *decl.min_version;
      } else if (auto* f = dynamic_cast<SbcParser::TlsFileContext*>(member)) {
        decl.files.push_back({ident(f->key), {unquote(f->STRING()->getText()), range(f->STRING())}});
      } else if (auto* sw = dynamic_cast<SbcParser::TlsSwitchContext*>(member)) {
        decl.switches.push_back({ident(sw->key), sw->onOff()->getText() == "on"});
      }
    }
    return decl;
  }

  ast::LimitLine limit_line(SbcParser::LimitLineContext* c) {
    ast::LimitLine line{ident_of(c->transport), {}, range(c)};
    for (auto* setting : c->limitSetting()) {
      auto* value = setting->INT() ? setting->INT() : setting->DURATION();
      line.settings.push_back({ident(setting->IDENT()), {value->getText(), range(value)}});
    }
    return line;
  }

  ast::DatabaseDecl database(SbcParser::DatabaseDeclContext* c) {
    ast::DatabaseDecl db;
    db.name = ident(c->name);
    db.engine = ident(c->engine);
    db.location = unquote(c->STRING()->getText());
    db.location_range = range(c->STRING());
    db.range = range(c);
    for (auto* option : c->databaseOption()) {
      if (auto* p = dynamic_cast<SbcParser::PasswordOptionContext*>(option)) {
        db.password = {ident(p->source), unquote(p->STRING()->getText())};
      } else if (auto* r = dynamic_cast<SbcParser::RefreshOptionContext*>(option)) {
        db.refresh = {{r->DURATION()->getText(), range(r->DURATION())}};
      } else if (auto* seed = dynamic_cast<SbcParser::SeedOptionContext*>(option)) {
        db.seed = {{unquote(seed->STRING()->getText()), range(seed->STRING())}};
      }
    }
    return db;
  }

  ast::HostPort host_port(SbcParser::HostPortContext* c) {
    ast::HostPort hp{expr(c->expr()), std::nullopt, {}, range(c)};
    if (c->INT()) {
      hp.port = to_u64(c->INT()->getText());
      hp.port_range = range(c->INT());
    }
    return hp;
  }

  ast::InterfaceDecl interface(SbcParser::InterfaceDeclContext* c) {
    ast::InterfaceDecl face{ident(c->IDENT()), {}, {}, range(c)};
    for (auto* member : c->interfaceMember()) {
      if (auto* sip = dynamic_cast<SbcParser::SipListenerContext*>(member)) {
        ast::SipListenerDecl listener{ident_of(sip->transport), host_port(sip->bind), std::nullopt, std::nullopt,
                                      std::nullopt, range(sip)};
        if (sip->adv) listener.advertise = host_port(sip->adv);
        if (sip->name) listener.name = ast::Ident{unquote(sip->name->getText()), range(sip->name)};
        if (sip->profile) listener.tls_profile = ident(sip->profile);
        face.listeners.push_back(std::move(listener));
      } else if (auto* rtp = dynamic_cast<SbcParser::RtpRangeContext*>(member)) {
        ast::RtpRangeDecl decl{expr(rtp->addr), rtp->adv ? expr(rtp->adv) : nullptr, to_u64(rtp->lo->getText()),
                               to_u64(rtp->hi->getText()), {}, range(rtp)};
        decl.ports_range = {file_, range(rtp->lo).begin, range(rtp->hi).end};
        face.rtp.push_back(std::move(decl));
      }
    }
    return face;
  }

  ast::DispatcherDecl dispatcher(SbcParser::DispatcherDeclContext* c) {
    ast::DispatcherDecl set{ident(c->name), ident(c->face), ident_of(c->transport), {}, {}, {}, range(c)};
    for (auto* member : c->dispatcherMember()) {
      if (auto* d = dynamic_cast<SbcParser::DestinationContext*>(member)) {
        ast::DestinationDecl dest{uri(d->uri()), {}, range(d)};
        for (auto* attr : d->destinationAttr()) {
          bool is_int = attr->INT() != nullptr;
          auto* value = is_int ? attr->INT() : attr->STRING();
          dest.attributes.push_back({ident(attr->IDENT()), is_int ? value->getText() : unquote(value->getText()),
                                     is_int, range(value)});
        }
        set.destinations.push_back(std::move(dest));
      } else if (auto* p = dynamic_cast<SbcParser::PickContext*>(member)) {
        set.pick = ident(p->IDENT());
      } else if (auto* p = dynamic_cast<SbcParser::ProbeContext*>(member)) {
        set.probe = probe(p);
      }
    }
    return set;
  }

  ast::ProbeDecl probe(SbcParser::ProbeContext* p) {
    ast::ProbeDecl probe;
    probe.method = ident(p->method);
    probe.interval_ms = duration_ms(p->DURATION()->getText());
    probe.interval_range = range(p->DURATION());
    probe.from = uri(p->uri());
    for (auto* code : p->codes) probe.accept.push_back({to_u64(code->getText()), range(code)});
    if (p->threshold) {
      probe.threshold = to_u64(p->threshold->getText());
      probe.threshold_range = range(p->threshold);
    }
    if (p->probeMode) probe.mode = ident(p->probeMode);
    probe.range = range(p);
    return probe;
  }

  ast::UriLiteral uri(SbcParser::UriContext* c) { return {c->getText(), range(c)}; }

  ast::Block block(SbcParser::BlockContext* c) {
    ast::Block out;
    for (auto* s : c->statement()) out.push_back(statement(s));
    return out;
  }

  ast::StmtPtr make_stmt(ast::StmtKind kind, antlr4::ParserRuleContext* c) {
    auto stmt = std::make_unique<ast::Stmt>();
    stmt->kind = kind;
    stmt->range = range(c);
    return stmt;
  }

  ast::StmtPtr statement(SbcParser::StatementContext* c) {
    if (auto* s = dynamic_cast<SbcParser::IfStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::If, s);
      stmt->condition = expr(s->expr());
      stmt->then_block = block(s->block(0));
      if (s->ifElse) stmt->else_block.push_back(statement(s->ifElse));
      if (s->elseBlock) stmt->else_block = block(s->elseBlock);
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::MatchStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::Match, s);
      stmt->condition = expr(s->expr());
      for (auto* arm : s->matchArm()) match_arm(*stmt, arm);
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::MediaStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::MediaRelay, s);
      stmt->media_from = expr(s->expr(0));
      stmt->media_to = expr(s->expr(1));
      if (s->profile) stmt->media_profile = expr(s->profile);
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::ForwardStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::Forward, s);
      stmt->target = target(s->target());
      if (s->face) stmt->via_face = expr(s->face);
      if (s->transport) stmt->via_transport = expr(s->transport);
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::RetryStmtContext*>(c)) return make_stmt(ast::StmtKind::Retry, s);
    if (auto* s = dynamic_cast<SbcParser::DialogAssignContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::DialogAssign, s);
      stmt->name = ident_of(s->ident());
      stmt->value = expr(s->expr());
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::HeaderSetContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::HeaderSet, s);
      stmt->name = {unquote(s->STRING()->getText()), range(s->STRING())};
      stmt->header_add = s->op->getText() == "add";
      stmt->value = expr(s->expr());
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::HeaderRemoveContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::HeaderRemove, s);
      stmt->name = {unquote(s->STRING()->getText()), range(s->STRING())};
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::ReplyStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::Reply, s);
      stmt->reply_code = to_u64(s->INT()->getText());
      stmt->reply_code_range = range(s->INT());
      if (s->STRING()) stmt->reply_reason = unquote(s->STRING()->getText());
      return stmt;
    }
    auto* s = dynamic_cast<SbcParser::LogStmtContext*>(c);
    auto stmt = make_stmt(ast::StmtKind::Log, s);
    if (s->level) stmt->log_level = ident(s->level);
    stmt->log_message = unquote(s->STRING()->getText());
    return stmt;
  }

  // Arms may come in either order; a second arm of one kind is kept for sema to report.
  void match_arm(ast::Stmt& stmt, SbcParser::MatchArmContext* arm) {
    auto body = [&](SbcParser::BlockContext* b, SbcParser::StatementContext* single) {
      ast::Block out;
      if (b) return block(b);
      out.push_back(statement(single));
      return out;
    };
    if (auto* some = dynamic_cast<SbcParser::SomeArmContext*>(arm)) {
      if (stmt.binding) {
        stmt.duplicate_arms.push_back(range(some));
        return;
      }
      stmt.binding = ident(some->IDENT());
      stmt.some_range = range(some);
      stmt.then_block = body(some->block(), some->statement());
    } else if (auto* none = dynamic_cast<SbcParser::NoneArmContext*>(arm)) {
      if (stmt.none_range.end != 0) {
        stmt.duplicate_arms.push_back(range(none));
        return;
      }
      stmt.none_range = range(none);
      stmt.else_block = body(none->block(), none->statement());
    }
  }

  ast::Target target(SbcParser::TargetContext* c) {
    if (auto* t = dynamic_cast<SbcParser::UriTargetContext*>(c)) return {ast::TargetKind::Uri, t->getText(), range(t)};
    if (auto* t = dynamic_cast<SbcParser::NamedTargetContext*>(c)) {
      return {ast::TargetKind::Named, t->getText(), range(t)};
    }
    return {ast::TargetKind::RequestUri, "ruri", range(c)};
  }

  ast::ExprPtr make_expr(ast::ExprKind kind, antlr4::ParserRuleContext* c) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->range = range(c);
    return e;
  }

  ast::ExprPtr binary(ast::ExprKind kind, antlr4::ParserRuleContext* c, const std::vector<SbcParser::ExprContext*>& ops) {
    auto e = make_expr(kind, c);
    for (auto* op : ops) e->operands.push_back(expr(op));
    return e;
  }

  ast::ExprPtr expr(SbcParser::ExprContext* c) {
    if (auto* e = dynamic_cast<SbcParser::ParenExprContext*>(c)) return expr(e->expr());
    if (auto* e = dynamic_cast<SbcParser::MemberExprContext*>(c)) {
      auto out = make_expr(ast::ExprKind::Member, e);
      out->operands.push_back(expr(e->expr()));
      out->text = e->ident()->getText();
      out->name_range = range(e->ident());
      return out;
    }
    if (auto* e = dynamic_cast<SbcParser::LookupExprContext*>(c)) {
      return binary(ast::ExprKind::Lookup, e, e->expr());
    }
    if (auto* e = dynamic_cast<SbcParser::CallExprContext*>(c)) {
      auto out = binary(ast::ExprKind::Call, e, e->expr());
      out->text = e->ident()->getText();
      out->name_range = range(e->ident());
      return out;
    }
    if (auto* e = dynamic_cast<SbcParser::NotExprContext*>(c)) return binary(ast::ExprKind::Not, e, {e->expr()});
    if (auto* e = dynamic_cast<SbcParser::IsMyselfExprContext*>(c)) {
      return binary(ast::ExprKind::IsMyself, e, {e->expr()});
    }
    if (auto* e = dynamic_cast<SbcParser::InExprContext*>(c)) {
      auto out = binary(ast::ExprKind::In, e, {e->expr()});
      out->text = e->IDENT()->getText();
      out->name_range = range(e->IDENT());
      return out;
    }
    if (auto* e = dynamic_cast<SbcParser::CompareExprContext*>(c)) {
      return binary(e->op->getText() == "==" ? ast::ExprKind::Equal : ast::ExprKind::NotEqual, e, e->expr());
    }
    if (auto* e = dynamic_cast<SbcParser::AndExprContext*>(c)) return binary(ast::ExprKind::And, e, e->expr());
    if (auto* e = dynamic_cast<SbcParser::OrExprContext*>(c)) return binary(ast::ExprKind::Or, e, e->expr());
    if (auto* e = dynamic_cast<SbcParser::CondExprContext*>(c)) return binary(ast::ExprKind::Cond, e, e->expr());
    if (auto* e = dynamic_cast<SbcParser::NameExprContext*>(c)) {
      auto out = make_expr(ast::ExprKind::Name, e);
      out->text = e->getText();
      out->name_range = out->range;
      return out;
    }
    return literal(dynamic_cast<SbcParser::LiteralExprContext*>(c)->literal());
  }

  ast::ExprPtr literal(SbcParser::LiteralContext* c) {
    auto e = make_expr(ast::ExprKind::Literal, c);
    e->text = c->getText();
    if (c->STRING()) {
      e->literal = ast::LiteralKind::String;
      e->text = unquote(e->text);
    } else if (c->INT()) {
      e->literal = ast::LiteralKind::Int;
    } else if (c->IPV4()) {
      e->literal = ast::LiteralKind::IPv4;
    } else if (c->IPV6()) {
      e->literal = ast::LiteralKind::IPv6;
      e->text = e->text.substr(1, e->text.size() - 2);
    } else if (c->CIDR()) {
      e->literal = ast::LiteralKind::Cidr;
    } else if (c->DURATION()) {
      e->literal = ast::LiteralKind::Duration;
    } else if (c->uri()) {
      e->literal = ast::LiteralKind::Uri;
    } else {
      e->literal = ast::LiteralKind::Bool;
    }
    return e;
  }

  FileId file_;
  const OffsetMap& offsets_;
};

}  // namespace

std::optional<ast::Policy> parse_policy(const SourceManager& sources, FileId file, DiagnosticEngine& diags) {
  std::string_view text = sources.text(file);
  antlr4::ANTLRInputStream input(text.data(), text.size());
  SbcLexer lexer(&input);
  OffsetMap offsets(text);
  DiagnosticErrorListener listener(file, text, offsets, diags);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  SbcParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);

  size_t errors_before = diags.error_count();
  SbcParser::PolicyContext* tree = parser.policy();
  if (diags.error_count() > errors_before) return std::nullopt;
  return AstBuilder(file, offsets).build(tree);
}

}  // namespace sbcc
