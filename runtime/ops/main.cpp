// main() of every sbc: checks the compiled-in policy against this runtime, reads the
// few command-line options, and runs the server. No configuration file: the policy
// is part of the executable.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "abi/policy_check.h"
#include "ops/log.h"
#include "ops/policy_print.h"
#include "ops/server.h"

namespace {

void print_usage(const char* program) {
  std::printf(
      "usage: %s [--log-level=debug|info|warn|error] [--log-format=text|json] [--media-threads=N]\n"
      "       [--media-io=auto|io_uring|epoll] [--drain=SECONDS] [--check] [--print-policy] [--version] [--help]\n"
      "Runs the SBC compiled from policy %s.\n",
      program, sbc_compiled_policy.source_name);
}

void print_version() {
  std::printf("%s\npolicy %s sha256:%s\nbuilt by sbcc %s (runtime ABI %u)\n", sbc_compiled_policy.identity,
              sbc_compiled_policy.source_name, sbc_compiled_policy.source_hash,
              sbc_compiled_policy.compiler_version, SBC_ABI_VERSION);
}

}  // namespace

int main(int argc, char** argv) {
  std::string problem = sbc::abi::check_policy_abi(sbc_compiled_policy);
  if (!problem.empty()) {
    std::fprintf(stderr, "sbc: %s\n", problem.c_str());
    return 2;
  }
  sbc::ops::ServerOptions options;
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--version") {
      print_version();
      return 0;
    }
    if (arg == "--print-policy") {
      sbc::ops::print_policy(sbc_compiled_policy, stdout);
      return 0;
    }
    if (arg == "--check") {
      check_only = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      print_usage(argv[0]);
      return 0;
    }
    if (arg == "--log-format=json" || arg == "--log-format=text") {
      sbc::log::set_json(arg.ends_with("json"));
      continue;
    }
    if (arg.starts_with("--media-threads=")) {
      int threads = std::atoi(argv[i] + 16);
      if (threads >= 1 && threads <= 64) {
        options.media_threads = static_cast<unsigned>(threads);
        continue;
      }
    }
    if (arg.starts_with("--drain=")) {
      std::string_view value = arg.substr(8);
      unsigned seconds = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (error == std::errc() && end == value.data() + value.size() && !value.empty() && seconds <= 86400) {
        options.drain_s = seconds;
        continue;
      }
    }
    if (arg == "--media-io=auto" || arg == "--media-io=io_uring" || arg == "--media-io=epoll") {
      options.media_io = arg.ends_with("auto")    ? sbc::media::RelayIo::Auto
                         : arg.ends_with("epoll") ? sbc::media::RelayIo::Epoll
                                                  : sbc::media::RelayIo::Uring;
      continue;
    }
    sbc::log::Level level;
    if (arg.starts_with("--log-level=") && sbc::log::parse_level(arg.substr(12), level)) {
      sbc::log::set_level(level);
      continue;
    }
    std::fprintf(stderr, "sbc: unknown option %s\n", argv[i]);
    print_usage(argv[0]);
    return 2;
  }
  if (check_only) return sbc::ops::check_environment(sbc_compiled_policy);
  return sbc::ops::run_server(sbc_compiled_policy, options);
}
