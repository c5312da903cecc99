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
  // name, face, transport, address, port, has_advertise, advertise, advertise_port, tls_profile
  listener = llvm::StructType::create(context, {ptr, i32, i32, ip, i32, i32, ip, i32, i32}, "sbc_listener");
  // name, server, min_version, max_version, certificate, key, ca, ciphers, verify, require
  tls_profile = llvm::StructType::create(context, {ptr, i32, ptr, ptr, ptr, ptr, ptr, ptr, i32, i32}, "sbc_tls_profile");
  // tcp_max_connections, tls_max_connections, tcp_lifetime_s, tls_lifetime_s, media_timeout_s
  limits = llvm::StructType::create(context, {i32, i32, i32, i32, i32}, "sbc_limits");
  enumeration = llvm::StructType::create(context, {ptr, ptr, i32}, "sbc_enum");  // name, members, member_count
  column = llvm::StructType::create(context, {ptr, i32, i32}, "sbc_column");     // name, kind, enum_index
  // name, engine, location, password_source, password_name, refresh_ms, seed
  database = llvm::StructType::create(context, {ptr, i32, ptr, ptr, ptr, i32, ptr}, "sbc_database");
  // name, database, key, columns, column_count
  table = llvm::StructType::create(context, {ptr, i32, column, ptr, i32}, "sbc_table");
  // enabled, address, port, endpoints, endpoint_count, token_source, token_name
  http = llvm::StructType::create(context, {i32, ip, i32, ptr, i32, ptr, ptr}, "sbc_http");
  network = llvm::StructType::create(context, {ptr, ptr, i32}, "sbc_network");  // name, cidrs, cidr_count
  destination = llvm::StructType::create(context, {ptr, ptr, i32, i32}, "sbc_destination");  // uri, duid, prio, weight
  // enabled, method, interval_ms, from_uri, accept_codes, accept_count, threshold, always
  probe = llvm::StructType::create(context, {i32, ptr, i32, ptr, ptr, i32, i32, i32}, "sbc_probe");
  // name, face, transport, pick, destinations, destination_count, probe
  dispatcher = llvm::StructType::create(context, {ptr, i32, i32, i32, ptr, i32, probe}, "sbc_dispatcher");
  // abi_version, struct_size, identity, source_name, source_hash, compiler_version, log_level,
  // faces, face_count, listeners, listener_count, aliases, alias_count, networks, network_count,
  // dispatchers, dispatcher_count, tls_profiles, tls_profile_count, limits, enums, enum_count,
  // databases, database_count, tables, table_count, dialog_vars, dialog_var_count, http,
  // route_request, route_reply, route_failure
  policy = llvm::StructType::create(context,
                                    {i32, i32, ptr, ptr, ptr, ptr, i32, ptr, i32, ptr, i32, ptr, i32, ptr, i32, ptr, i32,
                                     ptr, i32, limits, ptr, i32, ptr, i32, ptr, i32, ptr, i32, http, ptr, ptr, ptr},
                                    "sbc_policy");
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
  req_header = declare(module, "sbc_req_header", t.str, {t.ptr, t.ptr, t.i64});
  req_dispatcher = declare(module, "sbc_req_dispatcher", t.i32, {t.ptr});
  table_lookup = declare(module, "sbc_table_lookup", t.i64, {t.ptr, t.i32, t.ptr, t.i64});
  row_string = declare(module, "sbc_row_string", t.str, {t.ptr, t.i32, t.i64, t.i32});
  row_int = declare(module, "sbc_row_int", t.i64, {t.ptr, t.i32, t.i64, t.i32});
  dialog_set_string = declare(module, "sbc_dialog_set_string", void_ty, {t.ptr, t.i32, t.ptr, t.i64});
  dialog_set_int = declare(module, "sbc_dialog_set_int", void_ty, {t.ptr, t.i32, t.i64});
  dialog_get_string = declare(module, "sbc_dialog_get_string", t.str, {t.ptr, t.i32});
  dialog_get_int = declare(module, "sbc_dialog_get_int", t.i64, {t.ptr, t.i32});
  act_header = declare(module, "sbc_act_header", void_ty, {t.ptr, t.i32, t.ptr, t.i64, t.ptr, t.i64});
  act_retry_next = declare(module, "sbc_act_retry_next", t.i32, {t.ptr});
  act_forward_dispatcher = declare(module, "sbc_act_forward_dispatcher", void_ty, {t.ptr, t.i32, t.i32, t.i32});
  act_forward_uri = declare(module, "sbc_act_forward_uri", void_ty, {t.ptr, t.ptr, t.i64, t.i32, t.i32});
  act_reply = declare(module, "sbc_act_reply", void_ty, {t.ptr, t.i32, t.ptr, t.i64});
  act_media_relay = declare(module, "sbc_act_media_relay", void_ty, {t.ptr, t.i32, t.i32, t.i32});
  act_log = declare(module, "sbc_act_log", void_ty, {t.ptr, t.i32, t.ptr, t.i64});
}

}  // namespace sbcc::codegen
