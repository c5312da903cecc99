// The codegen pipeline: routes first (the policy data points at them), then data.
#include "codegen/codegen.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/codegen_context.h"

namespace sbcc::codegen {

llvm::Constant* CodegenContext::string_constant(const std::string& text) {
  auto it = strings_.find(text);
  if (it != strings_.end()) return it->second;
  auto* data = llvm::ConstantDataArray::getString(module.getContext(), text, true);
  auto* global = new llvm::GlobalVariable(module, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data, ".str");
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  global->setAlignment(llvm::Align(1));
  strings_.emplace(text, global);
  return global;
}

llvm::Constant* CodegenContext::array_constant(llvm::Type* element, const std::vector<llvm::Constant*>& values,
                                               const std::string& name) {
  if (values.empty()) return llvm::ConstantPointerNull::get(types.ptr);
  auto* type = llvm::ArrayType::get(element, values.size());
  return new llvm::GlobalVariable(module, type, true, llvm::GlobalValue::PrivateLinkage,
                                  llvm::ConstantArray::get(type, values), name);
}

llvm::Constant* CodegenContext::ip_constant(const IpAddress& address) {
  auto* bytes = llvm::ConstantDataArray::get(module.getContext(), llvm::ArrayRef<uint8_t>(address.bytes));
  return llvm::ConstantStruct::get(types.ip, {u32(address.family), bytes});
}

std::unique_ptr<llvm::Module> generate(const PolicyModel& model, const ModuleInfo& info, llvm::LLVMContext& context,
                                       const llvm::TargetMachine& target) {
  auto module = std::make_unique<llvm::Module>(info.source_name, context);
  module->setTargetTriple(target.getTargetTriple().str());
  module->setDataLayout(target.createDataLayout());
  CodegenContext ctx(*module, model);
  RouteEntries routes = emit_routes(ctx);
  emit_policy_data(ctx, routes, info);
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*module, &stream)) {
    // A compiler bug, not a user error: say so loudly rather than emit a broken binary.
    llvm::report_fatal_error(llvm::Twine("sbcc internal error: invalid IR generated: ") + problems);
  }
  return module;
}

}  // namespace sbcc::codegen
