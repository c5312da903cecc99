// One run of the compiler over one policy: the stages in order, each usable alone so
// that `check`, `--emit=ast`, `--emit=llvm` and a full build share the same pipeline.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "basic/diagnostic_engine.h"
#include "sema/policy_model.h"
#include "syntax/ast.h"

namespace sbcc {

class Compilation {
 public:
  // Reads the policy and the prelude. False on I/O failure (reported to stderr).
  bool load(const std::string& path);
  // Parses the policy and everything it imports, then checks. False if any error
  // diagnostic was reported. A build requires the files the policy names to exist.
  bool analyze(bool require_files = false);
  // Lowers the checked policy to optimised LLVM IR. False if the back end is unavailable.
  bool generate(bool optimize);
  bool write_object(const std::string& path, std::string& error);

  DiagnosticEngine& diagnostics() { return diags_; }
  const SourceManager& sources() const { return sources_; }
  const ast::Policy& policy() const { return *policy_; }
  bool parsed() const { return policy_.has_value(); }
  llvm::Module& module() { return *module_; }

 private:
  SourceManager sources_;
  DiagnosticEngine diags_;
  FileId prelude_file_ = 0;
  FileId policy_file_ = 0;
  std::string policy_path_;
  std::vector<FileId> loaded_files_;  // every policy file, in the order it was merged
  bool load_tree(FileId file, ast::Policy& merged, std::vector<std::string>& stack);
  std::optional<ast::Policy> policy_;
  std::optional<PolicyModel> model_;
  llvm::LLVMContext llvm_context_;
  std::unique_ptr<llvm::TargetMachine> target_;
  std::unique_ptr<llvm::Module> module_;
};

}  // namespace sbcc
