// Passes for the data a policy declares: enums, databases, typed tables, dialog
// variables, the HTTP endpoint and the log level.
#include <algorithm>
#include <filesystem>

#include "basic/duration.h"
#include "sbc/database_url.h"
#include "sema/sema_context.h"

namespace sbcc {
namespace {

struct BuiltinType {
  std::string_view name;
  Type type;
};

constexpr BuiltinType builtin_types[] = {
    {"string", Type::String}, {"int", Type::Int},       {"bool", Type::Bool},
    {"address", Type::Address}, {"uri", Type::Uri},    {"duration", Type::Duration},
};

std::optional<DatabaseEngine> parse_engine(std::string_view name) {
  if (name == "sqlite") return DatabaseEngine::Sqlite;
  if (name == "mysql" || name == "mariadb") return DatabaseEngine::Mysql;
  return std::nullopt;
}

void build_database(SemaContext& ctx, const ast::DatabaseDecl& decl) {
  DatabaseModel db;
  db.name = decl.name.text;
  if (auto engine = parse_engine(decl.engine.text)) {
    db.engine = *engine;
  } else {
    auto& d = ctx.diags.report(DiagKind::UnknownName, decl.engine.range,
                               "unknown database engine `" + decl.engine.text + "`");
    d.hint = "use `sqlite \"file.db\"` or `mysql \"mysql://user@host:3306/db\"` (mariadb is an alias)";
  }
  if (db.engine == DatabaseEngine::Sqlite) {
    db.location = resolve_path(ctx, decl.location, decl.location_range);
    std::string folder = std::filesystem::path(db.location).parent_path().string();
    std::string written = std::filesystem::path(decl.location).parent_path().string();
    check_file_exists(ctx, folder, written.empty() ? "." : written, decl.location_range, "folder of the SQLite database");
  } else {
    db.location = decl.location;
    if (!decl.location.starts_with("mysql://") && !decl.location.starts_with("mariadb://")) {
      auto& d = ctx.diags.report(DiagKind::InvalidLiteral, decl.location_range,
                                 "`" + decl.location + "` is not a mysql:// URL");
      d.hint = "write `mysql \"mysql://USER@HOST:PORT/DATABASE\"`; keep the password out with `password env \"VAR\"`";
    } else if (decl.location.find(':', 8) < decl.location.find('@') &&
               decl.location.find('@') != std::string::npos) {
      auto& d = ctx.diags.report(DiagKind::InvalidLiteral, decl.location_range,
                                 "the database URL carries a password in the policy text");
      d.hint = "remove it from the URL and write `password env \"DB_PASSWORD\"` or `password file \"…\"`";
    } else if (std::string why; !sbc::parse_database_url(decl.location, why)) {
      auto& d = ctx.diags.report(DiagKind::InvalidLiteral, decl.location_range,
                                 "`" + decl.location + "` is not a usable database URL: " + why);
      d.hint = "write `mysql \"mysql://USER@HOST:PORT/DATABASE\"`";
    }
  }
  if (decl.seed) {
    if (db.engine != DatabaseEngine::Sqlite) {
      auto& d = ctx.diags.report(DiagKind::StatementNotAllowed, decl.seed->second,
                                 "only an SQLite database is created from a seed file");
      d.hint = "create MariaDB tables on the server with SQL; a seed file only creates an SQLite database";
    } else {
      db.seed = resolve_path(ctx, decl.seed->first, decl.seed->second);
      check_file_exists(ctx, db.seed, decl.seed->first, decl.seed->second, "seed file");
    }
  }
  if (decl.password) {
    db.password_source = decl.password->first.text;
    db.password_name = decl.password->first.text == "file" ? resolve_path(ctx, decl.password->second, decl.range)
                                                           : decl.password->second;
  }
  if (decl.refresh) {
    uint64_t ms = duration_ms(decl.refresh->first);
    if (ms < 1000) {
      auto& d = ctx.diags.report(DiagKind::InvalidLiteral, decl.refresh->second, "refresh interval below one second");
      d.hint = "refresh every few seconds or more, e.g. `refresh 30s`";
    }
    db.refresh_ms = static_cast<uint32_t>(std::min<uint64_t>(ms, UINT32_MAX));
  }
  ctx.model.databases.push_back(std::move(db));
}

ColumnModel build_column(SemaContext& ctx, const ast::ColumnDecl& decl) {
  return {decl.name.text, resolve_type_name(ctx, decl.type)};
}

void build_table(SemaContext& ctx, const ast::TableDecl& decl) {
  TableModel table;
  table.name = decl.name.text;
  if (const SymbolEntry* db = ctx.resolve(decl.database.text, SymbolKind::Database, decl.database.range)) {
    table.database = db->symbol.index;
  }
  table.key = build_column(ctx, decl.key);
  std::map<std::string, SourceRange> seen{{decl.key.name.text, decl.key.name.range}};
  for (const auto& column : decl.columns) {
    if (auto [it, inserted] = seen.emplace(column.name.text, column.name.range); !inserted) {
      auto& d = ctx.diags.report(DiagKind::DuplicateDefinition, column.name.range,
                                 "column `" + column.name.text + "` is already declared");
      d.labels.push_back({it->second, "first declared here"});
      continue;
    }
    table.columns.push_back(build_column(ctx, column));
  }
  ctx.model.tables.push_back(std::move(table));
}

void build_http(SemaContext& ctx, const ast::HttpDecl& decl) {
  HttpModel http;
  ConstValue address = evaluate_constant(ctx, *decl.bind.host);
  if (address.type == Type::Address) {
    http.address = std::get<IpAddress>(address.value);
  } else if (address.type != Type::Error) {
    ctx.diags.report(DiagKind::TypeMismatch, decl.bind.host->range,
                     "expected address, found " + ctx.model.describe(address.type));
  }
  if (decl.bind.port && (*decl.bind.port == 0 || *decl.bind.port > 65535)) {
    ctx.diags.report(DiagKind::InvalidLiteral, decl.bind.port_range, "port " + std::to_string(*decl.bind.port) + " is out of range");
  } else if (decl.bind.port) {
    http.port = static_cast<uint16_t>(*decl.bind.port);
  }
  static const std::vector<std::string> known = {"health", "metrics", "dispatcher", "calls", "reload"};
  for (const auto& endpoint : decl.endpoints) {
    if (std::find(known.begin(), known.end(), endpoint.text) == known.end()) {
      auto& d = ctx.diags.report(DiagKind::UnknownName, endpoint.range, "unknown HTTP endpoint `" + endpoint.text + "`");
      auto s = closest_spelling(endpoint.text, known);
      d.hint = s ? "did you mean `" + *s + "`?" : "the endpoints are health, metrics, dispatcher, calls and reload";
      continue;
    }
    http.endpoints.push_back(endpoint.text);
  }
  if (decl.endpoints.empty()) http.endpoints = known;
  if (decl.token) {
    http.token_source = decl.token->first.text;
    http.token_name = decl.token->first.text == "file" ? resolve_path(ctx, decl.token->second, decl.range)
                                                      : decl.token->second;
  }
  ctx.model.http = std::move(http);
}

}  // namespace

std::string resolve_path(const SemaContext& ctx, const std::string& path, SourceRange where) {
  std::filesystem::path p(path);
  if (p.is_absolute() || !ctx.options.sources) return p.lexically_normal().string();
  std::filesystem::path base = std::filesystem::path(ctx.options.sources->path(where.file)).parent_path();
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(base / p, ec);
  return (ec ? base / p : absolute).lexically_normal().string();
}

void check_file_exists(SemaContext& ctx, const std::string& path, const std::string& as_written, SourceRange where,
                       std::string_view what) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return;
  auto& d = ctx.diags.report(DiagKind::MissingFile, where,
                             "the " + std::string(what) + " `" + as_written + "` does not exist");
  if (ctx.options.require_files) d.severity = Severity::Error;
  d.hint = std::filesystem::path(as_written).is_absolute()
               ? "the file must exist where the SBC is built; `sbcc build --allow-missing-files` builds without it"
               : "relative paths are resolved against the folder of the policy file that names them";
}

Type resolve_type_name(SemaContext& ctx, const ast::Ident& name) {
  for (const auto& b : builtin_types) {
    if (b.name == name.text) return b.type;
  }
  const SymbolEntry* entry = ctx.lookup(name.text);
  if (entry && !entry->poisoned && entry->symbol.kind == SymbolKind::Enum) return Type::enumeration(entry->symbol.index);
  if (entry && entry->poisoned) return Type::Error;
  std::vector<std::string> candidates;
  for (const auto& b : builtin_types) candidates.emplace_back(b.name);
  for (const auto& e : ctx.model.enums) candidates.push_back(e.name);
  auto& d = ctx.diags.report(DiagKind::UnknownName, name.range, "unknown type `" + name.text + "`");
  auto s = closest_spelling(name.text, candidates);
  d.hint = s ? "did you mean `" + *s + "`?" : "use string, int, bool, address, uri, duration or a declared enum";
  return Type::Error;
}

void build_enums(SemaContext& ctx) {
  for (const auto& decl : ctx.policy.enums) {
    EnumModel e{decl.name.text, {}};
    for (const auto& m : decl.members) e.members.push_back(m.text);
    ctx.model.enums.push_back(std::move(e));
  }
  if (ctx.policy.log_level) {
    const auto& level = *ctx.policy.log_level;
    if (level.text != "debug" && level.text != "info" && level.text != "warn" && level.text != "error") {
      auto& d = ctx.diags.report(DiagKind::UnknownName, level.range, "unknown log level `" + level.text + "`");
      d.hint = "use debug, info, warn or error";
    } else {
      ctx.model.log_level = level.text;
    }
  }
}

void build_data(SemaContext& ctx) {
  for (const auto& decl : ctx.policy.databases) build_database(ctx, decl);
  for (const auto& decl : ctx.policy.tables) build_table(ctx, decl);
  for (const auto& var : ctx.policy.dialog_vars) {
    bool duplicate = false;
    for (const auto& existing : ctx.model.dialog_vars) duplicate = duplicate || existing.name == var.name.text;
    if (duplicate) {
      ctx.diags.report(DiagKind::DuplicateDefinition, var.name.range,
                       "dialog variable `" + var.name.text + "` is already declared");
      continue;
    }
    ctx.model.dialog_vars.push_back(build_column(ctx, var));
  }
  if (ctx.policy.http) build_http(ctx, *ctx.policy.http);
}

}  // namespace sbcc
