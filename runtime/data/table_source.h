// Where the rows of the policy's tables come from: an SQLite file or a MariaDB/MySQL
// server. A source is opened for one read of a database's tables and closed after it;
// it runs on the table loader's thread (table_loader.h), never on the SIP thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/table.h"
#include "sbc/abi.h"

namespace sbc::data {

// A column as the database declares it (SQLite's declared type, MariaDB's COLUMN_TYPE).
struct DatabaseColumn {
  std::string name;
  std::string type;
};

class TableSource {
 public:
  virtual ~TableSource() = default;
  // The table's columns; empty when the database has no such table.
  virtual bool columns(const sbc_table& table, std::vector<DatabaseColumn>& out, std::string& error) = 0;
  // Every row: the key, then the declared columns, as text (NULL as "").
  virtual bool rows(const sbc_table& table, RawRows& out, std::string& error) = 0;
  virtual bool sqlite() const = 0;
};

// Opens the policy's database: an SQLite file (created from the policy's seed SQL when
// missing), or a connection to MariaDB with the password from the environment or a file.
std::unique_ptr<TableSource> open_table_source(const sbc_database& database, std::string& error);
std::unique_ptr<TableSource> open_sqlite_source(const sbc_database& database, std::string& error);
std::unique_ptr<TableSource> open_mariadb_source(const sbc_database& database, std::string& error);

// SELECT of the key and the declared columns of `table`, names quoted with `quote` (the
// SQL standard's '"', MariaDB's '`').
std::string select_rows(const sbc_table& table, char quote);

// What differs between the table in the database (`actual`, from columns()) and the
// policy's declaration, one line each ("column weight is missing ..."); empty when every declared column is there with
// a type that can hold its values.
std::vector<std::string> schema_differences(const sbc_policy& policy, const sbc_table& table,
                                            const std::vector<DatabaseColumn>& actual, bool sqlite);

}  // namespace sbc::data
