// One of the policy's tables in memory: rows converted to the declared column types and
// indexed by key, so route code looks a row up without touching the database. Rows
// whose values do not fit are reported with their key and skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sbc/abi.h"

namespace sbc::data {

// Rows as a database gives them: key first, then the declared columns, as text.
using RawRows = std::vector<std::vector<std::string>>;

struct Row {
  std::vector<std::string> text;  // column 0 is the key
  std::vector<int64_t> number;    // int, bool, duration (ms) and enum (member position) columns
};

class Table {
 public:
  Table(const sbc_policy& policy, const sbc_table& config) : policy_(&policy), config_(&config) {}

  // Converts and indexes raw rows, replacing what the table held. Returns the number of
  // rows skipped as invalid.
  size_t load(const RawRows& raw);
  int64_t find(std::string_view key) const;
  const Row& row(int64_t index) const { return rows_[static_cast<size_t>(index)]; }
  const sbc_table& config() const { return *config_; }
  size_t size() const { return rows_.size(); }

 private:
  // Look-ups by string_view without building a string.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  bool convert(const sbc_column& column, const std::string& text, int64_t& number, std::string& why) const;

  const sbc_policy* policy_;
  const sbc_table* config_;
  std::vector<Row> rows_;
  std::unordered_map<std::string, int64_t, KeyHash, std::equal_to<>> index_;
};

}  // namespace sbc::data
