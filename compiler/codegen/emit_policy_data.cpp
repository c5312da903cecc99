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
         ctx.ip_constant(l.advertise.value_or(none)), ctx.u32(l.advertise_port)}));
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

}  // namespace

void emit_policy_data(CodegenContext& ctx, llvm::Function* route_request, const ModuleInfo& info) {
  const auto& m = ctx.model;
  const llvm::DataLayout& layout = ctx.module.getDataLayout();
  uint64_t policy_size = layout.getTypeAllocSize(ctx.types.policy);
  auto* value = llvm::ConstantStruct::get(
      ctx.types.policy,
      {ctx.u32(SBC_ABI_VERSION), ctx.u32(policy_size), ctx.string_constant(m.identity),
       ctx.string_constant(info.source_name), ctx.string_constant(info.source_hash),
       ctx.string_constant(info.compiler_version), faces(ctx), ctx.u32(m.faces.size()), listeners(ctx),
       ctx.u32(m.listeners.size()), aliases(ctx), ctx.u32(m.aliases.size()), networks(ctx),
       ctx.u32(m.networks.size()), dispatchers(ctx), ctx.u32(m.dispatchers.size()), route_request});
  new llvm::GlobalVariable(ctx.module, ctx.types.policy, true, llvm::GlobalValue::ExternalLinkage, value,
                           "sbc_compiled_policy");
}

}  // namespace sbcc::codegen
