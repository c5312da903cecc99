// See policy_check.h.
#include "abi/policy_check.h"

namespace sbc::abi {

std::string check_policy_abi(const sbc_policy& policy) {
  if (policy.abi_version != SBC_ABI_VERSION) {
    return "policy was compiled for runtime ABI " + std::to_string(policy.abi_version) + ", this runtime has ABI " +
           std::to_string(SBC_ABI_VERSION) + "; rebuild it with the matching sbcc";
  }
  if (policy.struct_size != sizeof(sbc_policy)) {
    return "policy data layout differs from this runtime's (" + std::to_string(policy.struct_size) + " vs " +
           std::to_string(sizeof(sbc_policy)) + " bytes)";
  }
  if (!policy.route_request) return "policy has no route function";
  return {};
}

}  // namespace sbc::abi
