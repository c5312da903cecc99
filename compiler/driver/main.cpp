// sbcc: the command-line driver. `sbcc POLICY -o OUT` builds a static SBC;
// `sbcc check` lints; `sbcc explain CODE` documents a diagnostic; `--emit` shows the
// intermediate forms. Exit status: 0 success, 1 policy errors, 2 usage or I/O trouble.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <llvm/Support/raw_ostream.h>

#include "basic/diagnostic_render.h"
#include "driver/compilation.h"
#include "link/static_linker.h"
#include "link_config.h"
#include "syntax/ast_printer.h"

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

void report(sbcc::Compilation& c, const DiagnosticOptions& opts) {
  auto diags = c.diagnostics().finished();
  sbcc::RenderOptions render;
  if (opts.format == "json") {
    render.format = sbcc::DiagFormat::Json;
  } else if (opts.format == "sarif") {
    render.format = sbcc::DiagFormat::Sarif;
  }
  if (render.format != sbcc::DiagFormat::Text) {
    sbcc::render_diagnostics(std::cout, c.sources(), diags, render);
    return;
  }
  render.color = isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
  sbcc::render_diagnostics(std::cerr, c.sources(), diags, render);
  size_t errors = c.diagnostics().error_count();
  size_t warnings = c.diagnostics().warning_count();
  if (errors || warnings) {
    std::cerr << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
              << (warnings == 1 ? " warning" : " warnings") << "\n";
  }
}

int run_check(const std::string& policy, const DiagnosticOptions& opts) {
  sbcc::Compilation c;
  if (!apply_warning_flags(c.diagnostics(), opts)) return kExitUsage;
  if (!c.load(policy)) return kExitUsage;
  c.analyze();
  report(c, opts);
  return c.diagnostics().has_errors() ? kExitPolicyErrors : kExitOk;
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

struct BuildOptions {
  std::string policy;
  std::string output = "sbc";
  std::string emit = "exe";
  bool no_optimize = false;
  DiagnosticOptions diagnostics;
};

int run_build(const BuildOptions& opts) {
  sbcc::Compilation c;
  if (!apply_warning_flags(c.diagnostics(), opts.diagnostics)) return kExitUsage;
  if (!c.load(opts.policy)) return kExitUsage;
  bool ok = c.analyze();
  report(c, opts.diagnostics);
  if (opts.emit == "ast") {
    if (c.parsed()) sbcc::print_ast(std::cout, c.sources(), c.policy());
    return ok ? kExitOk : kExitPolicyErrors;
  }
  if (!ok) return kExitPolicyErrors;
  if (!c.generate(!opts.no_optimize)) return kExitUsage;
  if (opts.emit == "llvm") {
    c.module().print(llvm::outs(), nullptr);
    return kExitOk;
  }
  std::string error;
  std::string object = opts.emit == "obj" ? opts.output : opts.output + ".sbcc-obj.o";
  if (!c.write_object(object, error)) {
    std::cerr << "sbcc: error: cannot write object " << object << ": " << error << "\n";
    return kExitUsage;
  }
  if (opts.emit == "obj") return kExitOk;
  bool linked = sbcc::link::link_static_executable({object, opts.output}, error);
  std::remove(object.c_str());
  if (!linked) {
    std::cerr << "sbcc: error: " << error << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

bool is_subcommand(const char* arg) {
  std::string_view a = arg;
  return a == "check" || a == "explain" || a == "build";
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
  if (*build_cmd) return run_build(build);
  std::cout << app.help();
  return kExitUsage;
}
