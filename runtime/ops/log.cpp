// See log.h.
#include "ops/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <ctime>

#include "ops/json.h"

namespace sbc::log {
namespace {

std::atomic<Level> current_level{Level::Info};
std::atomic<bool> json_lines{false};

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Debug: return "DEBUG";
    case Level::Info: return "INFO ";
    case Level::Warn: return "WARN ";
    case Level::Error: return "ERROR";
  }
  return "INFO ";
}

void append_timestamp(std::string& out) {
  timeval now{};
  gettimeofday(&now, nullptr);
  tm utc{};
  gmtime_r(&now.tv_sec, &utc);
  char buf[40];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  out.append(buf, n);
  char frac[8];
  int len = snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(now.tv_usec / 1000));
  out.append(frac, static_cast<size_t>(len));
}

std::string json_line(Level l, std::string_view call_id, std::string_view message) {
  std::string line = "{\"time\":\"";
  append_timestamp(line);
  line += "\",\"level\":\"";
  std::string_view name = level_name(l);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  for (char c : name) line += static_cast<char>(c - 'A' + 'a');
  line += '"';
  if (!call_id.empty()) {
    line += ",\"call_id\":";
    ops::append_json_string(line, call_id);
  }
  line += ",\"message\":";
  ops::append_json_string(line, message);
  line += "}\n";
  return line;
}

}  // namespace

void set_json(bool json) { json_lines.store(json, std::memory_order_relaxed); }

void set_level(Level level) { current_level.store(level, std::memory_order_relaxed); }
Level level() { return current_level.load(std::memory_order_relaxed); }

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug") out = Level::Debug;
  else if (text == "info") out = Level::Info;
  else if (text == "warn") out = Level::Warn;
  else if (text == "error") out = Level::Error;
  else return false;
  return true;
}

void write(Level l, std::string_view call_id, std::string_view message) {
  if (json_lines.load(std::memory_order_relaxed)) {
    std::string line = json_line(l, call_id, message);
    ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;
    return;
  }
  std::string line;
  line.reserve(64 + call_id.size() + message.size());
  append_timestamp(line);
  line += ' ';
  line += level_name(l);
  line += ' ';
  if (!call_id.empty()) {
    line += '[';
    line += call_id;
    line += "] ";
  }
  line += message;
  line += '\n';
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace sbc::log
