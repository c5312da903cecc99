// See transaction.h.
#include "proxy/transaction.h"

#include "sip/message.h"
#include "sip/via.h"

namespace sbc::proxy {

std::string transaction_key(std::string_view branch, sip::Method method) {
  std::string key;
  key.reserve(branch.size() + 2);
  key += method == sip::Method::Ack ? 'I' : method == sip::Method::Invite ? 'I' : method == sip::Method::Cancel ? 'C' : 'N';
  key += ':';
  key.append(branch);
  return key;
}

std::string server_transaction_key(const sip::Message& request, sip::Method method) {
  sip::Via via;
  if (!sip::parse_via(request.top_via_value(), via) || via.branch.empty()) return {};
  std::string key = transaction_key(via.branch, method);
  key += '|';
  key.append(via.host);
  key += ':';
  key.append(via.port_text);
  return key;
}

}  // namespace sbc::proxy
