// See backend_loader.h. $SBCC_BACKEND overrides the library's path.
#include "driver/backend_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

namespace sbcc {

codegen::BackendEntry load_backend(std::string& error) {
  std::string path;
  if (const char* env = std::getenv("SBCC_BACKEND")) {
    path = env;
  } else {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    path = (self.parent_path() / ".." / "lib" / "libsbcc_backend.so").lexically_normal().string();
  }
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    error = std::string("cannot load the code generator: ") + dlerror();
    return nullptr;
  }
  auto entry = reinterpret_cast<codegen::BackendEntry>(dlsym(library, codegen::kBackendEntry));
  if (!entry) error = path + " has no " + codegen::kBackendEntry;
  return entry;
}

}  // namespace sbcc
