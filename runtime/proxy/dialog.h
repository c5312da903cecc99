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
#include "transport/endpoint.h"

namespace sbc::proxy {

// What this SBC needs to send a request of its own to one party of a call (a BYE when
// the call's media times out): where the party is, and the dialog as that party knows it.
struct DialogParty {
  uint32_t listener = 0;          // the listener the call reached the party through
  transport::Endpoint neighbor;   // the hop the INVITE came from / went to
  std::string target;             // the party's Contact URI (the remote target)
  std::vector<std::string> route_set;  // Record-Route entries between this SBC and the party
  std::string party;    // the party's own From/To value, with its tag
  std::string other;    // the other party's, with its tag
  uint32_t cseq = 0;    // highest CSeq of a request sent to the party in this dialog
};

struct Dialog {
  std::string call_id;
  std::vector<abi::DialogValue> variables;
  uint32_t dispatcher = SBC_DEFAULT;
  std::chrono::steady_clock::time_point established;
  std::chrono::steady_clock::time_point last_request;
  bool terminating = false;  // a BYE went through
  DialogParty caller;
  DialogParty callee;
};

class DialogTable {
 public:
  // The key is direction-free: a request from either side finds the same dialog.
  static std::string key(std::string_view call_id, std::string_view tag_a, std::string_view tag_b);

  Dialog& establish(const std::string& key, Dialog dialog);
  Dialog* find(const std::string& key);
  // The dialog of a call (the first found; a call forked into several dialogs is not
  // relayed by this SBC), with its key; nullptr if none.
  Dialog* find_call(std::string_view call_id, std::string* key);
  void end(const std::string& key);
  // Ends dialogs established longer than `lifetime` ago (Kamailio's dlg timeout), telling
  // `ended` about each; returns how many.
  size_t expire(std::chrono::steady_clock::time_point now, std::chrono::seconds lifetime,
                const std::function<void(const Dialog&)>& ended = {});
  size_t size() const { return dialogs_.size(); }
  template <typename Visit>
  void for_each(Visit visit) const {
    for (const auto& [key, dialog] : dialogs_) visit(dialog);
  }

 private:
  std::unordered_map<std::string, Dialog> dialogs_;
};

}  // namespace sbc::proxy
