// Lowers request handlers to native functions. Conditions become branches over calls
// to the runtime's request accessors; network membership is compiled to inline prefix
// comparisons; decisions become sbc_act_* calls followed by a return.
#include "codegen/codegen_context.h"
#include "sbc/abi.h"

namespace sbcc::codegen {
namespace {

struct StringValue {
  llvm::Value* ptr;
  llvm::Value* len;
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
      case ast::StmtKind::MediaRelay:
        b_.CreateCall(ctx_.abi.act_media_relay,
                      {request_, face_value(*s.media_from), face_value(*s.media_to), ctx_.u32(media_profile(s))});
        break;
      case ast::StmtKind::Forward: emit_forward(s); break;
      case ast::StmtKind::Reply: {
        StringValue reason = constant_string(s.reply_reason);
        b_.CreateCall(ctx_.abi.act_reply, {request_, ctx_.u32(s.reply_code), reason.ptr, reason.len});
        b_.CreateRetVoid();
        break;
      }
      case ast::StmtKind::Log: {
        StringValue message = constant_string(s.log_message);
        b_.CreateCall(ctx_.abi.act_log, {request_, ctx_.u32(log_level(s)), message.ptr, message.len});
        break;
      }
    }
  }

  static uint32_t media_profile(const ast::Stmt& s) {
    if (!s.media_profile) return SBC_MEDIA_SAME;
    return s.media_profile->text == "srtp" ? SBC_MEDIA_SRTP : SBC_MEDIA_RTP;
  }

  static uint32_t log_level(const ast::Stmt& s) {
    if (!s.log_level) return SBC_LOG_INFO;
    const std::string& l = s.log_level->text;
    return l == "debug" ? SBC_LOG_DEBUG : l == "warn" ? SBC_LOG_WARN : l == "error" ? SBC_LOG_ERROR : SBC_LOG_INFO;
  }

  void emit_if(const ast::Stmt& s) {
    llvm::Value* cond = bool_value(*s.condition);
    auto* then_bb = new_block("then");
    auto* else_bb = new_block("else");
    auto* join_bb = new_block("endif");
    b_.CreateCondBr(cond, then_bb, else_bb);
    for (auto [bb, block] : {std::pair{then_bb, &s.then_block}, std::pair{else_bb, &s.else_block}}) {
      b_.SetInsertPoint(bb);
      emit_block(*block);
      if (!b_.GetInsertBlock()->getTerminator()) b_.CreateBr(join_bb);
    }
    b_.SetInsertPoint(join_bb);
    if (llvm::pred_empty(join_bb)) b_.CreateUnreachable();  // both branches decided
  }

  void emit_forward(const ast::Stmt& s) {
    llvm::Value* face = ctx_.u32(SBC_DEFAULT);
    llvm::Value* transport = ctx_.u32(SBC_DEFAULT);
    if (s.via_face) face = ctx_.u32(face_index(s.via_face->text));
    if (s.via_transport) transport = ctx_.u32(static_cast<uint32_t>(*parse_transport(s.via_transport->text)));
    switch (s.target.kind) {
      case ast::TargetKind::Named:
        b_.CreateCall(ctx_.abi.act_forward_dispatcher,
                      {request_, ctx_.u32(dispatcher_index(s.target.text)), face, transport});
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

  uint32_t face_index(const std::string& name) const {
    for (uint32_t i = 0; i < ctx_.model.faces.size(); ++i) {
      if (ctx_.model.faces[i].name == name) return i;
    }
    return SBC_DEFAULT;
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

  llvm::Value* face_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Cond) {
      return b_.CreateSelect(bool_value(*e.operands[0]), face_value(*e.operands[1]), face_value(*e.operands[2]));
    }
    return ctx_.u32(e.symbol.index);
  }

  Field field_of(const ast::Expr& e) const { return e.symbol.field; }

  StringValue string_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Literal) return constant_string(e.text);
    if (const ConstValue* c = constant_of(e)) return constant_string(std::get<std::string>(c->value));
    if (e.kind == ast::ExprKind::Cond) {
      llvm::Value* cond = bool_value(*e.operands[0]);
      StringValue a = string_value(*e.operands[1]);
      StringValue b = string_value(*e.operands[2]);
      return {b_.CreateSelect(cond, a.ptr, b.ptr), b_.CreateSelect(cond, a.len, b.len)};
    }
    llvm::Value* pair = b_.CreateCall(ctx_.abi.req_field, {request_, ctx_.u32(static_cast<uint32_t>(field_of(e)))});
    return {b_.CreateExtractValue(pair, 0), b_.CreateExtractValue(pair, 1)};
  }

  llvm::Value* int_value(const ast::Expr& e) {
    if (e.kind == ast::ExprKind::Literal) return ctx_.u64(std::stoull(e.text));
    if (const ConstValue* c = constant_of(e)) return ctx_.u64(std::get<uint64_t>(c->value));
    if (e.kind == ast::ExprKind::Cond) {
      return b_.CreateSelect(bool_value(*e.operands[0]), int_value(*e.operands[1]), int_value(*e.operands[2]));
    }
    return b_.CreateCall(ctx_.abi.req_int_field, {request_, ctx_.u32(static_cast<uint32_t>(field_of(e)))});
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
    b_.CreateCall(ctx_.abi.req_ip_field, {request_, ctx_.u32(static_cast<uint32_t>(field_of(e))), slot});
    return slot;
  }

  llvm::Value* bool_value(const ast::Expr& e) {
    switch (e.kind) {
      case ast::ExprKind::Literal: return b_.getInt1(e.text == "true");
      case ast::ExprKind::Name: return b_.getInt1(std::get<bool>(constant_of(e)->value));
      case ast::ExprKind::Not: return b_.CreateNot(bool_value(*e.operands[0]));
      case ast::ExprKind::And: return short_circuit(e, true);
      case ast::ExprKind::Or: return short_circuit(e, false);
      case ast::ExprKind::IsMyself: {
        llvm::Value* r = b_.CreateCall(ctx_.abi.req_is_myself,
                                       {request_, ctx_.u32(static_cast<uint32_t>(field_of(*e.operands[0])))});
        return b_.CreateICmpNE(r, ctx_.u32(0));
      }
      case ast::ExprKind::In: return in_network(address_value(*e.operands[0]), ctx_.model.networks[e.symbol.index]);
      case ast::ExprKind::Equal: return compare(e);
      case ast::ExprKind::NotEqual: return b_.CreateNot(compare(e));
      case ast::ExprKind::Cond:
        return b_.CreateSelect(bool_value(*e.operands[0]), bool_value(*e.operands[1]), bool_value(*e.operands[2]));
      case ast::ExprKind::Member: break;
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
    switch (left.type == Type::Endpoint ? Type::Address : left.type) {
      case Type::String: {
        StringValue a = string_value(left);
        StringValue c = string_value(right);
        return b_.CreateICmpNE(b_.CreateCall(ctx_.abi.str_equal, {a.ptr, a.len, c.ptr, c.len}), ctx_.u32(0));
      }
      case Type::Int: return b_.CreateICmpEQ(int_value(left), int_value(right));
      case Type::Address: return addresses_equal(address_value(left), address_value(right));
      case Type::Bool: return b_.CreateICmpEQ(bool_value(left), bool_value(right));
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
      llvm::Value* match = b_.CreateICmpEQ(family, ctx_.u32(cidr.network.family));
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
};

llvm::Function* emit_handler(CodegenContext& ctx, const HandlerModel& handler) {
  auto* fn = llvm::Function::Create(ctx.types.route_fn, llvm::GlobalValue::InternalLinkage,
                                    "sbc.on_request." + handler.decl->method.text, ctx.module);
  fn->setDoesNotThrow();
  RouteEmitter(ctx, fn).emit_body(handler.decl->body);
  return fn;
}

}  // namespace

llvm::Function* emit_routes(CodegenContext& ctx) {
  auto* entry_fn = llvm::Function::Create(ctx.types.route_fn, llvm::GlobalValue::InternalLinkage, "sbc_route_request",
                                          ctx.module);
  entry_fn->setDoesNotThrow();
  auto& llvm_context = ctx.module.getContext();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(llvm_context, "entry", entry_fn));
  llvm::Value* request = entry_fn->getArg(0);
  llvm::Value* method = b.CreateCall(ctx.abi.req_method, {request});
  auto* no_handler = llvm::BasicBlock::Create(llvm_context, "no_handler", entry_fn);
  auto* dispatch = b.CreateSwitch(method, no_handler, static_cast<unsigned>(ctx.model.handlers.size()));
  for (const auto& handler : ctx.model.handlers) {
    llvm::Function* fn = emit_handler(ctx, handler);
    auto* bb = llvm::BasicBlock::Create(llvm_context, "on." + handler.decl->method.text, entry_fn);
    llvm::IRBuilder<>(bb).CreateCall(fn, {request});
    llvm::IRBuilder<>(bb).CreateRetVoid();
    dispatch->addCase(ctx.u32(handler.method), bb);
  }
  llvm::IRBuilder<>(no_handler).CreateRetVoid();  // no decision: the runtime's default applies
  return entry_fn;
}

}  // namespace sbcc::codegen
