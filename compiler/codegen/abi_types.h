// LLVM mirrors of the structs and functions in runtime/include/sbc/abi.h. Field order
// and widths must match the C header exactly; the runtime checks struct_size at start-up.
#pragma once

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Module.h>

namespace sbcc::codegen {

struct AbiTypes {
  explicit AbiTypes(llvm::Module& module);

  llvm::LLVMContext& context;
  llvm::IntegerType* i32;
  llvm::IntegerType* i64;
  llvm::PointerType* ptr;
  llvm::StructType* ip;           // sbc_ip
  llvm::StructType* cidr;         // sbc_cidr
  llvm::StructType* face;         // sbc_face
  llvm::StructType* listener;     // sbc_listener
  llvm::StructType* network;      // sbc_network
  llvm::StructType* destination;  // sbc_destination
  llvm::StructType* probe;        // sbc_probe
  llvm::StructType* dispatcher;   // sbc_dispatcher
  llvm::StructType* tls_profile;  // sbc_tls_profile
  llvm::StructType* limits;       // sbc_limits
  llvm::StructType* enumeration;  // sbc_enum
  llvm::StructType* column;       // sbc_column
  llvm::StructType* database;     // sbc_database
  llvm::StructType* table;        // sbc_table
  llvm::StructType* http;         // sbc_http
  llvm::StructType* policy;       // sbc_policy
  llvm::StructType* str;          // sbc_str (returned by value)
  llvm::FunctionType* route_fn;   // void (sbc_request*)
};

// The runtime functions generated code may call, declared in `module` on first use.
struct AbiFunctions {
  AbiFunctions(llvm::Module& module, const AbiTypes& types);

  llvm::FunctionCallee req_method;
  llvm::FunctionCallee req_field;
  llvm::FunctionCallee req_int_field;
  llvm::FunctionCallee req_ip_field;
  llvm::FunctionCallee req_is_myself;
  llvm::FunctionCallee str_equal;
  llvm::FunctionCallee req_header;
  llvm::FunctionCallee req_dispatcher;
  llvm::FunctionCallee table_lookup;
  llvm::FunctionCallee row_string;
  llvm::FunctionCallee row_int;
  llvm::FunctionCallee dialog_set_string;
  llvm::FunctionCallee dialog_set_int;
  llvm::FunctionCallee dialog_get_string;
  llvm::FunctionCallee dialog_get_int;
  llvm::FunctionCallee act_header;
  llvm::FunctionCallee act_retry_next;
  llvm::FunctionCallee act_forward_dispatcher;
  llvm::FunctionCallee act_forward_uri;
  llvm::FunctionCallee act_reply;
  llvm::FunctionCallee act_media_relay;
  llvm::FunctionCallee act_log;
};

}  // namespace sbcc::codegen
