// What the codegen emitters share: the module, the ABI mirror and a constant pool.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include <map>
#include <string>

#include "codegen/abi_types.h"
#include "sema/policy_model.h"

namespace sbcc::codegen {

struct CodegenContext {
  CodegenContext(llvm::Module& module, const PolicyModel& model)
      : module(module), model(model), types(module), abi(module, types) {}

  llvm::Module& module;
  const PolicyModel& model;
  AbiTypes types;
  AbiFunctions abi;

  // A private, NUL-terminated string constant (deduplicated).
  llvm::Constant* string_constant(const std::string& text);
  // A private constant array of `element` values; null pointer when empty.
  llvm::Constant* array_constant(llvm::Type* element, const std::vector<llvm::Constant*>& values, const std::string& name);
  llvm::Constant* ip_constant(const IpAddress& address);
  llvm::ConstantInt* u32(uint64_t value) { return llvm::ConstantInt::get(types.i32, value); }
  llvm::ConstantInt* u64(uint64_t value) { return llvm::ConstantInt::get(types.i64, value); }

 private:
  std::map<std::string, llvm::Constant*> strings_;
};

// The three entries the runtime calls: initial requests, relayed responses, failures.
struct RouteEntries {
  llvm::Function* request = nullptr;
  llvm::Function* reply = nullptr;
  llvm::Function* failure = nullptr;
};

RouteEntries emit_routes(CodegenContext& ctx);
// The sbc_compiled_policy global with everything it points to.
void emit_policy_data(CodegenContext& ctx, const RouteEntries& routes, const struct ModuleInfo& info);

}  // namespace sbcc::codegen
