// See schema.h. Column types follow what the runtime reads (runtime/data/table_store.cpp):
// strings and URIs as text, ints and durations (milliseconds) as integers, bools as 0/1,
// enums as their member names, compared without case (the article stores "TLS" and
// "tls" alike), hence the lower() in their CHECK.
#include "driver/schema.h"

namespace sbcc {
namespace {

std::string quoted(const std::string& name, DatabaseEngine engine) {
  char quote = engine == DatabaseEngine::Mysql ? '`' : '"';
  std::string out(1, quote);
  for (char c : name) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

std::string column_type(const Type& type, DatabaseEngine engine) {
  bool mysql = engine == DatabaseEngine::Mysql;
  switch (type.kind) {
    case TypeKind::Int:
    case TypeKind::Duration: return mysql ? "BIGINT" : "INTEGER";
    case TypeKind::Bool: return mysql ? "TINYINT(1)" : "INTEGER";
    case TypeKind::Uri: return mysql ? "VARCHAR(1024)" : "TEXT";
    default: return mysql ? "VARCHAR(255)" : "TEXT";
  }
}

std::string column_line(const PolicyModel& model, const ColumnModel& column, DatabaseEngine engine, bool key) {
  std::string line = "  " + quoted(column.name, engine) + " " + column_type(column.type, engine) + " NOT NULL";
  if (key) line += " PRIMARY KEY";
  if (column.type.kind == TypeKind::Enum && column.type.id < model.enums.size()) {
    line += " CHECK (lower(" + quoted(column.name, engine) + ") IN (";
    const auto& members = model.enums[column.type.id].members;
    for (size_t i = 0; i < members.size(); ++i) line += (i ? ", '" : "'") + members[i] + "'";
    line += "))";
  }
  if (column.type.kind == TypeKind::Bool) line += " CHECK (" + quoted(column.name, engine) + " IN (0, 1))";
  return line;
}

}  // namespace

std::string create_table_statements(const PolicyModel& model, std::optional<DatabaseEngine> engine) {
  std::string out;
  for (const auto& table : model.tables) {
    const DatabaseModel& db = model.databases[table.database];
    DatabaseEngine target = engine.value_or(db.engine);
    out += "-- table " + table.name + " of database " + db.name + " (" +
           (target == DatabaseEngine::Mysql ? "MariaDB/MySQL" : "SQLite") + ")\n";
    if (table.columns.empty()) out += "-- (no columns besides the key)\n";
    out += "CREATE TABLE IF NOT EXISTS " + quoted(table.name, target) + " (\n";
    out += column_line(model, table.key, target, true);
    for (const auto& column : table.columns) out += ",\n" + column_line(model, column, target, false);
    out += "\n)";
    if (target == DatabaseEngine::Mysql) out += " DEFAULT CHARSET=utf8mb4";
    out += ";\n\n";
  }
  return out;
}

}  // namespace sbcc
