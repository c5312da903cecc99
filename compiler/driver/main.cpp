// sbcc: the command-line driver. `sbcc POLICY -o OUT` builds a static SBC;
// `sbcc check` lints; `sbcc explain CODE` documents a diagnostic; `sbcc fmt` lays policies
// out canonically; `--emit` shows the intermediate forms. Exit status: 0 success,
// 1 policy errors (or, for `fmt --check`, unformatted files), 2 usage or I/O trouble.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>


#include "basic/diagnostic_render.h"
#include "driver/compilation.h"
#include "driver/schema.h"
#include "link_config.h"
#include "syntax/ast_printer.h"
#include "syntax/formatter.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitPolicyErrors = 1;
constexpr int kExitUsage = 2;

struct DiagnosticOptions {
  std::string format = "text";
  std::vector<std::string> warning_flags;  // -W error, -W no-<kind>
};

void add_diagnostic_options(CLI::App& app, DiagnosticOptions& opts) {
  app.add_option("--diagnostics", opts.format, "Diagnostic output: text (stderr), json or sarif (stdout)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  app.add_option("-W", opts.warning_flags, "-Werror: warnings are errors; -W no-<kind>: silence a warning kind");
}

// Applies -W flags; returns false (after a message) on an unknown flag.
bool apply_warning_flags(sbcc::DiagnosticEngine& diags, const DiagnosticOptions& opts) {
  for (const auto& flag : opts.warning_flags) {
    if (flag == "error") {
      diags.set_warnings_as_errors(true);
    } else if (const sbcc::DiagKindInfo* kind = flag.starts_with("no-") ? sbcc::find_diag_kind(flag.substr(3)) : nullptr) {
      if (kind->default_severity == sbcc::Severity::Error) {
        std::cerr << "sbcc: error: `-W" << flag << "`: " << kind->flag << " is an error and cannot be silenced\n";
        return false;
      }
      diags.disable(kind->kind);
    } else {
      std::cerr << "sbcc: error: unknown warning flag `-W" << flag << "`\n";
      return false;
    }
  }
  return true;
}

void report(const sbcc::SourceManager& sources, const sbcc::DiagnosticEngine& engine, const DiagnosticOptions& opts) {
  auto diags = engine.finished();
  sbcc::RenderOptions render;
  if (opts.format == "json") {
    render.format = sbcc::DiagFormat::Json;
  } else if (opts.format == "sarif") {
    render.format = sbcc::DiagFormat::Sarif;
  }
  if (render.format != sbcc::DiagFormat::Text) {
    sbcc::render_diagnostics(std::cout, sources, diags, render);
    return;
  }
  render.color = isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
  sbcc::render_diagnostics(std::cerr, sources, diags, render);
  size_t errors = engine.error_count();
  size_t warnings = engine.warning_count();
  if (errors || warnings) {
    std::cerr << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
              << (warnings == 1 ? " warning" : " warnings") << "\n";
  }
}

void report(sbcc::Compilation& c, const DiagnosticOptions& opts) { report(c.sources(), c.diagnostics(), opts); }

int run_check(const std::string& policy, const DiagnosticOptions& opts) {
  sbcc::Compilation c;
  if (!apply_warning_flags(c.diagnostics(), opts)) return kExitUsage;
  if (!c.load(policy)) return kExitUsage;
  c.analyze();
  report(c, opts);
  return c.diagnostics().has_errors() ? kExitPolicyErrors : kExitOk;
}

// `sbcc schema POLICY [--backend sqlite|mysql]`: CREATE TABLE statements on stdout.
int run_schema(const std::string& policy, const std::string& backend) {
  sbcc::Compilation c;
  if (!c.load(policy)) return kExitUsage;
  bool ok = c.analyze();
  report(c, DiagnosticOptions{});
  if (!ok) return kExitPolicyErrors;
  std::optional<sbcc::DatabaseEngine> engine;
  if (backend == "sqlite") engine = sbcc::DatabaseEngine::Sqlite;
  if (backend == "mysql" || backend == "mariadb") engine = sbcc::DatabaseEngine::Mysql;
  if (c.model().tables.empty()) {
    std::cerr << "sbcc: " << policy << " declares no table\n";
    return kExitOk;
  }
  std::cout << sbcc::create_table_statements(c.model(), engine);
  return kExitOk;
}

int run_explain(const std::string& code) {
  const sbcc::DiagKindInfo* kind = sbcc::find_diag_kind(code);
  if (!kind) {
    std::cerr << "sbcc: error: no diagnostic is called `" << code << "`\n";
    return kExitUsage;
  }
  std::cout << kind->code << " (" << kind->flag << ", " << sbcc::severity_name(kind->default_severity)
            << " by default)\n\n"
            << kind->explanation << "\n";
  return kExitOk;
}

struct FmtOptions {
  std::vector<std::string> files;  // "-" is standard input
  bool check = false;
  bool to_stdout = false;
};

// Line `index` (0-based) of `text`, without its newline; nullopt past the end.
std::optional<std::string_view> line_of(std::string_view text, size_t index) {
  size_t begin = 0;
  for (size_t i = 0; i < index; ++i) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos || begin + 1 >= text.size()) return std::nullopt;
    ++begin;
  }
  if (begin >= text.size()) return std::nullopt;
  return text.substr(begin, text.find('\n', begin) - begin);
}

// `--check`: names the file and shows its first line that formatting would change.
void print_unformatted(const std::string& path, std::string_view before, std::string_view after) {
  size_t lines = std::max(std::count(before.begin(), before.end(), '\n'), std::count(after.begin(), after.end(), '\n'));
  size_t index = 0;
  while (index <= lines && line_of(before, index) == line_of(after, index)) ++index;
  std::cout << "--- " << path << "\n+++ " << path << " (formatted)\n";
  if (index > lines) {
    std::cout << "@@ end of file @@\n only the final newline differs\n";
    return;
  }
  std::cout << "@@ line " << index + 1 << " @@\n";
  if (auto line = line_of(before, index)) std::cout << "-" << *line << "\n";
  if (auto line = line_of(after, index)) std::cout << "+" << *line << "\n";
}

// Reads a policy file, or standard input for "-". Nullopt (after a message) on failure.
std::optional<sbcc::FileId> load_policy(sbcc::SourceManager& sources, const std::string& path) {
  if (path == "-") {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (std::cin.bad()) {
      std::cerr << "sbcc: error: cannot read standard input\n";
      return std::nullopt;
    }
    return sources.add_buffer("<stdin>", std::move(text));
  }
  auto file = sources.load_file(path);
  if (!file) std::cerr << "sbcc: error: cannot read " << path << "\n";
  return file;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "sbcc: error: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

int format_one(const std::string& path, const FmtOptions& opts) {
  sbcc::SourceManager sources;
  sbcc::DiagnosticEngine diags;
  auto file = load_policy(sources, path);
  if (!file) return kExitUsage;
  std::optional<std::string> formatted = sbcc::format_policy(sources, *file, diags);
  if (!formatted) {
    report(sources, diags, DiagnosticOptions{});
    return kExitPolicyErrors;
  }
  std::string_view original = sources.text(*file);
  if (opts.check) {
    if (*formatted == original) return kExitOk;
    print_unformatted(path, original, *formatted);
    return kExitPolicyErrors;
  }
  if (opts.to_stdout || path == "-") {
    std::cout << *formatted;
    return kExitOk;
  }
  if (*formatted == original) return kExitOk;
  return write_file(path, *formatted) ? kExitOk : kExitUsage;
}

// Exit status: the worst of the files (2 I/O trouble, 1 syntax errors or unformatted).
int run_fmt(const FmtOptions& opts) {
  int status = kExitOk;
  for (const auto& path : opts.files) status = std::max(status, format_one(path, opts));
  return status;
}

struct BuildOptions {
  std::string policy;
  std::string output = "sbc";
  std::string emit = "exe";
  bool no_optimize = false;
  bool allow_missing_files = false;
  DiagnosticOptions diagnostics;
};

int run_build(const BuildOptions& build) {
  const BuildOptions& opts = build;
  sbcc::Compilation c;
  if (!apply_warning_flags(c.diagnostics(), opts.diagnostics)) return kExitUsage;
  if (!c.load(opts.policy)) return kExitUsage;
  // Only a build needs certificates and keys on this machine; --emit=ast is a look.
  bool ok = c.analyze(build.emit != "ast" && !build.allow_missing_files);
  report(c, opts.diagnostics);
  if (opts.emit == "ast") {
    if (c.parsed()) sbcc::print_ast(std::cout, c.sources(), c.policy());
    return ok ? kExitOk : kExitPolicyErrors;
  }
  if (!ok) return kExitPolicyErrors;
  return c.build(opts.emit, opts.output, !opts.no_optimize);
}

bool is_subcommand(const char* arg) {
  std::string_view a = arg;
  return a == "check" || a == "explain" || a == "build" || a == "fmt" || a == "schema";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sbcc " SBCC_VERSION ": compiles an SBC policy into a static Session Border Controller", "sbcc"};
  app.set_version_flag("--version", std::string("sbcc ") + SBCC_VERSION);
  app.require_subcommand(0, 1);

  BuildOptions build;
  auto add_build_options = [&](CLI::App& cmd) {
    cmd.add_option("policy", build.policy, "Policy file (.sbc)")->required();
    cmd.add_option("-o,--output", build.output, "Output executable (default: sbc)");
    cmd.add_option("--emit", build.emit, "What to produce: exe (default), obj, llvm (IR on stdout), ast")
        ->check(CLI::IsMember({"exe", "obj", "llvm", "ast"}));
    cmd.add_flag("--O0", build.no_optimize, "Skip the optimisation pipeline");
    cmd.add_flag("--allow-missing-files", build.allow_missing_files,
                 "Build even if certificates, keys or database folders named by the policy are missing here");
    add_diagnostic_options(cmd, build.diagnostics);
  };
  auto* build_cmd = app.add_subcommand("build", "Compile a policy into a static sbc executable (the default)");
  add_build_options(*build_cmd);

  std::string check_policy;
  DiagnosticOptions check_opts;
  auto* check_cmd = app.add_subcommand("check", "Report every error and warning in a policy, build nothing");
  check_cmd->add_option("policy", check_policy, "Policy file (.sbc)")->required();
  add_diagnostic_options(*check_cmd, check_opts);

  std::string code;
  auto* explain_cmd = app.add_subcommand("explain", "Explain a diagnostic code such as E0005");
  explain_cmd->add_option("code", code, "Diagnostic code or kind name")->required();

  FmtOptions fmt;
  auto* fmt_cmd = app.add_subcommand("fmt", "Rewrite policies in the canonical layout (docs/language.md)");
  fmt_cmd->add_option("files", fmt.files, "Policy files (.sbc); - reads standard input and prints the result")
      ->required();
  fmt_cmd->add_flag("--check", fmt.check, "Change nothing; list the files that are not formatted, exit 1 if any");
  fmt_cmd->add_flag("--stdout", fmt.to_stdout, "Print the formatted policies instead of rewriting the files");

  std::string schema_policy;
  std::string schema_backend;
  auto* schema_cmd = app.add_subcommand("schema", "Print CREATE TABLE statements for the policy's tables");
  schema_cmd->add_option("policy", schema_policy, "Policy file (.sbc)")->required();
  schema_cmd->add_option("--backend", schema_backend, "sqlite or mysql (default: each table's own database)")
      ->check(CLI::IsMember({"sqlite", "mysql", "mariadb"}));

  // `sbcc POLICY -o OUT` means `sbcc build POLICY -o OUT`.
  std::vector<char*> args(argv, argv + argc);
  static char build_word[] = "build";
  if (argc > 1 && !is_subcommand(argv[1]) && argv[1][0] != '-') args.insert(args.begin() + 1, build_word);
  bool implicit_build = argc > 1 && argv[1][0] == '-' && std::string_view(argv[1]) != "--help" &&
                        std::string_view(argv[1]) != "-h" && std::string_view(argv[1]) != "--version";
  if (implicit_build) args.insert(args.begin() + 1, build_word);

  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (*check_cmd) return run_check(check_policy, check_opts);
  if (*explain_cmd) return run_explain(code);
  if (*fmt_cmd) return run_fmt(fmt);
  if (*schema_cmd) return run_schema(schema_policy, schema_backend);
  if (*build_cmd) return run_build(build);
  std::cout << app.help();
  return kExitUsage;
}
