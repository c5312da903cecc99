// Emits `sbc_compiled_policy`: faces, listeners, aliases, networks and dispatcher sets
// as constant data in the layout of runtime/include/sbc/abi.h.
#include "codegen/codegen.h"
#include "codegen/codegen_context.h"
#include "sbc/abi.h"

namespace sbcc::codegen {
namespace {

llvm::Constant* faces(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  IpAddress none;
  for (const auto& f : ctx.model.faces) {
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.face, {ctx.string_constant(f.name), ctx.u32(f.rtp_address.has_value()),
                         ctx.ip_constant(f.rtp_address.value_or(none)), ctx.u32(f.rtp_advertise.has_value()),
                         ctx.ip_constant(f.rtp_advertise.value_or(none)), ctx.u32(f.rtp_port_min),
                         ctx.u32(f.rtp_port_max)}));
  }
  return ctx.array_constant(ctx.types.face, out, "sbc.faces");
}

llvm::Constant* listeners(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  IpAddress none;
  for (const auto& l : ctx.model.listeners) {
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.listener,
        {ctx.string_constant(l.name), ctx.u32(l.face), ctx.u32(static_cast<uint32_t>(l.transport)),
         ctx.ip_constant(l.address), ctx.u32(l.port), ctx.u32(l.advertise.has_value()),
         ctx.ip_constant(l.advertise.value_or(none)), ctx.u32(l.advertise_port),
         ctx.u32(l.tls_profile.value_or(SBC_DEFAULT))}));
  }
  return ctx.array_constant(ctx.types.listener, out, "sbc.listeners");
}

llvm::Constant* aliases(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& a : ctx.model.aliases) out.push_back(ctx.string_constant(a));
  return ctx.array_constant(ctx.types.ptr, out, "sbc.aliases");
}

llvm::Constant* networks(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& n : ctx.model.networks) {
    std::vector<llvm::Constant*> cidrs;
    for (const auto& c : n.cidrs) {
      cidrs.push_back(llvm::ConstantStruct::get(ctx.types.cidr, {ctx.ip_constant(c.network), ctx.u32(c.prefix)}));
    }
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.network, {ctx.string_constant(n.name), ctx.array_constant(ctx.types.cidr, cidrs, "sbc.cidrs." + n.name),
                            ctx.u32(cidrs.size())}));
  }
  return ctx.array_constant(ctx.types.network, out, "sbc.networks");
}

llvm::Constant* probe(CodegenContext& ctx, const DispatcherModel& set) {
  if (!set.probe) {
    auto* null = llvm::ConstantPointerNull::get(ctx.types.ptr);
    return llvm::ConstantStruct::get(ctx.types.probe,
                                     {ctx.u32(0), null, ctx.u32(0), null, null, ctx.u32(0), ctx.u32(0), ctx.u32(0)});
  }
  const ProbeModel& p = *set.probe;
  std::vector<llvm::Constant*> codes;
  for (uint16_t code : p.accept_codes) codes.push_back(ctx.u32(code));
  return llvm::ConstantStruct::get(
      ctx.types.probe,
      {ctx.u32(1), ctx.string_constant(p.method), ctx.u32(p.interval_ms), ctx.string_constant(p.from_uri),
       ctx.array_constant(ctx.types.i32, codes, "sbc.accept." + set.name), ctx.u32(codes.size()),
       ctx.u32(p.threshold), ctx.u32(p.always)});
}

llvm::Constant* dispatchers(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& set : ctx.model.dispatchers) {
    std::vector<llvm::Constant*> dests;
    for (const auto& d : set.destinations) {
      dests.push_back(llvm::ConstantStruct::get(
          ctx.types.destination, {ctx.string_constant(d.uri), ctx.string_constant(d.duid),
                                  ctx.u32(static_cast<uint32_t>(d.priority)), ctx.u32(static_cast<uint32_t>(d.weight))}));
    }
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.dispatcher,
        {ctx.string_constant(set.name), ctx.u32(set.face), ctx.u32(static_cast<uint32_t>(set.transport)),
         ctx.u32(static_cast<uint32_t>(set.pick)), ctx.array_constant(ctx.types.destination, dests, "sbc.dests." + set.name),
         ctx.u32(dests.size()), probe(ctx, set)}));
  }
  return ctx.array_constant(ctx.types.dispatcher, out, "sbc.dispatchers");
}

llvm::Constant* tls_profiles(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& p : ctx.model.tls) {
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.tls_profile,
        {ctx.string_constant(p.name), ctx.u32(p.server), ctx.string_constant(p.min_version),
         ctx.string_constant(p.max_version), ctx.string_constant(p.certificate), ctx.string_constant(p.key),
         ctx.string_constant(p.ca), ctx.string_constant(p.ciphers), ctx.u32(p.verify), ctx.u32(p.require)}));
  }
  return ctx.array_constant(ctx.types.tls_profile, out, "sbc.tls");
}

llvm::Constant* limits(CodegenContext& ctx) {
  const LimitsModel& l = ctx.model.limits;
  return llvm::ConstantStruct::get(ctx.types.limits, {ctx.u32(l.tcp_max_connections), ctx.u32(l.tls_max_connections),
                                                      ctx.u32(l.tcp_lifetime_s), ctx.u32(l.tls_lifetime_s),
                                                      ctx.u32(l.media_timeout_s)});
}

llvm::Constant* string_array(CodegenContext& ctx, const std::vector<std::string>& values, const std::string& name) {
  std::vector<llvm::Constant*> out;
  for (const auto& v : values) out.push_back(ctx.string_constant(v));
  return ctx.array_constant(ctx.types.ptr, out, name);
}

llvm::Constant* enums(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& e : ctx.model.enums) {
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.enumeration,
        {ctx.string_constant(e.name), string_array(ctx, e.members, "sbc.enum." + e.name), ctx.u32(e.members.size())}));
  }
  return ctx.array_constant(ctx.types.enumeration, out, "sbc.enums");
}

uint32_t column_kind(Type type) {
  switch (type.kind) {
    case TypeKind::Int: return SBC_COLUMN_INT;
    case TypeKind::Bool: return SBC_COLUMN_BOOL;
    case TypeKind::Uri: return SBC_COLUMN_URI;
    case TypeKind::Duration: return SBC_COLUMN_DURATION;
    case TypeKind::Enum: return SBC_COLUMN_ENUM;
    default: return SBC_COLUMN_STRING;
  }
}

llvm::Constant* column(CodegenContext& ctx, const ColumnModel& c) {
  return llvm::ConstantStruct::get(ctx.types.column,
                                   {ctx.string_constant(c.name), ctx.u32(column_kind(c.type)), ctx.u32(c.type.id)});
}

llvm::Constant* columns(CodegenContext& ctx, const std::vector<ColumnModel>& cols, const std::string& name) {
  std::vector<llvm::Constant*> out;
  for (const auto& c : cols) out.push_back(column(ctx, c));
  return ctx.array_constant(ctx.types.column, out, name);
}

llvm::Constant* databases(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& d : ctx.model.databases) {
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.database, {ctx.string_constant(d.name), ctx.u32(static_cast<uint32_t>(d.engine)),
                             ctx.string_constant(d.location), ctx.string_constant(d.password_source),
                             ctx.string_constant(d.password_name), ctx.u32(d.refresh_ms), ctx.string_constant(d.seed)}));
  }
  return ctx.array_constant(ctx.types.database, out, "sbc.databases");
}

llvm::Constant* tables(CodegenContext& ctx) {
  std::vector<llvm::Constant*> out;
  for (const auto& t : ctx.model.tables) {
    out.push_back(llvm::ConstantStruct::get(
        ctx.types.table, {ctx.string_constant(t.name), ctx.u32(t.database), column(ctx, t.key),
                          columns(ctx, t.columns, "sbc.columns." + t.name), ctx.u32(t.columns.size())}));
  }
  return ctx.array_constant(ctx.types.table, out, "sbc.tables");
}

llvm::Constant* http(CodegenContext& ctx) {
  IpAddress none;
  auto* null = llvm::ConstantPointerNull::get(ctx.types.ptr);
  if (!ctx.model.http) {
    return llvm::ConstantStruct::get(ctx.types.http, {ctx.u32(0), ctx.ip_constant(none), ctx.u32(0), null, ctx.u32(0),
                                                      ctx.string_constant(""), ctx.string_constant("")});
  }
  const HttpModel& h = *ctx.model.http;
  return llvm::ConstantStruct::get(
      ctx.types.http, {ctx.u32(1), ctx.ip_constant(h.address), ctx.u32(h.port),
                       string_array(ctx, h.endpoints, "sbc.http.endpoints"), ctx.u32(h.endpoints.size()),
                       ctx.string_constant(h.token_source), ctx.string_constant(h.token_name)});
}

llvm::Constant* entry_or_null(CodegenContext& ctx, llvm::Function* fn) {
  return fn ? static_cast<llvm::Constant*>(fn) : llvm::ConstantPointerNull::get(ctx.types.ptr);
}

uint32_t log_level(const std::string& level) {
  return level == "debug" ? SBC_LOG_DEBUG : level == "warn" ? SBC_LOG_WARN : level == "error" ? SBC_LOG_ERROR : SBC_LOG_INFO;
}

}  // namespace

void emit_policy_data(CodegenContext& ctx, const RouteEntries& routes, const ModuleInfo& info) {
  const auto& m = ctx.model;
  const llvm::DataLayout& layout = ctx.module.getDataLayout();
  uint64_t policy_size = layout.getTypeAllocSize(ctx.types.policy);
  auto* value = llvm::ConstantStruct::get(
      ctx.types.policy,
      {ctx.u32(SBC_ABI_VERSION), ctx.u32(policy_size), ctx.string_constant(m.identity),
       ctx.string_constant(info.source_name), ctx.string_constant(info.source_hash),
       ctx.string_constant(info.compiler_version), ctx.u32(log_level(m.log_level)), faces(ctx),
       ctx.u32(m.faces.size()), listeners(ctx), ctx.u32(m.listeners.size()), aliases(ctx), ctx.u32(m.aliases.size()),
       networks(ctx), ctx.u32(m.networks.size()), dispatchers(ctx), ctx.u32(m.dispatchers.size()),
       tls_profiles(ctx), ctx.u32(m.tls.size()), limits(ctx), enums(ctx), ctx.u32(m.enums.size()), databases(ctx),
       ctx.u32(m.databases.size()), tables(ctx), ctx.u32(m.tables.size()),
       columns(ctx, m.dialog_vars, "sbc.dialog_vars"), ctx.u32(m.dialog_vars.size()), http(ctx),
       routes.request, entry_or_null(ctx, routes.reply), entry_or_null(ctx, routes.failure)});
  new llvm::GlobalVariable(ctx.module, ctx.types.policy, true, llvm::GlobalValue::ExternalLinkage, value,
                           "sbc_compiled_policy");
}

}  // namespace sbcc::codegen
