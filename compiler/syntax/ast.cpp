// See ast.h: joining the ASTs of several files into one policy.
#include "syntax/ast.h"

#include <iterator>

namespace sbcc::ast {
namespace {

template <typename T>
void move_all(std::vector<T>& into, std::vector<T>& from) {
  into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

void append(Policy& policy, Policy&& later) {
  move_all(policy.imports, later.imports);
  if (later.identity) policy.identity = std::move(later.identity);
  if (later.log_level) policy.log_level = std::move(later.log_level);
  if (later.http) policy.http = std::move(later.http);
  move_all(policy.enums, later.enums);
  move_all(policy.tls, later.tls);
  move_all(policy.limits, later.limits);
  move_all(policy.databases, later.databases);
  move_all(policy.tables, later.tables);
  move_all(policy.dialog_vars, later.dialog_vars);
  move_all(policy.lets, later.lets);
  move_all(policy.interfaces, later.interfaces);
  move_all(policy.aliases, later.aliases);
  move_all(policy.networks, later.networks);
  move_all(policy.dispatchers, later.dispatchers);
  move_all(policy.handlers, later.handlers);
}

}  // namespace sbcc::ast
