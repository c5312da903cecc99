// See compilation.h. The whole pipeline: load -> parse (prelude + policy) -> sema ->
// codegen -> optimise -> object. Linking is the driver's last step.
#include "driver/compilation.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>

#include "driver/backend_loader.h"
#include "driver/prelude.h"
#include "link_config.h"
#include "sema/sema.h"
#include "syntax/parser.h"

namespace sbcc {
namespace {

std::string hex_sha256(std::string_view text) {
  std::array<uint8_t, SHA256_DIGEST_LENGTH> digest;
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : digest) {
    hex += digits[byte >> 4];
    hex += digits[byte & 15];
  }
  return hex;
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

// Parses `file`, then (depth first, in order) the files it imports, appending each
// file's declarations after those of its imports. Each file is merged once; a file that
// imports one of the files it is being imported from closes a cycle.
bool Compilation::load_tree(FileId file, ast::Policy& merged, std::vector<std::string>& stack) {
  auto policy = parse_policy(sources_, file, diags_);
  if (!policy) return false;
  loaded_files_.push_back(file);
  bool ok = true;
  std::filesystem::path folder = std::filesystem::path(sources_.path(file)).parent_path();
  for (const auto& import : policy->imports) {
    std::string path = (folder / import.path).lexically_normal().string();
    if (std::find(stack.begin(), stack.end(), path) != stack.end()) {
      auto& d = diags_.report(DiagKind::ImportCycle, import.range, "importing \"" + import.path + "\" closes a cycle");
      for (const auto& link : stack) d.notes.push_back("imported through " + link);
      d.hint = "move the declarations both files need into a third file that each imports";
      ok = false;
      continue;
    }
    bool already = false;
    for (FileId loaded : loaded_files_) {
      already = already || std::filesystem::path(sources_.path(loaded)).lexically_normal() == path;
    }
    if (already) continue;
    auto imported = sources_.load_file(path);
    if (!imported) {
      auto& d = diags_.report(DiagKind::ImportNotFound, import.range, "cannot read imported file " + path);
      d.hint = "import paths are relative to the folder of the importing file";
      ok = false;
      continue;
    }
    stack.push_back(path);
    ok = load_tree(*imported, merged, stack) && ok;
    stack.pop_back();
  }
  policy->imports.clear();
  ast::append(merged, std::move(*policy));
  return ok;
}

bool Compilation::analyze(bool require_files) {
  auto prelude = parse_policy(sources_, prelude_file_, diags_);
  if (!prelude) return false;
  ast::Policy merged = std::move(*prelude);
  merged.file = policy_file_;
  std::vector<std::string> stack{std::filesystem::path(sources_.path(policy_file_)).lexically_normal().string()};
  bool parsed = load_tree(policy_file_, merged, stack);
  policy_ = std::move(merged);
  if (!parsed) {
    policy_.reset();
    return false;
  }
  model_ = sbcc::analyze(*policy_, diags_, {&sources_, require_files});
  return model_.has_value();
}

int Compilation::build(const std::string& emit, const std::string& output, bool optimize) {
  std::string error;
  codegen::BackendEntry backend = load_backend(error);
  if (!backend) {
    std::cerr << "sbcc: error: " << error << "\n";
    return 2;
  }
  model_->source_name = policy_path_;
  std::string all_text;
  for (FileId file : loaded_files_) all_text.append(sources_.text(file));
  codegen::BackendRequest request{&*model_, {policy_path_, hex_sha256(all_text), SBCC_VERSION}, emit, output, optimize};
  int status = backend(request, error);
  if (status != 0) std::cerr << "sbcc: error: " << error << "\n";
  return status;
}

}  // namespace sbcc
