// The in-memory copy of the policy's tables that route code looks rows up in. Rows are
// loaded from the table's database into a hash index keyed by the key column, so a
// look-up never touches the database on the SIP path. Rows whose values do not fit the
// declared column types are reported with their key and skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sbc/abi.h"

namespace sbc::data {

struct Row {
  std::vector<std::string> text;  // column 0 is the key
  std::vector<int64_t> number;    // int, bool, duration (ms) and enum (member position) columns
};

class Table {
 public:
  Table(const sbc_policy& policy, const sbc_table& config) : policy_(policy), config_(config) {}

  // Converts and indexes raw rows (key first, then the declared columns, as text).
  // Returns the number of rows skipped as invalid.
  size_t load(const std::vector<std::vector<std::string>>& raw);
  int64_t find(std::string_view key) const;
  const Row& row(int64_t index) const { return rows_[static_cast<size_t>(index)]; }
  const sbc_table& config() const { return config_; }
  size_t size() const { return rows_.size(); }

 private:
  bool convert(const sbc_column& column, const std::string& text, int64_t& number, std::string& why) const;

  const sbc_policy& policy_;
  const sbc_table& config_;
  std::vector<Row> rows_;
  std::unordered_map<std::string, int64_t> index_;
};

class TableStore {
 public:
  explicit TableStore(const sbc_policy& policy);

  // Loads every table from its database. Tables whose database cannot be read stay
  // empty; the reason is logged and returned in `errors`.
  void load_all(std::vector<std::string>& errors);
  Table& table(uint32_t index) { return tables_[index]; }
  size_t size() const { return tables_.size(); }

 private:
  bool load_sqlite(Table& table, const sbc_database& db, std::string& error);

  const sbc_policy& policy_;
  std::vector<Table> tables_;
};

}  // namespace sbc::data
