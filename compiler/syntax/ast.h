// The policy AST: what compiler/syntax builds from the ANTLR parse tree and what every
// later pass reads. Plain structs with source ranges; no ANTLR type appears here.
// Fields under "set by sema" are filled by name resolution and type checking.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "basic/source_manager.h"
#include "sema/types.h"

namespace sbcc::ast {

struct Ident {
  std::string text;
  SourceRange range;
};

enum class LiteralKind { String, Int, IPv4, IPv6, Cidr, Duration, Uri, Bool };

enum class ExprKind { Literal, Name, Member, Lookup, Call, Not, IsMyself, In, Equal, NotEqual, And, Or, Cond };

struct Expr {
  ExprKind kind;
  SourceRange range;
  LiteralKind literal = LiteralKind::String;
  // literal text (strings unquoted and unescaped), name, member, network or function name;
  // a Lookup's operands are the table name and the key, a Call's its arguments
  std::string text;
  SourceRange name_range;
  std::vector<std::unique_ptr<Expr>> operands;

  // Set by sema.
  Type type = Type::Error;
  Symbol symbol;
};
using ExprPtr = std::unique_ptr<Expr>;

struct HostPort {
  ExprPtr host;
  std::optional<uint64_t> port;  // as written; range checks are sema's
  SourceRange port_range;
  SourceRange range;
};

struct SipListenerDecl {
  Ident transport;
  HostPort bind;
  std::optional<HostPort> advertise;
  std::optional<Ident> name;  // text unquoted
  std::optional<Ident> tls_profile;
  SourceRange range;
};

struct RtpRangeDecl {
  ExprPtr address;
  ExprPtr advertise;
  uint64_t port_min = 0;
  uint64_t port_max = 0;
  SourceRange ports_range;
  SourceRange range;
};

struct InterfaceDecl {
  Ident name;
  std::vector<SipListenerDecl> listeners;
  std::vector<RtpRangeDecl> rtp;
  SourceRange range;
};

struct LetDecl {
  Ident name;
  ExprPtr value;
  SourceRange range;
};

struct AliasesDecl {
  std::vector<ExprPtr> values;
  SourceRange range;
};

struct NetworksDecl {
  Ident name;
  std::vector<ExprPtr> members;
  SourceRange range;
};

struct Attribute {
  Ident name;
  std::string value;
  bool is_int = false;
  SourceRange value_range;
};

struct UriLiteral {
  std::string text;
  SourceRange range;
};

struct DestinationDecl {
  UriLiteral uri;
  std::vector<Attribute> attributes;
  SourceRange range;
};

struct ProbeDecl {
  Ident method;
  uint64_t interval_ms = 0;
  SourceRange interval_range;
  UriLiteral from;
  std::vector<std::pair<uint64_t, SourceRange>> accept;
  std::optional<uint64_t> threshold;
  SourceRange threshold_range;
  std::optional<Ident> mode;
  SourceRange range;
};

struct DispatcherDecl {
  Ident name;
  Ident face;
  Ident transport;
  std::vector<DestinationDecl> destinations;
  std::optional<Ident> pick;
  std::optional<ProbeDecl> probe;
  SourceRange range;
};

enum class StmtKind { If, Match, MediaRelay, Forward, Retry, Reply, Log, DialogAssign, HeaderSet, HeaderRemove };
enum class TargetKind { RequestUri, Uri, Named };

struct Target {
  TargetKind kind = TargetKind::RequestUri;
  std::string text;
  SourceRange range;
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

struct Stmt {
  StmtKind kind;
  SourceRange range;
  // If: condition, then_block, else_block. Match: condition is the look-up, then_block
  // the `some(binding)` arm, else_block the `none` arm.
  ExprPtr condition;
  Block then_block;
  Block else_block;
  std::optional<Ident> binding;
  SourceRange some_range;
  SourceRange none_range;
  std::vector<SourceRange> duplicate_arms;  // a second `some` or `none` arm
  // MediaRelay
  ExprPtr media_from;
  ExprPtr media_to;
  ExprPtr media_profile;
  // Forward
  Target target;
  ExprPtr via_face;
  ExprPtr via_transport;
  // DialogAssign: `dialog.name = value`; HeaderSet/HeaderRemove: header name and value
  Ident name;
  ExprPtr value;
  bool header_add = false;  // `header add` (else `header set`)
  // Reply
  uint64_t reply_code = 0;
  SourceRange reply_code_range;
  std::string reply_reason;
  // Log
  std::optional<Ident> log_level;
  std::string log_message;
};

enum class HandlerKind { Request, Reply, Failure };

struct HandlerDecl {
  HandlerKind kind = HandlerKind::Request;
  Ident method;               // Request: the method; Reply: the code or class ("2xx")
  std::optional<Ident> from;  // Reply/Failure: `from SET`
  Block body;
  SourceRange range;
};

struct ImportDecl {
  std::string path;  // as written
  SourceRange range;
};

struct EnumDecl {
  Ident name;
  std::vector<Ident> members;
  SourceRange range;
};

struct TlsDecl {
  bool server = true;
  Ident name;  // "default" when omitted
  std::optional<std::pair<std::string, SourceRange>> min_version;
  std::optional<std::pair<std::string, SourceRange>> max_version;  // equal to min unless `+` or `..`
  bool open_ended = false;                                         // `1.2+`
  std::vector<std::pair<Ident, std::pair<std::string, SourceRange>>> files;  // certificate, key, ca, ciphers
  std::vector<std::pair<Ident, bool>> switches;                              // verify, require
  SourceRange range;
};

struct LimitLine {
  Ident transport;
  std::vector<std::pair<Ident, std::pair<std::string, SourceRange>>> settings;  // name, value text
  SourceRange range;
};

struct DatabaseDecl {
  Ident name;
  Ident engine;
  std::string location;
  SourceRange location_range;
  std::optional<std::pair<Ident, std::string>> password;  // env|file, name
  std::optional<std::pair<std::string, SourceRange>> refresh;
  std::optional<std::pair<std::string, SourceRange>> seed;  // SQL that creates a missing SQLite file
  SourceRange range;
};

struct ColumnDecl {
  Ident name;
  Ident type;
};

struct TableDecl {
  Ident name;
  Ident database;
  ColumnDecl key;
  std::vector<ColumnDecl> columns;
  SourceRange range;
};

struct HttpDecl {
  HostPort bind;
  std::vector<Ident> endpoints;
  std::optional<std::pair<Ident, std::string>> token;  // env|file, name
  SourceRange range;
};

struct SbcIdentity {
  std::string name;
  SourceRange range;
};

struct Policy {
  FileId file = 0;
  std::vector<ImportDecl> imports;
  std::optional<SbcIdentity> identity;
  std::optional<Ident> log_level;
  std::vector<EnumDecl> enums;
  std::vector<TlsDecl> tls;
  std::vector<LimitLine> limits;
  std::vector<DatabaseDecl> databases;
  std::vector<TableDecl> tables;
  std::vector<ColumnDecl> dialog_vars;
  std::optional<HttpDecl> http;
  std::vector<LetDecl> lets;
  std::vector<InterfaceDecl> interfaces;
  std::vector<AliasesDecl> aliases;
  std::vector<NetworksDecl> networks;
  std::vector<DispatcherDecl> dispatchers;
  std::vector<HandlerDecl> handlers;
};

}  // namespace sbcc::ast

namespace sbcc::ast {

// Moves every declaration of `later` after those of `policy` (the prelude first, then
// imported files in import order, then the importing file). Singletons (identity, log
// level, http) are taken from `later` when it has them.
void append(Policy& policy, Policy&& later);

}  // namespace sbcc::ast
