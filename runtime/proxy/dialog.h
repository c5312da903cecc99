// Dialogs the SBC is in: from the 2xx to an INVITE until the BYE (or a timeout). They
// carry the policy's dialog variables from the initial request to the handlers of later
// requests and replies in the same call, and are what "calls active" counts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "abi/route_request.h"

namespace sbc::proxy {

struct Dialog {
  std::string call_id;
  std::vector<abi::DialogValue> variables;
  uint32_t dispatcher = SBC_DEFAULT;
  std::chrono::steady_clock::time_point established;
  std::chrono::steady_clock::time_point last_request;
  bool terminating = false;  // a BYE went through
};

class DialogTable {
 public:
  // The key is direction-free: a request from either side finds the same dialog.
  static std::string key(std::string_view call_id, std::string_view tag_a, std::string_view tag_b);

  Dialog& establish(const std::string& key, Dialog dialog);
  Dialog* find(const std::string& key);
  void end(const std::string& key);
  // Ends dialogs established longer than `lifetime` ago (Kamailio's dlg timeout), telling
  // `ended` about each; returns how many.
  size_t expire(std::chrono::steady_clock::time_point now, std::chrono::seconds lifetime,
                const std::function<void(const Dialog&)>& ended = {});
  size_t size() const { return dialogs_.size(); }

 private:
  std::unordered_map<std::string, Dialog> dialogs_;
};

}  // namespace sbc::proxy
