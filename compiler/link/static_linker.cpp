// See static_linker.h. The link line comes from link_config.h, which CMake writes with
// the same libraries the runtime was built against.
#include "link/static_linker.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <filesystem>
#include <vector>

#include "link_config.h"

extern char** environ;

namespace sbcc::link {
namespace {

std::string executable_dir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = text.find_first_not_of(' ', pos);
    if (start == std::string::npos) break;
    size_t end = text.find(' ', start);
    words.push_back(text.substr(start, end - start));
    pos = end == std::string::npos ? text.size() : end;
  }
  return words;
}

// Runs argv with its output in `log_path`, waits, and returns its exit status (or -1 if
// it could not start). The output is shown only when the link fails: a static glibc
// link always warns about dlopen and getaddrinfo, which users need not see.
int run(const std::vector<std::string>& args, const std::string& log_path, std::string& error) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = "cannot run `" + args[0] + "`: " + std::strerror(rc);
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string runtime_library_dir() {
  if (const char* dir = std::getenv("SBCC_RUNTIME_DIR")) return dir;
  return executable_dir() + "/../lib";
}

bool link_static_executable(const LinkRequest& request, std::string& error) {
  std::string runtime_dir = runtime_library_dir();
  std::string archive = runtime_dir + "/libsbcrt.a";
  if (access(archive.c_str(), R_OK) != 0) {
    error = "runtime archive not found at " + archive + " (set SBCC_RUNTIME_DIR)";
    return false;
  }
  std::string temp = request.output_path + ".sbcc-tmp";
  std::vector<std::string> args = {SBCC_LINKER_DRIVER, "-static", "-o", temp, request.object_path,
                                   "-L" + runtime_dir, archive};
  for (auto& word : split_words(SBCC_RUNTIME_LINK_LIBS)) args.push_back(word);
  std::string log_path = request.output_path + ".sbcc-link.log";
  int status = run(args, log_path, error);
  if (status != 0) {
    std::remove(temp.c_str());
    if (error.empty()) {
      std::ifstream log(log_path);
      std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
      error = "the static link failed (`" + args[0] + "` exited with " + std::to_string(status) + "):\n" + output;
    }
    std::remove(log_path.c_str());
    return false;
  }
  std::remove(log_path.c_str());
  if (std::rename(temp.c_str(), request.output_path.c_str()) != 0) {
    error = "cannot write " + request.output_path + ": " + std::strerror(errno);
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace sbcc::link
