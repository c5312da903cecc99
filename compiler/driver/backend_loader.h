// Finds and loads libsbcc_backend.so (next to sbcc, in ../lib) on first use.
#pragma once

#include <string>

#include "codegen/backend.h"

namespace sbcc {

// The back end's entry point, or null with `error` set.
codegen::BackendEntry load_backend(std::string& error);

}  // namespace sbcc
