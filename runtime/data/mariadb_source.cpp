// The MariaDB/MySQL table source (table_source.h), with MariaDB Connector/C linked
// statically. One connection per read of a database, with short timeouts: the read runs
// on the table loader's thread, and a server that hangs must not hold the next refresh
// (or a POST /reload) for long.
#include <mysql.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "data/table_source.h"
#include "sbc/database_url.h"

namespace sbc::data {
namespace {

constexpr unsigned kConnectTimeoutS = 3;
constexpr unsigned kReadTimeoutS = 10;

// `password env "VAR"` or `password file "PATH"` (one line; the newline an editor
// leaves at its end is not part of it).
bool read_password(const sbc_database& db, std::string& password, std::string& error) {
  std::string_view source = db.password_source;
  if (source.empty()) return true;
  if (source == "env") {
    const char* value = std::getenv(db.password_name);
    if (!value) {
      error = std::string("the password variable ") + db.password_name + " is not set";
      return false;
    }
    password = value;
    return true;
  }
  std::ifstream in(db.password_name);
  if (!in) {
    error = std::string("cannot read the password file ") + db.password_name;
    return false;
  }
  password.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  return true;
}

// A query's result, freed however its use ends.
class Result {
 public:
  explicit Result(MYSQL_RES* result) : result_(result) {}
  ~Result() { mysql_free_result(result_); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  MYSQL_RES* get() const { return result_; }

 private:
  MYSQL_RES* result_;
};

class MariadbSource final : public TableSource {
 public:
  explicit MariadbSource(MYSQL* connection) : db_(connection) {}
  ~MariadbSource() override { mysql_close(db_); }

  bool columns(const sbc_table& table, std::vector<DatabaseColumn>& out, std::string& error) override {
    std::string name(table.name);
    std::string escaped(name.size() * 2 + 1, '\0');
    escaped.resize(mysql_real_escape_string(db_, escaped.data(), name.data(), name.size()));
    RawRows rows;
    if (!query("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
               " AND TABLE_NAME = '" +
                   escaped + "' ORDER BY ORDINAL_POSITION",
               2, rows, error)) {
      return false;
    }
    for (auto& row : rows) out.push_back({std::move(row[0]), std::move(row[1])});
    return true;
  }

  bool rows(const sbc_table& table, RawRows& out, std::string& error) override {
    std::string sql = select_rows(table, '`');
    return query(sql, table.column_count + 1, out, error);
  }

  bool sqlite() const override { return false; }

 private:
  bool query(const std::string& sql, unsigned columns, RawRows& out, std::string& error) {
    if (mysql_real_query(db_, sql.data(), sql.size()) != 0) return fail(error);
    Result result(mysql_store_result(db_));  // all rows, then the connection is free
    if (!result.get()) return fail(error);
    if (mysql_num_fields(result.get()) != columns) {
      error = "unexpected number of columns in the result";
      return false;
    }
    while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
      unsigned long* lengths = mysql_fetch_lengths(result.get());
      std::vector<std::string> values;
      for (unsigned c = 0; c < columns; ++c) values.emplace_back(row[c] ? std::string(row[c], lengths[c]) : "");
      out.push_back(std::move(values));
    }
    return true;
  }

  bool fail(std::string& error) const {
    error = mysql_error(db_);
    return false;
  }

  MYSQL* db_;
};

}  // namespace

std::unique_ptr<TableSource> open_mariadb_source(const sbc_database& db, std::string& error) {
  auto url = parse_database_url(db.location, error);
  if (!url) return nullptr;
  std::string password;
  if (!read_password(db, password, error)) return nullptr;
  MYSQL* connection = mysql_init(nullptr);
  if (!connection) {
    error = "out of memory";
    return nullptr;
  }
  unsigned connect_timeout = kConnectTimeoutS;
  unsigned read_timeout = kReadTimeoutS;
  mysql_options(connection, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(connection, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_options(connection, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout);
  mysql_options(connection, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // The URL names a host and a port: TCP to them, also for "localhost" (for which the
  // client would otherwise take its Unix socket and ignore the port).
  unsigned protocol = MYSQL_PROTOCOL_TCP;
  mysql_options(connection, MYSQL_OPT_PROTOCOL, &protocol);
  if (!mysql_real_connect(connection, url->host.c_str(), url->user.empty() ? nullptr : url->user.c_str(),
                          password.empty() ? nullptr : password.c_str(), url->database.c_str(), url->port, nullptr,
                          0)) {
    error = mysql_error(connection);
    mysql_close(connection);
    return nullptr;
  }
  return std::make_unique<MariadbSource>(connection);
}

}  // namespace sbc::data
