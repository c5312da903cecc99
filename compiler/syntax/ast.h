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

enum class ExprKind { Literal, Name, Member, Not, IsMyself, In, Equal, NotEqual, And, Or, Cond };

struct Expr {
  ExprKind kind;
  SourceRange range;
  LiteralKind literal = LiteralKind::String;
  std::string text;  // literal text (strings unquoted and unescaped), name, member or network name
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

enum class StmtKind { If, MediaRelay, Forward, Reply, Log };
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
  // If
  ExprPtr condition;
  Block then_block;
  Block else_block;
  // MediaRelay
  ExprPtr media_from;
  ExprPtr media_to;
  std::optional<Ident> media_profile;
  // Forward
  Target target;
  std::optional<Ident> via_face;
  std::optional<Ident> via_transport;
  // Reply
  uint64_t reply_code = 0;
  SourceRange reply_code_range;
  std::string reply_reason;
  // Log
  std::optional<Ident> log_level;
  std::string log_message;
};

struct HandlerDecl {
  Ident method;
  Block body;
  SourceRange range;
};

struct SbcIdentity {
  std::string name;
  SourceRange range;
};

struct Policy {
  FileId file = 0;
  std::optional<SbcIdentity> identity;
  std::vector<LetDecl> lets;
  std::vector<InterfaceDecl> interfaces;
  std::vector<AliasesDecl> aliases;
  std::vector<NetworksDecl> networks;
  std::vector<DispatcherDecl> dispatchers;
  std::vector<HandlerDecl> handlers;
};

}  // namespace sbcc::ast
