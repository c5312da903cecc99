// See abi_types.h. Each struct lists its C fields in a comment beside the LLVM types.
#include "codegen/abi_types.h"

#include <llvm/IR/Function.h>

namespace sbcc::codegen {

AbiTypes::AbiTypes(llvm::Module& module)
    : context(module.getContext()),
      i32(llvm::Type::getInt32Ty(context)),
      i64(llvm::Type::getInt64Ty(context)),
      ptr(llvm::PointerType::get(context, 0)) {
  auto* bytes16 = llvm::ArrayType::get(llvm::Type::getInt8Ty(context), 16);
  ip = llvm::StructType::create(context, {i32, bytes16}, "sbc_ip");  // family, bytes
  cidr = llvm::StructType::create(context, {ip, i32}, "sbc_cidr");   // network, prefix
  // name, has_rtp, rtp_address, has_rtp_advertise, rtp_advertise, rtp_port_min, rtp_port_max
  face = llvm::StructType::create(context, {ptr, i32, ip, i32, ip, i32, i32}, "sbc_face");
  // name, face, transport, address, port, has_advertise, advertise, advertise_port
  listener = llvm::StructType::create(context, {ptr, i32, i32, ip, i32, i32, ip, i32}, "sbc_listener");
  network = llvm::StructType::create(context, {ptr, ptr, i32}, "sbc_network");  // name, cidrs, cidr_count
  destination = llvm::StructType::create(context, {ptr, ptr, i32, i32}, "sbc_destination");  // uri, duid, prio, weight
  // enabled, method, interval_ms, from_uri, accept_codes, accept_count, threshold, always
  probe = llvm::StructType::create(context, {i32, ptr, i32, ptr, ptr, i32, i32, i32}, "sbc_probe");
  // name, face, transport, pick, destinations, destination_count, probe
  dispatcher = llvm::StructType::create(context, {ptr, i32, i32, i32, ptr, i32, probe}, "sbc_dispatcher");
  // abi_version, struct_size, identity, source_name, source_hash, compiler_version, faces, face_count,
  // listeners, listener_count, aliases, alias_count, networks, network_count, dispatchers,
  // dispatcher_count, route_request
  policy = llvm::StructType::create(
      context, {i32, i32, ptr, ptr, ptr, ptr, ptr, i32, ptr, i32, ptr, i32, ptr, i32, ptr, i32, ptr}, "sbc_policy");
  str = llvm::StructType::get(context, {ptr, i64});
  route_fn = llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr}, false);
}

namespace {

llvm::FunctionCallee declare(llvm::Module& module, const char* name, llvm::Type* result,
                             llvm::ArrayRef<llvm::Type*> params) {
  auto callee = module.getOrInsertFunction(name, llvm::FunctionType::get(result, params, false));
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) fn->setDoesNotThrow();
  return callee;
}

}  // namespace

AbiFunctions::AbiFunctions(llvm::Module& module, const AbiTypes& t) {
  auto* void_ty = llvm::Type::getVoidTy(t.context);
  req_method = declare(module, "sbc_req_method", t.i32, {t.ptr});
  req_field = declare(module, "sbc_req_field", t.str, {t.ptr, t.i32});
  req_int_field = declare(module, "sbc_req_int_field", t.i64, {t.ptr, t.i32});
  req_ip_field = declare(module, "sbc_req_ip_field", t.i32, {t.ptr, t.i32, t.ptr});
  req_is_myself = declare(module, "sbc_req_is_myself", t.i32, {t.ptr, t.i32});
  str_equal = declare(module, "sbc_str_equal", t.i32, {t.ptr, t.i64, t.ptr, t.i64});
  act_forward_dispatcher = declare(module, "sbc_act_forward_dispatcher", void_ty, {t.ptr, t.i32, t.i32, t.i32});
  act_forward_uri = declare(module, "sbc_act_forward_uri", void_ty, {t.ptr, t.ptr, t.i64, t.i32, t.i32});
  act_reply = declare(module, "sbc_act_reply", void_ty, {t.ptr, t.i32, t.ptr, t.i64});
  act_media_relay = declare(module, "sbc_act_media_relay", void_ty, {t.ptr, t.i32, t.i32, t.i32});
  act_log = declare(module, "sbc_act_log", void_ty, {t.ptr, t.i32, t.ptr, t.i64});
}

}  // namespace sbcc::codegen
