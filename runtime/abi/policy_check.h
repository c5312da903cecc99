// Start-up validation of the compiled-in policy against this runtime's ABI.
#pragma once

#include <string>

#include "sbc/abi.h"

namespace sbc::abi {

// Returns an empty string if the policy can run here, else what is wrong.
std::string check_policy_abi(const sbc_policy& policy);

}  // namespace sbc::abi
