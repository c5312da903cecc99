// Lowers handlers to native functions. Conditions become branches over calls to the
// runtime's request accessors; network membership is compiled to inline prefix
// comparisons; enum values are small integers known at compile time; decisions become
// sbc_act_* calls followed by a return. Three entries: requests, replies, failures.
#include <algorithm>
#include <map>

#include "codegen/codegen_context.h"
#include "sbc/abi.h"

namespace sbcc::codegen {
namespace {

struct StringValue {
  llvm::Value* ptr;
  llvm::Value* len;
};

// A row bound by `some(r)`: which table, and the row number the look-up returned.
struct RowBinding {
  uint32_t table;
  llvm::Value* row;
};

class RouteEmitter {
 public:
  RouteEmitter(CodegenContext& ctx, llvm::Function* fn)
      : ctx_(ctx), fn_(fn), b_(llvm::BasicBlock::Create(ctx.module.getContext(), "entry", fn)), request_(fn->getArg(0)) {}

  void emit_body(const ast::Block& body) {
    emit_block(body);
    if (!b_.GetInsertBlock()->getTerminator()) b_.CreateRetVoid();
  }

 private:
  llvm::LLVMContext& llvm_context() { return ctx_.module.getContext(); }
  llvm::BasicBlock* new_block(const char* name) { return llvm::BasicBlock::Create(llvm_context(), name, fn_); }
  llvm::Value* u32(uint64_t v) { return ctx_.u32(v); }

  // Emits statements until one ends the handler; the rest are unreachable (sema warned).
  void emit_block(const ast::Block& block) {
    for (const auto& stmt : block) {
      if (b_.GetInsertBlock()->getTerminator()) return;
      emit_statement(*stmt);
    }
  }

  void emit_statement(const ast::Stmt& s) {
    switch (s.kind) {
      case ast::StmtKind::If: emit_if(s); break;
      case ast::StmtKind::Match: emit_match(s); break;
      case ast::StmtKind::MediaRelay: {
        llvm::Value* profile = u32(SBC_MEDIA_SAME);
        // media_profile members are rtp, srtp; the ABI counts from SBC_MEDIA_RTP.
        if (s.media_profile) profile = b_.CreateAdd(enum_value(*s.media_profile), u32(SBC_MEDIA_RTP));
        b_.CreateCall(ctx_.abi.act_media_relay, {request_, face_value(*s.media_from), face_value(*s.media_to), profile});
        break;
      }
      case ast::StmtKind::Forward: emit_forward(s); break;
      case ast::StmtKind::Retry: {
        llvm::Value* retried = b_.CreateCall(ctx_.abi.act_retry_next, {request_});
        auto* done = new_block("retried");
        auto* more = new_block("exhausted");
        b_.CreateCondBr(b_.CreateICmpNE(retried, u32(0)), done, more);
        llvm::IRBuilder<>(done).CreateRetVoid();
        b_.SetInsertPoint(more);
        break;
      }
      case ast::StmtKind::Reply: {
        StringValue reason = constant_string(s.reply_reason);
        b_.CreateCall(ctx_.abi.act_reply, {request_, u32(s.reply_code), reason.ptr, reason.len});
        b_.CreateRetVoid();
        break;
      }
      case ast::StmtKind::Log: {
        StringValue message = constant_string(s.log_message);
        b_.CreateCall(ctx_.abi.act_log, {request_, u32(log_level(s)), message.ptr, message.len});
        break;
      }
      case ast::StmtKind::DialogAssign: emit_dialog_assign(s); break;
      case ast::StmtKind::HeaderSet:
      case ast::StmtKind::HeaderRemove: {
        StringValue name = constant_string(s.name.text);
        StringValue value = s.value ? string_value(*s.value) : constant_string("");
        uint32_t op = s.kind == ast::StmtKind::HeaderRemove ? SBC_HEADER_REMOVE
                      : s.header_add                        ? SBC_HEADER_ADD
                                                            : SBC_HEADER_SET;
        b_.CreateCall(ctx_.abi.act_header, {request_, u32(op), name.ptr, name.len, value.ptr, value.len});
        break;
      }
    }
  }

  static uint32_t log_level(const ast::Stmt& s) {
    if (!s.log_level) return SBC_LOG_INFO;
    const std::string& l = s.log_level->text;
    return l == "debug" ? SBC_LOG_DEBUG : l == "warn" ? SBC_LOG_WARN : l == "error" ? SBC_LOG_ERROR : SBC_LOG_INFO;
  }

  // Emits `then` and `otherwise` into two blocks joined afterwards; the join block is
  // left unreachable when both branches decided.
  template <typename Then, typename Otherwise>
  void branch(llvm::Value* cond, Then then, Otherwise otherwise) {
    auto* then_bb = new_block("then");
    auto* else_bb = new_block("else");
    auto* join_bb = new_block("endif");
    b_.CreateCondBr(cond, then_bb, else_bb);
    b_.SetInsertPoint(then_bb);
    then();
    if (!b_.GetInsertBlock()->getTerminator()) b_.CreateBr(join_bb);
    b_.SetInsertPoint(else_bb);
    otherwise();
    if (!b_.GetInsertBlock()->getTerminator()) b_.CreateBr(join_bb);
    b_.SetInsertPoint(join_bb);
    if (llvm::pred_empty(join_bb)) b_.CreateUnreachable();
  }

  void emit_if(const ast::Stmt& s) {
    branch(bool_value(*s.condition), [&] { emit_block(s.then_block); }, [&] { emit_block(s.else_block); });
  }

  void emit_match(const ast::Stmt& s) {
    const ast::Expr& lookup = *s.condition;
    uint32_t table = lookup.symbol.index;
    StringValue key = string_value(*lookup.operands[1]);
    llvm::Value* row = b_.CreateCall(ctx_.abi.table_lookup, {request_, u32(table), key.ptr, key.len});
    branch(
        b_.CreateICmpSGE(row, ctx_.u64(0)),
        [&] {
          rows_[s.binding->text] = {table, row};
          emit_block(s.then_block);
          rows_.erase(s.binding->text);
        },
        [&] { emit_block(s.else_block); });
  }

  void emit_forward(const ast::Stmt& s) {
    llvm::Value* face = s.via_face ? face_value(*s.via_face) : u32(SBC_DEFAULT);
    llvm::Value* transport = s.via_transport ? enum_value(*s.via_transport) : u32(SBC_DEFAULT);
    switch (s.target.kind) {
      case ast::TargetKind::Named:
        b_.CreateCall(ctx_.abi.act_forward_dispatcher, {request_, u32(dispatcher_index(s.target.text)), face, transport});
        break;
      case ast::TargetKind::RequestUri:
        b_.CreateCall(ctx_.abi.act_forward_uri,
                      {request_, llvm::ConstantPointerNull::get(ctx_.types.ptr), ctx_.u64(0), face, transport});
        break;
      case ast::TargetKind::Uri: {
        StringValue uri = constant_string(s.target.text);
        b_.CreateCall(ctx_.abi.act_forward_uri, {request_, uri.ptr, uri.len, face, transport});
        break;
      }
    }
    b_.CreateRetVoid();
  }

  void emit_dialog_assign(const ast::Stmt& s) {
    uint32_t var = 0;
    for (uint32_t i = 0; i < ctx_.model.dialog_vars.size(); ++i) {
      if (ctx_.model.dialog_vars[i].name == s.name.text) var = i;
    }
    Type type = ctx_.model.dialog_vars[var].type;
    if (type == Type::String || type == Type::Uri) {
      StringValue v = string_value(*s.value);
      b_.CreateCall(ctx_.abi.dialog_set_string, {request_, u32(var), v.ptr, v.len});
    } else {
      b_.CreateCall(ctx_.abi.dialog_set_int, {request_, u32(var), int_like_value(*s.value)});
    }
  }

  uint32_t dispatcher_index(const std::string& name) const {
    for (uint32_t i = 0; i < ctx_.model.dispatchers.size(); ++i) {
      if (ctx_.model.dispatchers[i].name == name) return i;
    }
    return SBC_DEFAULT;
  }

  StringValue constant_string(const std::string& text) {
    return {ctx_.string_constant(text), ctx_.u64(text.size())};
  }

  const ConstValue* constant_of(const ast::Expr& e) const {
    if (e.kind == ast::ExprKind::Name && e.symbol.kind == SymbolKind::Let) return &ctx_.model.constants[e.symbol.index];
    return nullptr;
  }

  // --- values of each type --------------------------------------------------------

  // A column of the row bound by `some(r)`, or a dialog variable, read as i64.
  llvm::Value* stored_int(const ast::Expr& e) {
    if (e.symbol.kind == SymbolKind::DialogVar) {
      return b_.CreateCall(ctx_.abi.dialog_get_int, {request_, u32(e.symbol.index)});
    }
    const RowBinding& row = rows_.at(e.operands[0]->text);
    return b_.CreateCall(ctx_.abi.row_int, {request_, u32(row.table), row.row, u32(e.symbol.member)});
  }

  StringValue stored_string(const ast::Expr& e) {
    llvm::Value* pair;
    if (e.symbol.kind == SymbolKind::DialogVar) {
      pair = b_.CreateCall(ctx_.abi.dialog_get_string, {request_, u32(e.symbol.index)});
    } else {
      const RowBinding& row = rows_.at(e.operands[0]->text);
      pair = b_.CreateCall(ctx_.abi.row_string, {request_, u32(row.table), row.row, u32(e.symbol.member)});
    }
    return {b_.CreateExtractValue(pair, 0), b_.CreateExtractValue(pair, 1)};
  }

  static bool is_stored(const ast::Expr& e) {
    return e.kind == ast::ExprKind::Member &&
           (e.symbol.kind == SymbolKind::DialogVar || e.symbol.kind == SymbolKind::Table);
  }

  llvm::Value* face_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Cond) {
      return b_.CreateSelect(bool_value(*e.operands[0]), face_value(*e.operands[1]), face_value(*e.operands[2]));
    }
    if (e.symbol.kind == SymbolKind::Builtin) {  // `face`: where the request arrived
      return b_.CreateTrunc(b_.CreateCall(ctx_.abi.req_int_field, {request_, u32(SBC_FIELD_FACE)}), ctx_.types.i32);
    }
    return u32(e.symbol.index);
  }

  // Enum values are member positions, as i32.
  llvm::Value* enum_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Cond) {
      return b_.CreateSelect(bool_value(*e.operands[0]), enum_value(*e.operands[1]), enum_value(*e.operands[2]));
    }
    if (e.kind == ast::ExprKind::Name && e.symbol.kind == SymbolKind::EnumMember) return u32(e.symbol.member);
    if (const ConstValue* c = constant_of(e)) return u32(std::get<uint64_t>(c->value));
    return b_.CreateTrunc(stored_int(e), ctx_.types.i32);
  }

  // Ints, bools and enums as i64, for dialog variables.
  llvm::Value* int_like_value(const ast::Expr& e) {
    if (e.type == Type::Bool) return b_.CreateZExt(bool_value(e), ctx_.types.i64);
    if (e.type.kind == TypeKind::Enum) return b_.CreateZExt(enum_value(e), ctx_.types.i64);
    return int_value(e);
  }

  StringValue string_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Literal) return constant_string(e.text);
    if (const ConstValue* c = constant_of(e)) return constant_string(std::get<std::string>(c->value));
    if (e.kind == ast::ExprKind::Cond) {
      llvm::Value* cond = bool_value(*e.operands[0]);
      StringValue a = string_value(*e.operands[1]);
      StringValue b = string_value(*e.operands[2]);
      return {b_.CreateSelect(cond, a.ptr, b.ptr), b_.CreateSelect(cond, a.len, b.len)};
    }
    if (is_stored(e)) return stored_string(e);
    llvm::Value* pair;
    if (e.kind == ast::ExprKind::Call) {  // header("Name")
      StringValue name = constant_string(e.operands[0]->text);
      pair = b_.CreateCall(ctx_.abi.req_header, {request_, name.ptr, name.len});
    } else {
      pair = b_.CreateCall(ctx_.abi.req_field, {request_, u32(static_cast<uint32_t>(e.symbol.field))});
    }
    return {b_.CreateExtractValue(pair, 0), b_.CreateExtractValue(pair, 1)};
  }

  llvm::Value* int_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Literal) return ctx_.u64(std::stoull(e.text));
    if (const ConstValue* c = constant_of(e)) return ctx_.u64(std::get<uint64_t>(c->value));
    if (e.kind == ast::ExprKind::Cond) {
      return b_.CreateSelect(bool_value(*e.operands[0]), int_value(*e.operands[1]), int_value(*e.operands[2]));
    }
    if (is_stored(e)) return stored_int(e);
    return b_.CreateCall(ctx_.abi.req_int_field, {request_, u32(static_cast<uint32_t>(e.symbol.field))});
  }

  // A pointer to an sbc_ip holding the address (a constant, or filled by the runtime).
  llvm::Value* address_value(const ast::Expr& e) {
    std::optional<IpAddress> constant;
    if (e.kind == ast::ExprKind::Literal) constant = parse_ip(e.text);
    if (const ConstValue* c = constant_of(e)) constant = std::get<IpAddress>(c->value);
    if (constant) {
      return new llvm::GlobalVariable(ctx_.module, ctx_.types.ip, true, llvm::GlobalValue::PrivateLinkage,
                                      ctx_.ip_constant(*constant), "sbc.ip");
    }
    llvm::IRBuilder<> entry(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    llvm::Value* slot = entry.CreateAlloca(ctx_.types.ip, nullptr, "ip");
    b_.CreateStore(llvm::Constant::getNullValue(ctx_.types.ip), slot);
    b_.CreateCall(ctx_.abi.req_ip_field, {request_, u32(static_cast<uint32_t>(e.symbol.field)), slot});
    return slot;
  }

  llvm::Value* bool_value(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::Literal: return b_.getInt1(e.text == "true");
      case ast::ExprKind::Name:
        if (const ConstValue* c = constant_of(e)) return b_.getInt1(std::get<bool>(c->value));
        break;
      case ast::ExprKind::Member:
        if (is_stored(e)) return b_.CreateICmpNE(stored_int(e), ctx_.u64(0));
        break;
      case ast::ExprKind::Not: return b_.CreateNot(bool_value(*e.operands[0]));
      case ast::ExprKind::And: return short_circuit(e, true);
      case ast::ExprKind::Or: return short_circuit(e, false);
      case ast::ExprKind::IsMyself: {
        llvm::Value* r = b_.CreateCall(ctx_.abi.req_is_myself,
                                       {request_, u32(static_cast<uint32_t>(e.operands[0]->symbol.field))});
        return b_.CreateICmpNE(r, u32(0));
      }
      case ast::ExprKind::In: return in_network(address_value(*e.operands[0]), ctx_.model.networks[e.symbol.index]);
      case ast::ExprKind::Equal: return compare(e);
      case ast::ExprKind::NotEqual: return b_.CreateNot(compare(e));
      case ast::ExprKind::Cond:
        return b_.CreateSelect(bool_value(*e.operands[0]), bool_value(*e.operands[1]), bool_value(*e.operands[2]));
      case ast::ExprKind::Lookup:
      case ast::ExprKind::Call: break;
    }
    return b_.getFalse();
  }

  llvm::Value* short_circuit(const ast::Expr& e, bool is_and) {
    llvm::Value* left = bool_value(*e.operands[0]);
    llvm::BasicBlock* left_end = b_.GetInsertBlock();
    auto* right_bb = new_block(is_and ? "and.rhs" : "or.rhs");
    auto* join_bb = new_block(is_and ? "and.end" : "or.end");
    if (is_and) {
      b_.CreateCondBr(left, right_bb, join_bb);
    } else {
      b_.CreateCondBr(left, join_bb, right_bb);
    }
    b_.SetInsertPoint(right_bb);
    llvm::Value* right = bool_value(*e.operands[1]);
    llvm::BasicBlock* right_end = b_.GetInsertBlock();
    b_.CreateBr(join_bb);
    b_.SetInsertPoint(join_bb);
    auto* phi = b_.CreatePHI(b_.getInt1Ty(), 2);
    phi->addIncoming(b_.getInt1(!is_and), left_end);
    phi->addIncoming(right, right_end);
    return phi;
  }

  llvm::Value* compare(const ast::Expr& e) {
    const ast::Expr& left = *e.operands[0];
    const ast::Expr& right = *e.operands[1];
    Type type = left.type == Type::Endpoint ? Type::Address : left.type;
    switch (type.kind) {
      case TypeKind::String: {
        StringValue a = string_value(left);
        StringValue c = string_value(right);
        return b_.CreateICmpNE(b_.CreateCall(ctx_.abi.str_equal, {a.ptr, a.len, c.ptr, c.len}), u32(0));
      }
      case TypeKind::Int: return b_.CreateICmpEQ(int_value(left), int_value(right));
      case TypeKind::Address: return addresses_equal(address_value(left), address_value(right));
      case TypeKind::Bool: return b_.CreateICmpEQ(bool_value(left), bool_value(right));
      case TypeKind::Face: return b_.CreateICmpEQ(face_value(left), face_value(right));
      case TypeKind::Enum: return b_.CreateICmpEQ(enum_value(left), enum_value(right));
      default: return b_.getFalse();
    }
  }

  llvm::Value* load_byte(llvm::Value* ip, unsigned index) {
    llvm::Value* addr = b_.CreateConstInBoundsGEP2_32(ctx_.types.ip, ip, 0, 1);
    addr = b_.CreateConstInBoundsGEP1_32(b_.getInt8Ty(), addr, index);
    return b_.CreateLoad(b_.getInt8Ty(), addr);
  }

  llvm::Value* load_family(llvm::Value* ip) {
    return b_.CreateLoad(ctx_.types.i32, b_.CreateConstInBoundsGEP2_32(ctx_.types.ip, ip, 0, 0));
  }

  llvm::Value* addresses_equal(llvm::Value* a, llvm::Value* c) {
    llvm::Value* same = b_.CreateICmpEQ(load_family(a), load_family(c));
    for (unsigned i = 0; i < 16; ++i) same = b_.CreateAnd(same, b_.CreateICmpEQ(load_byte(a, i), load_byte(c, i)));
    return same;
  }

  // Membership is decided by comparing only the prefix bytes, so a /8 costs one compare.
  llvm::Value* in_network(llvm::Value* ip, const NetworkModel& network) {
    llvm::Value* family = load_family(ip);
    llvm::Value* any = b_.getFalse();
    for (const Cidr& cidr : network.cidrs) {
      llvm::Value* match = b_.CreateICmpEQ(family, u32(cidr.network.family));
      unsigned full = cidr.prefix / 8;
      for (unsigned i = 0; i < full; ++i) {
        match = b_.CreateAnd(match, b_.CreateICmpEQ(load_byte(ip, i), b_.getInt8(cidr.network.bytes[i])));
      }
      if (unsigned rest = cidr.prefix % 8) {
        uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
        llvm::Value* masked = b_.CreateAnd(load_byte(ip, full), b_.getInt8(mask));
        match = b_.CreateAnd(match, b_.CreateICmpEQ(masked, b_.getInt8(cidr.network.bytes[full] & mask)));
      }
      any = b_.CreateOr(any, match);
    }
    return any;
  }

  CodegenContext& ctx_;
  llvm::Function* fn_;
  llvm::IRBuilder<> b_;
  llvm::Value* request_;
  std::map<std::string, RowBinding> rows_;
};

std::string handler_name(const HandlerModel& h, size_t index) {
  switch (h.kind) {
    case ast::HandlerKind::Request: return "sbc.on_request." + h.decl->method.text;
    case ast::HandlerKind::Reply: return "sbc.on_reply." + h.decl->method.text + "." + std::to_string(index);
    case ast::HandlerKind::Failure: return "sbc.on_failure." + std::to_string(index);
  }
  return "sbc.handler";
}

llvm::Function* emit_handler(CodegenContext& ctx, const HandlerModel& handler, size_t index) {
  auto* fn = llvm::Function::Create(ctx.types.route_fn, llvm::GlobalValue::InternalLinkage, handler_name(handler, index),
                                    ctx.module);
  fn->setDoesNotThrow();
  RouteEmitter(ctx, fn).emit_body(handler.decl->body);
  return fn;
}

llvm::Function* new_entry(CodegenContext& ctx, const char* name) {
  auto* fn = llvm::Function::Create(ctx.types.route_fn, llvm::GlobalValue::InternalLinkage, name, ctx.module);
  fn->setDoesNotThrow();
  return fn;
}

// Initial requests: a switch on the method.
llvm::Function* emit_request_entry(CodegenContext& ctx) {
  llvm::Function* entry = new_entry(ctx, "sbc_route_request");
  auto& llvm_context = ctx.module.getContext();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(llvm_context, "entry", entry));
  llvm::Value* request = entry->getArg(0);
  llvm::Value* method = b.CreateCall(ctx.abi.req_method, {request});
  auto* no_handler = llvm::BasicBlock::Create(llvm_context, "no_handler", entry);
  auto* dispatch = b.CreateSwitch(method, no_handler);
  for (size_t i = 0; i < ctx.model.handlers.size(); ++i) {
    const auto& handler = ctx.model.handlers[i];
    if (handler.kind != ast::HandlerKind::Request) continue;
    llvm::Function* fn = emit_handler(ctx, handler, i);
    auto* bb = llvm::BasicBlock::Create(llvm_context, "on." + handler.decl->method.text, entry);
    llvm::IRBuilder<> call(bb);
    call.CreateCall(fn, {request});
    call.CreateRetVoid();
    dispatch->addCase(ctx.u32(handler.method), bb);
  }
  llvm::IRBuilder<>(no_handler).CreateRetVoid();  // no decision: the runtime's default applies
  return entry;
}

// Replies and failures: the first handler, in policy order, whose status range and
// dispatcher set match.
// Null when the policy has no handler of this kind, so the runtime skips the call.
llvm::Function* emit_ordered_entry(CodegenContext& ctx, ast::HandlerKind kind, const char* name) {
  bool any = std::any_of(ctx.model.handlers.begin(), ctx.model.handlers.end(),
                         [&](const HandlerModel& h) { return h.kind == kind; });
  if (!any) return nullptr;
  llvm::Function* entry = new_entry(ctx, name);
  auto& llvm_context = ctx.module.getContext();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(llvm_context, "entry", entry));
  llvm::Value* request = entry->getArg(0);
  llvm::Value* status = b.CreateCall(ctx.abi.req_int_field, {request, ctx.u32(SBC_FIELD_STATUS)});
  llvm::Value* set = b.CreateCall(ctx.abi.req_dispatcher, {request});
  for (size_t i = 0; i < ctx.model.handlers.size(); ++i) {
    const auto& handler = ctx.model.handlers[i];
    if (handler.kind != kind) continue;
    llvm::Value* matches = b.getTrue();
    if (kind == ast::HandlerKind::Reply) {
      matches = b.CreateAnd(b.CreateICmpSGE(status, ctx.u64(handler.status_low)),
                            b.CreateICmpSLE(status, ctx.u64(handler.status_high)));
    }
    if (handler.from) matches = b.CreateAnd(matches, b.CreateICmpEQ(set, ctx.u32(*handler.from)));
    llvm::Function* fn = emit_handler(ctx, handler, i);
    auto* run = llvm::BasicBlock::Create(llvm_context, "run", entry);
    auto* next = llvm::BasicBlock::Create(llvm_context, "next", entry);
    b.CreateCondBr(matches, run, next);
    llvm::IRBuilder<> call(run);
    call.CreateCall(fn, {request});
    call.CreateRetVoid();
    b.SetInsertPoint(next);
  }
  b.CreateRetVoid();
  return entry;
}

}  // namespace

RouteEntries emit_routes(CodegenContext& ctx) {
  return {emit_request_entry(ctx), emit_ordered_entry(ctx, ast::HandlerKind::Reply, "sbc_route_reply"),
          emit_ordered_entry(ctx, ast::HandlerKind::Failure, "sbc_route_failure")};
}

}  // namespace sbcc::codegen
