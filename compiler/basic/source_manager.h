// Owns the text of every policy file read in one compilation and maps byte
// offsets back to line/column for diagnostics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbcc {

using FileId = uint32_t;

struct SourceLoc {
  FileId file = 0;
  uint32_t offset = 0;
};

// A half-open byte range [begin, end) inside one file.
struct SourceRange {
  FileId file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  // The empty range at offset 0 stands for the file as a whole (no caret to draw).
  bool whole_file() const { return begin == 0 && end == 0; }
};

struct LineColumn {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in bytes
};

class SourceManager {
 public:
  // Reads a file from disk; returns nullopt when it cannot be read.
  std::optional<FileId> load_file(const std::string& path);
  // Adds an in-memory buffer (tests, stdin, the built-in prelude).
  FileId add_buffer(std::string path, std::string text);

  std::string_view text(FileId file) const { return files_[file].text; }
  const std::string& path(FileId file) const { return files_[file].path; }
  LineColumn line_column(SourceLoc loc) const;
  std::string_view line_text(FileId file, uint32_t line) const;
  std::string_view slice(SourceRange range) const;
  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string path;
    std::string text;
    std::vector<uint32_t> line_starts;
  };
  std::vector<File> files_;
};

}  // namespace sbcc
