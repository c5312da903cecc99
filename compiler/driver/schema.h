// `sbcc schema`: the CREATE TABLE statements of a policy's tables, so setting up the
// database a policy reads is one command (sbcc schema policy.sbc | sqlite3 routes.db).
#pragma once

#include <optional>
#include <string>

#include "sema/policy_model.h"

namespace sbcc {

// Every table, for its own database's engine, or for `engine` when given.
std::string create_table_statements(const PolicyModel& model, std::optional<DatabaseEngine> engine);

}  // namespace sbcc
