// The LLVM back end: target selection, the optimisation pipeline and object emission.
#pragma once

#include <memory>
#include <string>

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace sbcc::codegen {

// A target machine for the host, producing position-independent code.
// Returns null and sets `error` if LLVM has no back end for the host.
std::unique_ptr<llvm::TargetMachine> create_host_target(std::string& error);

// Runs the -O2 pipeline over `module`.
void optimize(llvm::Module& module, llvm::TargetMachine& target);

// Writes `module` as an ELF object file. Returns false and sets `error` on failure.
bool write_object(llvm::Module& module, llvm::TargetMachine& target, const std::string& path, std::string& error);

}  // namespace sbcc::codegen
