// Line tables are built once per file so that rendering many diagnostics stays cheap.
#include "basic/source_manager.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sbcc {

std::optional<FileId> SourceManager::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return add_buffer(path, content.str());
}

FileId SourceManager::add_buffer(std::string path, std::string text) {
  File file{std::move(path), std::move(text), {0}};
  for (uint32_t i = 0; i < file.text.size(); ++i) {
    if (file.text[i] == '\n') file.line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(file));
  return static_cast<FileId>(files_.size() - 1);
}

LineColumn SourceManager::line_column(SourceLoc loc) const {
  const auto& starts = files_[loc.file].line_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), loc.offset);
  uint32_t line = static_cast<uint32_t>(it - starts.begin());
  return {line, loc.offset - starts[line - 1] + 1};
}

std::string_view SourceManager::line_text(FileId file, uint32_t line) const {
  const File& f = files_[file];
  if (line == 0 || line > f.line_starts.size()) return {};
  uint32_t begin = f.line_starts[line - 1];
  uint32_t end = line < f.line_starts.size() ? f.line_starts[line] : static_cast<uint32_t>(f.text.size());
  std::string_view text(f.text.data() + begin, end - begin);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string_view SourceManager::slice(SourceRange range) const {
  std::string_view text = files_[range.file].text;
  if (range.begin > text.size()) return {};
  return text.substr(range.begin, range.end - range.begin);
}

}  // namespace sbcc
