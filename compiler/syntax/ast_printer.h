// `sbcc --emit=ast`: an indented dump of the AST, one node per line with its position.
#pragma once

#include <ostream>

#include "syntax/ast.h"

namespace sbcc {

void print_ast(std::ostream& out, const SourceManager& sources, const ast::Policy& policy);

}  // namespace sbcc
