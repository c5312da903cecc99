// One run of the compiler over one policy: the stages in order, each usable alone so
// that `check`, `--emit=ast`, `--emit=llvm` and a full build share the same pipeline.
// The front end runs here; the back end is loaded from libsbcc_backend.so when needed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  // Runs the back end (libsbcc_backend.so) on the checked policy: `emit` is exe, obj or
  // llvm. Returns the exit status; errors are printed.
  int build(const std::string& emit, const std::string& output, bool optimize);

  DiagnosticEngine& diagnostics() { return diags_; }
  const SourceManager& sources() const { return sources_; }
  const ast::Policy& policy() const { return *policy_; }
  bool parsed() const { return policy_.has_value(); }
  // The checked policy; only after analyze() returned true.
  const PolicyModel& model() const { return *model_; }

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
};

}  // namespace sbcc
