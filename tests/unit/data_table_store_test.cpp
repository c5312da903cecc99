// The table store's reading of a real SQLite file: rows indexed by key, bad rows skipped,
// and a database that goes away keeping the last good rows until it comes back.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "data/table_loader.h"
#include "data/table_source.h"
#include "data/table_store.h"
#include "sbc/database_url.h"

namespace sbc::data {
namespace {

class TableStoreTest : public ::testing::Test {
 protected:
  TableStoreTest() {
    char dir[] = "/tmp/sbc-table-store-XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/routes.db";
    exec(
        "CREATE TABLE routing (sipdomain TEXT, name TEXT, weight INTEGER);"
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
  EXPECT_TRUE(store.due(loaded + std::chrono::seconds(10)).empty()) << "refresh 30s: not yet";
  EXPECT_EQ(store.due(loaded + std::chrono::seconds(31)), std::vector<uint32_t>{0});
  EXPECT_TRUE(store.due(loaded + std::chrono::seconds(32)).empty()) << "asked for once, not again while it runs";
  EXPECT_EQ(store.table(0).row(store.table(0).find("b.example")).text[1], "B") << "nothing changes before install";
  store.install(store.read(0), errors);
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

TEST_F(TableStoreTest, AColumnOfTheWrongTypeIsNamedAndTheTableKeepsItsRows) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  exec(
      "CREATE TABLE r2 (sipdomain TEXT, name TEXT, weight TEXT); INSERT INTO r2 SELECT * FROM routing;"
      "DROP TABLE routing; ALTER TABLE r2 RENAME TO routing;");
  errors.clear();
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "table routing (database routes): column weight is TEXT in the database, "
            "the policy declares it int (an integer type)");
  EXPECT_EQ(store.table(0).size(), 2u);
  EXPECT_FALSE(store.database_state(0).up);
}

TEST_F(TableStoreTest, AMissingColumnAndAMissingTableAreSaidAsSuch) {
  exec("CREATE TABLE r2 (sipdomain TEXT, weight INTEGER); DROP TABLE routing; ALTER TABLE r2 RENAME TO routing;");
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "table routing (database routes): column name is missing "
            "(the policy declares it string (a text type))");
  exec("DROP TABLE routing;");
  errors.clear();
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no such table"), std::string::npos) << errors[0];
}

TEST_F(TableStoreTest, AnImportWhereEveryRowIsBadKeepsTheRowsLastRead) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  ASSERT_EQ(store.table(0).size(), 2u);
  exec("DELETE FROM routing; INSERT INTO routing VALUES ('x.example', 'X', 'abc'), ('y.example', 'Y', 'def');");
  errors.clear();
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("every one of its 2 rows was rejected"), std::string::npos) << errors[0];
  EXPECT_EQ(store.table(0).size(), 2u);
  EXPECT_GE(store.table(0).find("a.example"), 0);
}

TEST_F(TableStoreTest, ASlowDatabaseIsNotAskedAgainWhileItIsRead) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  auto later = std::chrono::steady_clock::now() + std::chrono::seconds(31);
  ASSERT_EQ(store.due(later), std::vector<uint32_t>{0});
  EXPECT_TRUE(store.due(later + std::chrono::hours(1)).empty()) << "still being read";
  store.install(store.read(0), errors);
  EXPECT_TRUE(store.due(std::chrono::steady_clock::now() + std::chrono::seconds(10)).empty())
      << "the interval counts from the end of the read";
  EXPECT_EQ(store.due(std::chrono::steady_clock::now() + std::chrono::seconds(31)), std::vector<uint32_t>{0});
}

TEST_F(TableStoreTest, ASeedThatFailsLeavesNoHalfMadeFile) {
  std::string seed = dir_ + "/seed.sql";
  std::ofstream(seed) << "CREATE TABLE routing (sipdomain TEXT, name TEXT, weight INTEGER);\n"
                         "INSERT INTO routing VALUES ('a.example', 'A', 1);\nTHIS IS NOT SQL;\n";
  std::string fresh = dir_ + "/fresh.db";
  database_.location = fresh.c_str();
  database_.seed = seed.c_str();
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("seed"), std::string::npos) << errors[0];
  EXPECT_FALSE(std::filesystem::exists(fresh));
  std::ofstream(seed) << "CREATE TABLE routing (sipdomain TEXT, name TEXT, weight INTEGER);\n"
                         "INSERT INTO routing VALUES ('a.example', 'A', 1);\n";
  errors.clear();
  store.load_all(errors);
  EXPECT_TRUE(errors.empty()) << errors[0];
  EXPECT_EQ(store.table(0).size(), 1u);
}

TEST(SchemaDifferencesTest, MariadbTypesByFamily) {
  sbc_column columns[3] = {{"name", SBC_COLUMN_STRING, 0}, {"weight", SBC_COLUMN_INT, 0}, {"on", SBC_COLUMN_BOOL, 0}};
  sbc_table table{};
  table.name = "t";
  table.key = {"k", SBC_COLUMN_STRING, 0};
  table.columns = columns;
  table.column_count = 3;
  sbc_policy policy{};
  std::vector<DatabaseColumn> fine = {
      {"k", "varchar(255)"}, {"NAME", "text"}, {"weight", "bigint(20) unsigned"}, {"on", "tinyint(1)"}};
  EXPECT_TRUE(schema_differences(policy, table, fine, false).empty());
  std::vector<DatabaseColumn> wrong = {
      {"k", "int(11)"}, {"name", "varchar(10)"}, {"weight", "varchar(10)"}, {"on", "tinyint(1)"}};
  auto differences = schema_differences(policy, table, wrong, false);
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0], "column k is int(11) in the database, the policy declares it string (a text type)");
  EXPECT_EQ(differences[1],
            "column weight is varchar(10) in the database, the policy declares it int (an integer type)");
}

// Reads run on the loader's thread, installs where the SIP thread runs posted work:
// here, this test's thread, only when it runs what was posted.
TEST_F(TableStoreTest, TheLoaderReadsElsewhereAndInstallsOnlyWherePosted) {
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  std::mutex mutex;
  std::vector<std::function<void()>> posted;
  TableLoader loader(store, [&](std::function<void()> work) {
    std::lock_guard lock(mutex);
    posted.push_back(std::move(work));
  });
  exec("INSERT INTO routing VALUES ('e.example', 'E', 5);");
  std::vector<std::string> reported{"not called"};
  loader.reload({0}, [&](std::vector<std::string> e) { reported = std::move(e); });
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(mutex);
      if (!posted.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(store.table(0).size(), 2u) << "not installed from the loader's thread";
  std::vector<std::function<void()>> work;
  {
    std::lock_guard lock(mutex);
    work.swap(posted);
  }
  ASSERT_EQ(work.size(), 1u);
  work[0]();
  EXPECT_EQ(store.table(0).size(), 3u);
  EXPECT_TRUE(reported.empty());
}

// A server that is not there: a clear error in about the connect timeout, nothing read.
TEST_F(TableStoreTest, AnUnreachableMariadbIsAnErrorNotAHang) {
  database_.engine = SBC_DB_MYSQL;
  database_.location = "mysql://sbc@127.0.0.1:9/routes";  // the discard port: nothing listens
  TableStore store(policy_);
  std::vector<std::string> errors;
  auto started = std::chrono::steady_clock::now();
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("table routing (database routes): "), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("127.0.0.1"), std::string::npos) << errors[0];
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_FALSE(store.database_state(0).up);
}

TEST_F(TableStoreTest, AMariadbPasswordFromAMissingVariableIsSaid) {
  database_.engine = SBC_DB_MYSQL;
  database_.location = "mysql://sbc@127.0.0.1:9/routes";
  database_.password_source = "env";
  database_.password_name = "SBC_TEST_NO_SUCH_VARIABLE";
  TableStore store(policy_);
  std::vector<std::string> errors;
  store.load_all(errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("the password variable SBC_TEST_NO_SUCH_VARIABLE is not set"), std::string::npos)
      << errors[0];
}

TEST(DatabaseUrlTest, Forms) {
  std::string why;
  auto url = parse_database_url("mysql://kamailio@db.example:3307/kamailio", why);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->user, "kamailio");
  EXPECT_EQ(url->host, "db.example");
  EXPECT_EQ(url->port, 3307);
  EXPECT_EQ(url->database, "kamailio");
  url = parse_database_url("mariadb://[::1]/routes", why);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 3306);
  EXPECT_TRUE(url->user.empty());
  EXPECT_FALSE(parse_database_url("mysql://host:99999/db", why));
  EXPECT_EQ(why, "the port is not a number from 1 to 65535");
  EXPECT_FALSE(parse_database_url("mysql://user@host:3306", why));
  EXPECT_FALSE(parse_database_url("mysql:///db", why));
  EXPECT_EQ(why, "no host");
}

}  // namespace
}  // namespace sbc::data
