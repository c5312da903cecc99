// See dialog.h.
#include "proxy/dialog.h"

namespace sbc::proxy {

std::string DialogTable::key(std::string_view call_id, std::string_view tag_a, std::string_view tag_b) {
  if (tag_b < tag_a) std::swap(tag_a, tag_b);
  std::string k;
  k.reserve(call_id.size() + tag_a.size() + tag_b.size() + 2);
  k.append(call_id).append(1, '|').append(tag_a).append(1, '|').append(tag_b);
  return k;
}

Dialog& DialogTable::establish(const std::string& key, Dialog dialog) {
  auto [it, inserted] = dialogs_.try_emplace(key, std::move(dialog));
  return it->second;  // a retransmitted 2xx finds the dialog it already made
}

Dialog* DialogTable::find(const std::string& key) {
  auto it = dialogs_.find(key);
  return it == dialogs_.end() ? nullptr : &it->second;
}

void DialogTable::end(const std::string& key) { dialogs_.erase(key); }

Dialog* DialogTable::find_call(std::string_view call_id, std::string* key) {
  for (auto& [k, dialog] : dialogs_) {
    if (dialog.call_id != call_id) continue;
    if (key) *key = k;
    return &dialog;
  }
  return nullptr;
}

size_t DialogTable::expire(std::chrono::steady_clock::time_point now, std::chrono::seconds lifetime,
                           const std::function<void(const Dialog&)>& on_ended) {
  size_t ended = 0;
  for (auto it = dialogs_.begin(); it != dialogs_.end();) {
    if (now - it->second.established > lifetime) {
      if (on_ended) on_ended(it->second);
      it = dialogs_.erase(it);
      ++ended;
    } else {
      ++it;
    }
  }
  return ended;
}

}  // namespace sbc::proxy
