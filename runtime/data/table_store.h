// The in-memory copy of the policy's tables that route code looks rows up in. Rows are
// loaded from the table's database into a hash index keyed by the key column, so a
// look-up never touches the database on the SIP path. Rows whose values do not fit the
// declared column types are reported with their key and skipped.
#pragma once

#include <chrono>
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

// How reading one database went, for metrics and logs.
struct DatabaseState {
  bool up = false;
  bool ever_loaded = false;
  std::chrono::system_clock::time_point last_success{};
  std::chrono::steady_clock::time_point last_attempt{};
  uint64_t failures = 0;
  std::string last_error;
};

class TableStore {
 public:
  explicit TableStore(const sbc_policy& policy);

  // (Re)loads every table from its database. A table whose database cannot be read
  // keeps the rows it had (the last good data; empty before the first success); the
  // reason is returned in `errors` and logged once per outage, with the recovery.
  void load_all(std::vector<std::string>& errors);
  // The same for the databases whose `refresh` has passed since they were last read.
  void refresh_due(std::chrono::steady_clock::time_point now, std::vector<std::string>& errors);
  Table& table(uint32_t index) { return tables_[index]; }
  const Table& table(uint32_t index) const { return tables_[index]; }
  size_t size() const { return tables_.size(); }
  const DatabaseState& database_state(uint32_t database) const { return databases_[database]; }
  // The shortest `refresh` of the policy's databases (how often refresh_due is worth
  // calling); zero when none refreshes.
  std::chrono::milliseconds refresh_interval() const;

 private:
  void load_tables(const std::vector<bool>& databases, std::vector<std::string>& errors);
  bool load_sqlite(Table& table, const sbc_database& db, std::string& error);
  void note_result(uint32_t database, bool ok, const std::string& error);

  const sbc_policy& policy_;
  std::vector<Table> tables_;
  std::vector<DatabaseState> databases_;
};

}  // namespace sbc::data
