// See backend.h: codegen, optimisation, object emission and the static link, in order.
#include "codegen/backend.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdio>

#include "codegen/codegen.h"
#include "codegen/object_emitter.h"
#include "link/static_linker.h"

extern "C" int sbcc_backend_run(const sbcc::codegen::BackendRequest& request, std::string& error) {
  using namespace sbcc;
  auto target = codegen::create_host_target(error);
  if (!target) {
    error = "no code generator for this machine: " + error;
    return 2;
  }
  llvm::LLVMContext context;
  auto module = codegen::generate(*request.model, request.info, context, *target);
  if (request.optimize) codegen::optimize(*module, *target);
  if (request.emit == "llvm") {
    module->print(llvm::outs(), nullptr);
    return 0;
  }
  std::string object = request.emit == "obj" ? request.output : request.output + ".sbcc-obj.o";
  if (!codegen::write_object(*module, *target, object, error)) {
    error = "cannot write object " + object + ": " + error;
    return 2;
  }
  if (request.emit == "obj") return 0;
  bool linked = link::link_static_executable({object, request.output}, error);
  std::remove(object.c_str());
  return linked ? 0 : 2;
}
