// See compilation.h. The whole pipeline: load -> parse (prelude + policy) -> sema ->
// codegen -> optimise -> object. Linking is the driver's last step.
#include "driver/compilation.h"

#include <llvm/Support/SHA256.h>

#include <iostream>

#include "codegen/codegen.h"
#include "codegen/object_emitter.h"
#include "driver/prelude.h"
#include "link_config.h"
#include "sema/sema.h"
#include "syntax/parser.h"

namespace sbcc {
namespace {

std::string hex_sha256(std::string_view text) {
  auto digest = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : digest) {
    hex += digits[byte >> 4];
    hex += digits[byte & 15];
  }
  return hex;
}

// The prelude's declarations come first, so the user's policy sees them.
void prepend(ast::Policy& policy, ast::Policy&& prelude) {
  auto move_front = [](auto& into, auto& from) {
    from.insert(from.end(), std::make_move_iterator(into.begin()), std::make_move_iterator(into.end()));
    into = std::move(from);
  };
  move_front(policy.lets, prelude.lets);
  move_front(policy.interfaces, prelude.interfaces);
  move_front(policy.aliases, prelude.aliases);
  move_front(policy.networks, prelude.networks);
  move_front(policy.dispatchers, prelude.dispatchers);
  move_front(policy.handlers, prelude.handlers);
}

}  // namespace

bool Compilation::load(const std::string& path) {
  prelude_file_ = sources_.add_buffer("<prelude>", prelude_text);
  auto file = sources_.load_file(path);
  if (!file) {
    std::cerr << "sbcc: error: cannot read " << path << "\n";
    return false;
  }
  policy_file_ = *file;
  policy_path_ = path;
  return true;
}

bool Compilation::analyze() {
  auto prelude = parse_policy(sources_, prelude_file_, diags_);
  policy_ = parse_policy(sources_, policy_file_, diags_);
  if (!prelude || !policy_) {
    policy_.reset();
    return false;
  }
  prepend(*policy_, std::move(*prelude));
  model_ = sbcc::analyze(*policy_, diags_);
  return model_.has_value();
}

bool Compilation::generate(bool optimize) {
  std::string error;
  target_ = codegen::create_host_target(error);
  if (!target_) {
    std::cerr << "sbcc: error: no code generator for this machine: " << error << "\n";
    return false;
  }
  model_->source_name = policy_path_;
  codegen::ModuleInfo info{policy_path_, hex_sha256(sources_.text(policy_file_)), SBCC_VERSION};
  module_ = codegen::generate(*model_, info, llvm_context_, *target_);
  if (optimize) codegen::optimize(*module_, *target_);
  return true;
}

bool Compilation::write_object(const std::string& path, std::string& error) {
  return codegen::write_object(*module_, *target_, path, error);
}

}  // namespace sbcc
