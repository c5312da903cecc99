// ANTLR parse tree -> ast::Policy. Each builder function handles one grammar rule.
#include "syntax/parser.h"

#include <charconv>

#include "SbcLexer.h"
#include "SbcParser.h"
#include "antlr4-runtime.h"

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

// Turns ANTLR's syntax errors into diagnostics that point at the offending token.
class DiagnosticErrorListener : public antlr4::BaseErrorListener {
 public:
  DiagnosticErrorListener(FileId file, const OffsetMap& offsets, DiagnosticEngine& diags)
      : file_(file), offsets_(offsets), diags_(diags) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* token, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    SourceRange range{file_, 0, 0};
    if (token && token->getStartIndex() != kNoTokenIndex) {
      range.begin = offsets_.byte(token->getStartIndex());
      range.end = token->getType() == antlr4::Token::EOF ? range.begin : offsets_.byte(token->getStopIndex() + 1);
    }
    diags_.report(DiagKind::SyntaxError, range, backtick_quotes(msg));
  }

  // The lexer reports where it stands, without a token.
  void report_at(size_t code_point, const std::string& msg) {
    uint32_t begin = offsets_.byte(code_point);
    diags_.report(DiagKind::SyntaxError, SourceRange{file_, begin, offsets_.byte(code_point + 1)}, backtick_quotes(msg));
  }

 private:
  static std::string backtick_quotes(const std::string& msg) {
    std::string out = msg;
    for (char& c : out) {
      if (c == '\'') c = '`';
    }
    return out;
  }

  static constexpr size_t kNoTokenIndex = static_cast<size_t>(-1);
  FileId file_;
  const OffsetMap& offsets_;
  DiagnosticEngine& diags_;
};

// Reports stray characters (the grammar's ERROR_CHAR token) as syntax errors.
void report_stray_characters(antlr4::CommonTokenStream& tokens, DiagnosticErrorListener& listener) {
  tokens.fill();
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getType() == SbcLexer::ERROR_CHAR) {
      listener.report_at(token->getStartIndex(),
                         "unexpected character '" + token->getText() + "'");
    }
  }
}

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

  static uint32_t to_u32(const std::string& digits) {
    uint64_t value = 0;
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (result.ec != std::errc() || value > UINT32_MAX) return UINT32_MAX;
    return static_cast<uint32_t>(value);
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
    if (auto* c = item->sbcDecl()) {
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
      policy.handlers.push_back({ident(c->IDENT()), block(c->block()), range(c)});
    }
  }

  ast::HostPort host_port(SbcParser::HostPortContext* c) {
    ast::HostPort hp{expr(c->expr()), std::nullopt, {}, range(c)};
    if (c->INT()) {
      hp.port = to_u32(c->INT()->getText());
      hp.port_range = range(c->INT());
    }
    return hp;
  }

  ast::InterfaceDecl interface(SbcParser::InterfaceDeclContext* c) {
    ast::InterfaceDecl face{ident(c->IDENT()), {}, {}, range(c)};
    for (auto* member : c->interfaceMember()) {
      if (auto* sip = dynamic_cast<SbcParser::SipListenerContext*>(member)) {
        ast::SipListenerDecl listener{ident(sip->transport), host_port(sip->bind), std::nullopt, std::nullopt,
                                      range(sip)};
        if (sip->adv) listener.advertise = host_port(sip->adv);
        if (sip->name) listener.name = ast::Ident{unquote(sip->name->getText()), range(sip->name)};
        face.listeners.push_back(std::move(listener));
      } else if (auto* rtp = dynamic_cast<SbcParser::RtpRangeContext*>(member)) {
        ast::RtpRangeDecl decl{expr(rtp->addr), rtp->adv ? expr(rtp->adv) : nullptr, to_u32(rtp->lo->getText()),
                               to_u32(rtp->hi->getText()), {}, range(rtp)};
        decl.ports_range = {file_, range(rtp->lo).begin, range(rtp->hi).end};
        face.rtp.push_back(std::move(decl));
      }
    }
    return face;
  }

  ast::DispatcherDecl dispatcher(SbcParser::DispatcherDeclContext* c) {
    ast::DispatcherDecl set{ident(c->name), ident(c->face), ident(c->transport), {}, {}, {}, range(c)};
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
    for (auto* code : p->codes) probe.accept.push_back({to_u32(code->getText()), range(code)});
    if (p->threshold) {
      probe.threshold = to_u32(p->threshold->getText());
      probe.threshold_range = range(p->threshold);
    }
    if (p->probeMode) probe.mode = ident(p->probeMode);
    probe.range = range(p);
    return probe;
  }

  static uint64_t duration_ms(const std::string& text) {
    size_t digits = text.find_first_not_of("0123456789");
    uint64_t value = to_u32(text.substr(0, digits));
    std::string unit = text.substr(digits);
    if (unit == "ms") return value;
    if (unit == "s") return value * 1000;
    if (unit == "m") return value * 60'000;
    return value * 3'600'000;  // h
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
    if (auto* s = dynamic_cast<SbcParser::MediaStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::MediaRelay, s);
      stmt->media_from = expr(s->expr(0));
      stmt->media_to = expr(s->expr(1));
      if (s->IDENT()) stmt->media_profile = ident(s->IDENT());
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::ForwardStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::Forward, s);
      stmt->target = target(s->target());
      if (s->face) stmt->via_face = ident(s->face);
      if (s->transport) stmt->via_transport = ident(s->transport);
      return stmt;
    }
    if (auto* s = dynamic_cast<SbcParser::ReplyStmtContext*>(c)) {
      auto stmt = make_stmt(ast::StmtKind::Reply, s);
      stmt->reply_code = to_u32(s->INT()->getText());
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
  DiagnosticErrorListener listener(file, offsets, diags);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  SbcParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);

  size_t errors_before = diags.error_count();
  report_stray_characters(tokens, listener);
  SbcParser::PolicyContext* tree = parser.policy();
  if (diags.error_count() > errors_before) return std::nullopt;
  return AstBuilder(file, offsets).build(tree);
}

}  // namespace sbcc
