// See table_store.h.
#include "data/table_store.h"

#include <algorithm>

#include "data/table_source.h"
#include "ops/log.h"

namespace sbc::data {

TableStore::TableStore(const sbc_policy& policy) : policy_(policy) {
  for (uint32_t i = 0; i < policy.table_count; ++i) tables_.emplace_back(policy, policy.tables[i]);
  databases_.resize(policy.database_count);
}

std::vector<uint32_t> TableStore::databases_in_use() const {
  std::vector<uint32_t> out;
  for (const auto& table : tables_) {
    uint32_t d = table.config().database;
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  return out;
}

std::chrono::milliseconds TableStore::refresh_interval() const {
  uint32_t shortest = 0;
  for (uint32_t d : databases_in_use()) {
    uint32_t refresh = policy_.databases[d].refresh_ms;
    if (refresh && (!shortest || refresh < shortest)) shortest = refresh;
  }
  return std::chrono::milliseconds(shortest);
}

DatabaseRead TableStore::read(uint32_t database) const {
  DatabaseRead out;
  out.database = database;
  const sbc_database& db = policy_.databases[database];
  std::string error;
  std::unique_ptr<TableSource> source = open_table_source(db, error);
  for (uint32_t t = 0; t < policy_.table_count; ++t) {
    const sbc_table& config = policy_.tables[t];
    if (config.database != database) continue;
    std::string prefix = std::string("table ") + config.name + " (database " + db.name + "): ";
    if (!source) {
      out.errors.push_back(prefix + error);
      continue;
    }
    std::vector<DatabaseColumn> columns;
    if (!source->columns(config, columns, error)) {
      out.errors.push_back(prefix + error);
      continue;
    }
    std::vector<std::string> differences = schema_differences(policy_, config, columns, source->sqlite());
    if (!differences.empty()) {
      for (auto& d : differences) out.errors.push_back(prefix + d);
      continue;
    }
    RawRows rows;
    if (!source->rows(config, rows, error)) {
      out.errors.push_back(prefix + error);
      continue;
    }
    Table fresh(policy_, config);
    size_t skipped = fresh.load(rows);
    if (!rows.empty() && skipped == rows.size()) {  // a bad import, not an empty table
      out.errors.push_back(prefix + "every one of its " + std::to_string(rows.size()) +
                           " rows was rejected (see the log); the rows last read stay");
      continue;
    }
    out.tables.emplace_back(t, std::move(fresh));
  }
  return out;
}

void TableStore::install(DatabaseRead read, std::vector<std::string>& errors) {
  databases_[read.database].reading = false;
  databases_[read.database].last_attempt = std::chrono::steady_clock::now();
  bool first = !databases_[read.database].ever_loaded;
  for (auto& [index, fresh] : read.tables) {
    tables_[index] = std::move(fresh);
    if (first) {
      log::info("table ", tables_[index].config().name, ": ", tables_[index].size(), " rows from ",
                policy_.databases[read.database].location);
    }
  }
  std::string joined;
  for (const auto& e : read.errors) joined += (joined.empty() ? "" : "; ") + e;
  note_result(read.database, read.errors.empty(), joined);
  errors.insert(errors.end(), read.errors.begin(), read.errors.end());
}

void TableStore::note_result(uint32_t database, bool ok, const std::string& error) {
  DatabaseState& state = databases_[database];
  const sbc_database& db = policy_.databases[database];
  if (ok) {
    if (!state.up && state.ever_loaded) log::info("database ", db.name, " readable again");
    state.up = state.ever_loaded = true;
    state.last_success = std::chrono::system_clock::now();
    state.last_error.clear();
    return;
  }
  ++state.failures;
  if (state.up || state.last_error != error) {  // once per outage (and per new reason)
    log::error(error, state.ever_loaded ? " (routing goes on from the rows last read)" : "");  // names the database
  }
  state.up = false;
  state.last_error = error;
}

void TableStore::load_all(std::vector<std::string>& errors) {
  auto now = std::chrono::steady_clock::now();
  for (uint32_t d : databases_in_use()) {
    databases_[d].last_attempt = now;
    install(read(d), errors);
  }
}

std::vector<uint32_t> TableStore::due(std::chrono::steady_clock::time_point now) {
  std::vector<uint32_t> out;
  for (uint32_t d : databases_in_use()) {
    auto every = std::chrono::milliseconds(policy_.databases[d].refresh_ms);
    if (every.count() == 0 || databases_[d].reading || now - databases_[d].last_attempt < every) continue;
    databases_[d].reading = true;
    out.push_back(d);
  }
  return out;
}

}  // namespace sbc::data
