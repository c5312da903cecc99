// Lowers a checked policy to an LLVM module: the static configuration as data and the
// route handlers as native functions calling only runtime/include/sbc/abi.h.
#pragma once

#include <memory>
#include <string>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "codegen/backend.h"
#include "sema/policy_model.h"

namespace sbcc::codegen {

// `target` fixes the data layout, so that struct sizes match the runtime's.
std::unique_ptr<llvm::Module> generate(const PolicyModel& model, const ModuleInfo& info, llvm::LLVMContext& context,
                                       const llvm::TargetMachine& target);

}  // namespace sbcc::codegen
