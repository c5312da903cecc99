// Names of types as users see them in diagnostics.
#include "sema/types.h"

#include "sema/policy_model.h"

namespace sbcc {

namespace {

std::string name_at(const std::vector<std::string>* names, uint32_t id, std::string_view fallback) {
  return names && id < names->size() ? (*names)[id] : std::string(fallback);
}

}  // namespace

std::string type_name(Type type, TypeNames names) {
  switch (type.kind) {
    case TypeKind::Error: return "<error>";
    case TypeKind::Bool: return "bool";
    case TypeKind::String: return "string";
    case TypeKind::Int: return "int";
    case TypeKind::Address: return "address";
    case TypeKind::Cidr: return "cidr";
    case TypeKind::Uri: return "uri";
    case TypeKind::Duration: return "duration";
    case TypeKind::Face: return "face";
    case TypeKind::Network: return "network";
    case TypeKind::Dispatcher: return "dispatcher";
    case TypeKind::Endpoint: return "endpoint";
    case TypeKind::RequestUri: return "request uri";
    case TypeKind::Party: return "party";
    case TypeKind::Enum: return name_at(names.enums, type.id, "enum");
    case TypeKind::Row: return "row of " + name_at(names.tables, type.id, "a table");
    case TypeKind::Option: return "optional row of " + name_at(names.tables, type.id, "a table");
  }
  return "<error>";
}

std::string PolicyModel::describe(Type type) const {
  std::vector<std::string> enum_names;
  for (const auto& e : enums) enum_names.push_back(e.name);
  std::vector<std::string> table_names;
  for (const auto& t : tables) table_names.push_back(t.name);
  return type_name(type, {&enum_names, &table_names});
}

}  // namespace sbcc
