// The table store's reading of a real SQLite file: rows indexed by key, bad rows skipped,
// and a database that goes away keeping the last good rows until it comes back.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "data/table_store.h"

namespace sbc::data {
namespace {

class TableStoreTest : public ::testing::Test {
 protected:
  TableStoreTest() {
    char dir[] = "/tmp/sbc-table-store-XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/routes.db";
    exec("CREATE TABLE routing (sipdomain TEXT, name TEXT, weight INTEGER);"
         "INSERT INTO routing VALUES ('a.example', 'A', 1), ('b.example', 'B', 2), ('', 'no key', 3),"
         " ('c.example', 'C', 'heavy');");
    columns_[0] = {"name", SBC_COLUMN_STRING, 0};
    columns_[1] = {"weight", SBC_COLUMN_INT, 0};
    table_.name = "routing";
    table_.database = 0;
    table_.key = {"sipdomain", SBC_COLUMN_STRING, 0};
    table_.columns = columns_;
    table_.column_count = 2;
    database_.name = "routes";
    database_.engine = SBC_DB_SQLITE;
    database_.location = path_.c_str();
    database_.password_source = "";
    database_.password_name = "";
    database_.refresh_ms = 30000;
    database_.seed = "";
    policy_.databases = &database_;
    policy_.database_count = 1;
    policy_.tables = &table_;
    policy_.table_count = 1;
  }
  ~TableStoreTest() override { std::filesystem::remove_all(dir_); }

  void exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::string dir_;
  std::string path_;
  sbc_column columns_[2]{};
  sbc_table table_{};
  sbc_database database_{};
  sbc_policy policy_{};
};

TEST_F(TableStoreTest, GoodRowsAreIndexedBadOnesSkipped) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  EXPECT_TRUE(errors.empty());
  const Table& t = store.table(0);
  EXPECT_EQ(t.size(), 2u) << "an empty key and a non-integer weight are skipped";
  ASSERT_GE(t.find("b.example"), 0);
  EXPECT_EQ(t.row(t.find("b.example")).text[1], "B");
  EXPECT_EQ(t.row(t.find("b.example")).number[2], 2);
  EXPECT_LT(t.find("c.example"), 0);
  EXPECT_TRUE(store.database_state(0).up);
  EXPECT_EQ(store.refresh_interval(), std::chrono::milliseconds(30000));
}

TEST_F(TableStoreTest, ADatabaseThatGoesAwayKeepsTheLastRowsUntilItIsBack) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  ASSERT_EQ(store.table(0).size(), 2u);

  std::filesystem::rename(path_, path_ + ".away");
  errors.clear();
  store.load_all(errors);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(store.table(0).size(), 2u) << "routing goes on from the rows last read";
  EXPECT_FALSE(store.database_state(0).up);
  EXPECT_EQ(store.database_state(0).failures, 1u);

  std::filesystem::rename(path_ + ".away", path_);
  exec("INSERT INTO routing VALUES ('d.example', 'D', 4);");
  errors.clear();
  store.load_all(errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_TRUE(store.database_state(0).up);
  EXPECT_EQ(store.table(0).size(), 3u) << "the new row is read on recovery";
  EXPECT_GE(store.table(0).find("d.example"), 0);
}

TEST_F(TableStoreTest, RefreshReadsADatabaseOnlyOnceItsIntervalHasPassed) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  auto loaded = std::chrono::steady_clock::now();
  exec("UPDATE routing SET name = 'B2' WHERE sipdomain = 'b.example';");
  store.refresh_due(loaded + std::chrono::seconds(10), errors);
  EXPECT_EQ(store.table(0).row(store.table(0).find("b.example")).text[1], "B") << "refresh 30s: not yet";
  store.refresh_due(loaded + std::chrono::seconds(31), errors);
  EXPECT_EQ(store.table(0).row(store.table(0).find("b.example")).text[1], "B2");
  EXPECT_TRUE(errors.empty());
}

TEST_F(TableStoreTest, ADroppedTableIsAnErrorAndKeepsTheRows) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  exec("DROP TABLE routing;");
  errors.clear();
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("routing"), std::string::npos) << errors[0];
  EXPECT_EQ(store.table(0).size(), 2u);
}

}  // namespace
}  // namespace sbc::data
