// See transaction.h.
#include "proxy/transaction.h"

namespace sbc::proxy {

std::string transaction_key(std::string_view branch, sip::Method method) {
  std::string key;
  key.reserve(branch.size() + 2);
  key += method == sip::Method::Ack ? 'I' : method == sip::Method::Invite ? 'I' : method == sip::Method::Cancel ? 'C' : 'N';
  key += ':';
  key.append(branch);
  return key;
}

}  // namespace sbc::proxy
