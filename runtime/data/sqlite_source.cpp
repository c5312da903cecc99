// The SQLite table source (table_source.h), with the system's static libsqlite3. The
// file is opened read-only for each read; a missing file is first created from the
// policy's seed SQL (the loopback sample ships its routing table as SQL, not as a
// binary file).
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "data/table_source.h"
#include "ops/log.h"

namespace sbc::data {
namespace {

// Built under another name and renamed when complete: a seed that fails half-way leaves
// no half-filled file that later reads would take for the real one.
bool create_from_seed(const sbc_database& db, std::string& error) {
  std::ifstream in(db.seed);
  if (!in) {
    error = std::string("cannot read seed file ") + db.seed;
    return false;
  }
  std::string sql((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string building = std::string(db.location) + ".seeding";
  std::error_code ignored;
  std::filesystem::remove(building, ignored);
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(building.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    error = handle ? sqlite3_errmsg(handle) : "cannot create database";
    sqlite3_close(handle);
    return false;
  }
  char* message = nullptr;
  bool ok = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK;
  if (!ok) error = std::string("seed ") + db.seed + ": " + (message ? message : "failed");
  sqlite3_free(message);
  sqlite3_close(handle);
  std::error_code ec;
  if (ok) std::filesystem::rename(building, db.location, ec);
  if (ok && ec) {
    error = "cannot move the seeded database into place: " + ec.message();
    ok = false;
  }
  if (!ok) std::filesystem::remove(building, ignored);
  if (ok) log::info("database ", db.name, ": created ", db.location, " from ", db.seed);
  return ok;
}

// One prepared statement, finalized however its use ends.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) { sqlite3_prepare_v2(db, sql.c_str(), -1, &statement_, nullptr); }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

std::string text_of(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text ? reinterpret_cast<const char*>(text) : "";
}

class SqliteSource final : public TableSource {
 public:
  explicit SqliteSource(sqlite3* handle) : db_(handle) {}
  ~SqliteSource() override { sqlite3_close(db_); }

  bool columns(const sbc_table& table, std::vector<DatabaseColumn>& out, std::string& error) override {
    Statement statement(db_, "SELECT name, type FROM pragma_table_info(?1)");
    if (!statement.get()) return fail(error);
    sqlite3_bind_text(statement.get(), 1, table.name, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(statement.get())) == SQLITE_ROW) {
      out.push_back({text_of(statement.get(), 0), text_of(statement.get(), 1)});
    }
    return step == SQLITE_DONE || fail(error);
  }

  bool rows(const sbc_table& table, RawRows& out, std::string& error) override {
    std::string sql = select_rows(table, '"');
    Statement statement(db_, sql);
    if (!statement.get()) return fail(error);
    int columns = static_cast<int>(table.column_count) + 1;
    int step;
    while ((step = sqlite3_step(statement.get())) == SQLITE_ROW) {
      std::vector<std::string> values;
      for (int c = 0; c < columns; ++c) values.push_back(text_of(statement.get(), c));
      out.push_back(std::move(values));
    }
    return step == SQLITE_DONE || fail(error);  // a read cut short is no read
  }

  bool sqlite() const override { return true; }

 private:
  bool fail(std::string& error) const {
    error = sqlite3_errmsg(db_);
    return false;
  }

  sqlite3* db_;
};

}  // namespace

std::unique_ptr<TableSource> open_sqlite_source(const sbc_database& db, std::string& error) {
  std::error_code ec;
  if (db.seed[0] && !std::filesystem::exists(db.location, ec) && !create_from_seed(db, error)) return nullptr;
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.location, &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = handle ? sqlite3_errmsg(handle) : "cannot open database";
    sqlite3_close(handle);
    return nullptr;
  }
  sqlite3_busy_timeout(handle, 2000);  // an operator's write in progress is waited for, briefly
  return std::make_unique<SqliteSource>(handle);
}

}  // namespace sbc::data
