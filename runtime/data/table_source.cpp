// See table_source.h: whether the database's column types can hold what the policy
// declares. The types sbcc schema writes (compiler/driver/schema.cpp) always pass; a
// hand-made table passes with any type of the same family.
#include <algorithm>
#include <string_view>

#include "data/table_source.h"
#include "sip/ascii.h"

namespace sbc::data {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool has(const std::string& type, std::string_view part) {
  return type.find(part) != std::string::npos;
}

// SQLite's affinity rules (https://sqlite.org/datatype3.html §3.1) on the declared type;
// MariaDB's types by family.
bool is_text(const std::string& type, bool sqlite) {
  if (sqlite) return type.empty() || has(type, "char") || has(type, "clob") || has(type, "text");
  return has(type, "char") || has(type, "text") || type.starts_with("enum(") || type.starts_with("set(");
}

bool is_integer(const std::string& type, bool sqlite) {
  if (sqlite) return type.empty() || has(type, "int");
  return has(type, "int") || type.starts_with("bool");
}

bool fits(const sbc_column& column, const std::string& type, bool sqlite) {
  switch (column.kind) {
    case SBC_COLUMN_INT:
    case SBC_COLUMN_DURATION:
    case SBC_COLUMN_BOOL:
      return is_integer(type, sqlite) || (sqlite && has(type, "bool"));
    default:
      return is_text(type, sqlite);  // strings, URIs and enum member names
  }
}

std::string declared(const sbc_policy& policy, const sbc_column& column) {
  switch (column.kind) {
    case SBC_COLUMN_INT:
      return "int (an integer type)";
    case SBC_COLUMN_DURATION:
      return "duration (an integer type, milliseconds)";
    case SBC_COLUMN_BOOL:
      return "bool (an integer type, 0 or 1)";
    case SBC_COLUMN_URI:
      return "uri (a text type)";
    case SBC_COLUMN_ENUM:
      return std::string("enum ") + policy.enums[column.enum_index].name + " (a text type)";
    default:
      return "string (a text type)";
  }
}

}  // namespace

std::vector<std::string> schema_differences(const sbc_policy& policy, const sbc_table& table,
                                            const std::vector<DatabaseColumn>& actual, bool sqlite) {
  std::vector<std::string> out;
  if (actual.empty()) {
    out.push_back("no such table in the database (`sbcc schema` prints its CREATE TABLE)");
    return out;
  }
  auto check = [&](const sbc_column& column) {
    auto it = std::find_if(actual.begin(), actual.end(),
                           [&](const DatabaseColumn& c) { return sip::iequals(c.name, column.name); });
    if (it == actual.end()) {
      out.push_back(std::string("column ") + +column.name + " is missing (the policy declares it " +
                    declared(policy, column) + ")");
    } else if (!fits(column, lower(it->type), sqlite)) {
      out.push_back(std::string("column ") + +column.name + " is " + it->type +
                    " in the database, the policy declares it " + declared(policy, column));
    }
  };
  check(table.key);
  for (uint32_t c = 0; c < table.column_count; ++c) check(table.columns[c]);
  return out;
}

std::string select_rows(const sbc_table& table, char quote) {
  auto quoted = [quote](std::string_view name) {
    std::string out(1, quote);
    for (char c : name) {
      if (c == quote) out += quote;
      out += c;
    }
    return out + quote;
  };
  std::string sql = "SELECT " + quoted(table.key.name);
  for (uint32_t c = 0; c < table.column_count; ++c) sql += ", " + quoted(table.columns[c].name);
  return sql + " FROM " + quoted(table.name);
}

std::unique_ptr<TableSource> open_table_source(const sbc_database& database, std::string& error) {
  return database.engine == SBC_DB_SQLITE ? open_sqlite_source(database, error) : open_mariadb_source(database, error);
}

}  // namespace sbc::data
