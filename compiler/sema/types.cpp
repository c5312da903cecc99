// Names of types as users see them in diagnostics.
#include "sema/types.h"

namespace sbcc {

std::string_view type_name(Type type) {
  switch (type) {
    case Type::Error: return "<error>";
    case Type::Bool: return "bool";
    case Type::String: return "string";
    case Type::Int: return "int";
    case Type::Address: return "address";
    case Type::Cidr: return "cidr";
    case Type::Uri: return "uri";
    case Type::Duration: return "duration";
    case Type::Face: return "face";
    case Type::Network: return "network";
    case Type::Dispatcher: return "dispatcher";
    case Type::Endpoint: return "endpoint";
    case Type::RequestUri: return "request uri";
    case Type::Party: return "party";
  }
  return "<error>";
}

}  // namespace sbcc
