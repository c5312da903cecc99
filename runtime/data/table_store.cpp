// See table_store.h. SQLite is read with the system's static libsqlite3; MariaDB/MySQL
// tables are not read by this runtime yet and stay empty (logged at start-up).
// Loading runs on the SIP thread: a local SQLite file is read in well under a
// millisecond per thousand rows; a networked database will need its own thread.
#include "data/table_store.h"

#include <sqlite3.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ops/log.h"
#include "sip/ascii.h"

namespace sbc::data {
namespace {

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool parse_int(std::string_view text, int64_t& out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

bool Table::convert(const sbc_column& column, const std::string& text, int64_t& number, std::string& why) const {
  switch (column.kind) {
    case SBC_COLUMN_INT:
    case SBC_COLUMN_DURATION:
      if (parse_int(text, number)) return true;
      why = "not a number";
      return false;
    case SBC_COLUMN_BOOL:
      if (text == "1" || text == "true" || text == "yes") number = 1;
      else if (text == "0" || text == "false" || text == "no") number = 0;
      else {
        why = "not a boolean";
        return false;
      }
      return true;
    case SBC_COLUMN_ENUM: {
      const sbc_enum& e = policy_.enums[column.enum_index];
      for (uint32_t i = 0; i < e.member_count; ++i) {
        // Values are matched case-insensitively: the article stores "TLS" and "tls" alike.
        if (sip::iequals(e.members[i], text)) {
          number = i;
          return true;
        }
      }
      why = "not one of the values of enum " + std::string(e.name);
      return false;
    }
    default: return true;
  }
}

size_t Table::load(const std::vector<std::vector<std::string>>& raw) {
  rows_.clear();
  index_.clear();
  size_t skipped = 0;
  for (const auto& values : raw) {
    Row row{values, std::vector<int64_t>(values.size(), 0)};
    std::string why;
    bool ok = !values.empty() && !values[0].empty();
    if (!ok) why = "empty key";
    for (size_t c = 0; ok && c < values.size(); ++c) {
      const sbc_column& column = c == 0 ? config_.key : config_.columns[c - 1];
      ok = convert(column, values[c], row.number[c], why);
      if (!ok) why = "column " + std::string(column.name) + " = \"" + values[c] + "\" is " + why;
    }
    if (ok && index_.count(values[0])) {
      ok = false;
      why = "duplicate key";
    }
    if (!ok) {
      ++skipped;
      log::warn("table ", config_.name, ": row with key \"", values.empty() ? "" : values[0], "\" skipped: ", why);
      continue;
    }
    index_.emplace(values[0], static_cast<int64_t>(rows_.size()));
    rows_.push_back(std::move(row));
  }
  return skipped;
}

int64_t Table::find(std::string_view key) const {
  auto it = index_.find(std::string(key));
  return it == index_.end() ? -1 : it->second;
}

TableStore::TableStore(const sbc_policy& policy) : policy_(policy) {
  for (uint32_t i = 0; i < policy.table_count; ++i) tables_.emplace_back(policy, policy.tables[i]);
  databases_.resize(policy.database_count);
}

std::chrono::milliseconds TableStore::refresh_interval() const {
  uint32_t shortest = 0;
  for (const auto& table : tables_) {
    uint32_t refresh = policy_.databases[table.config().database].refresh_ms;
    if (refresh && (!shortest || refresh < shortest)) shortest = refresh;
  }
  return std::chrono::milliseconds(shortest);
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
  if (state.up || state.last_error.empty()) {  // once per outage
    log::error("database ", db.name, ": ", error,
               state.ever_loaded ? " (routing goes on from the rows last read)" : "");
  }
  state.up = false;
  state.last_error = error;
}

void TableStore::load_all(std::vector<std::string>& errors) {
  load_tables(std::vector<bool>(databases_.size(), true), errors);
}

void TableStore::refresh_due(std::chrono::steady_clock::time_point now, std::vector<std::string>& errors) {
  std::vector<bool> due(databases_.size());
  for (size_t d = 0; d < due.size(); ++d) {
    auto every = std::chrono::milliseconds(policy_.databases[d].refresh_ms);
    due[d] = every.count() > 0 && now - databases_[d].last_attempt >= every;
  }
  load_tables(due, errors);
}

// Reads the tables of the databases marked in `databases`.
void TableStore::load_tables(const std::vector<bool>& databases, std::vector<std::string>& errors) {
  auto now = std::chrono::steady_clock::now();
  for (auto& table : tables_) {
    if (!databases[table.config().database]) continue;
    databases_[table.config().database].last_attempt = now;
    const sbc_database& db = policy_.databases[table.config().database];
    std::string error;
    bool ok = db.engine == SBC_DB_SQLITE
                  ? load_sqlite(table, db, error)
                  : (error = "MariaDB/MySQL tables are not read by this runtime yet", false);
    bool first = !databases_[table.config().database].ever_loaded;
    note_result(table.config().database, ok, error);
    if (!ok) {
      errors.push_back(std::string("table ") + table.config().name + " (database " + db.name + "): " + error);
    } else if (first) {
      log::info("table ", table.config().name, ": ", table.size(), " rows from ", db.location);
    }
  }
}

// Creates a missing SQLite file from the policy's seed SQL (the loopback sample ships its
// routing table as SQL, not as a binary file).
static bool create_from_seed(const sbc_database& db, std::string& error) {
  std::ifstream in(db.seed);
  if (!in) {
    error = std::string("cannot read seed file ") + db.seed;
    return false;
  }
  std::string sql((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.location, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    error = handle ? sqlite3_errmsg(handle) : "cannot create database";
    sqlite3_close(handle);
    return false;
  }
  char* message = nullptr;
  bool ok = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK;
  if (!ok) error = std::string("seed ") + db.seed + ": " + (message ? message : "failed");
  sqlite3_free(message);
  sqlite3_close(handle);
  if (ok) log::info("database ", db.name, ": created ", db.location, " from ", db.seed);
  return ok;
}

bool TableStore::load_sqlite(Table& table, const sbc_database& db, std::string& error) {
  std::error_code ec;
  if (db.seed[0] && !std::filesystem::exists(db.location, ec) && !create_from_seed(db, error)) return false;
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.location, &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = handle ? sqlite3_errmsg(handle) : "cannot open database";
    sqlite3_close(handle);
    return false;
  }
  const sbc_table& config = table.config();
  std::string sql = "SELECT " + quote_identifier(config.key.name);
  for (uint32_t c = 0; c < config.column_count; ++c) sql += ", " + quote_identifier(config.columns[c].name);
  sql += " FROM " + quote_identifier(config.name);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(handle);
    sqlite3_close(handle);
    return false;
  }
  std::vector<std::vector<std::string>> raw;
  int columns = static_cast<int>(config.column_count) + 1;
  int step;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
    std::vector<std::string> values;
    for (int c = 0; c < columns; ++c) {
      const unsigned char* text = sqlite3_column_text(statement, c);
      values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    raw.push_back(std::move(values));
  }
  if (step != SQLITE_DONE) {  // a read cut short: keep the rows already loaded
    error = sqlite3_errmsg(handle);
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    return false;
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  table.load(raw);
  return true;
}

}  // namespace sbc::data
