// The policy's tables in memory (table.h), and how reading their databases went. A
// database is read in two steps so that the network never holds the SIP thread: `read`
// (any thread: opens the database, checks each table's columns against the policy,
// converts the rows into fresh tables) and `install` (the SIP thread: swaps them in,
// whole, and notes the database's state). A table that cannot be read keeps the rows it
// had, so routing goes on from the last good data while a database is away.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/table.h"
#include "sbc/abi.h"

namespace sbc::data {

// How reading one database went, for metrics and logs.
struct DatabaseState {
  bool up = false;
  bool ever_loaded = false;
  std::chrono::system_clock::time_point last_success{};
  std::chrono::steady_clock::time_point last_attempt{};
  bool reading = false;  // a refresh is queued or running: `due` does not ask again
  uint64_t failures = 0;
  std::string last_error;
};

// What one read of a database got.
struct DatabaseRead {
  uint32_t database = 0;
  std::vector<std::pair<uint32_t, Table>> tables;  // (table index, its fresh rows)
  std::vector<std::string> errors;                 // each problem, naming its table
};

class TableStore {
 public:
  explicit TableStore(const sbc_policy& policy);

  // Reads the tables of `database`. Touches nothing of the store: runs on any thread.
  DatabaseRead read(uint32_t database) const;
  // Puts a read in place; its problems are appended to `errors` and logged once per
  // outage, with the recovery.
  void install(DatabaseRead read, std::vector<std::string>& errors);
  // Both, for every database that has tables, on this thread (start-up, --check).
  void load_all(std::vector<std::string>& errors);
  // The databases whose `refresh` has passed since their last read ended and that are not
  // being read, marked as being read (so a slow database does not pile up refreshes);
  // `install` of their read clears the mark.
  std::vector<uint32_t> due(std::chrono::steady_clock::time_point now);
  // The databases that have tables.
  std::vector<uint32_t> databases_in_use() const;

  Table& table(uint32_t index) { return tables_[index]; }
  const Table& table(uint32_t index) const { return tables_[index]; }
  size_t size() const { return tables_.size(); }
  const DatabaseState& database_state(uint32_t database) const { return databases_[database]; }
  // The shortest `refresh` of the policy's databases (how often `due` is worth asking);
  // zero when none refreshes.
  std::chrono::milliseconds refresh_interval() const;

 private:
  void note_result(uint32_t database, bool ok, const std::string& error);

  const sbc_policy& policy_;
  std::vector<Table> tables_;
  std::vector<DatabaseState> databases_;
};

}  // namespace sbc::data
