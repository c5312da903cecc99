// SIP request method token mapping.
#include "sip/method.h"

#include <array>

namespace sbc::sip {

namespace {

constexpr std::array<std::string_view, 14> kMethodNames = {
    "INVITE", "ACK",    "BYE",    "CANCEL",    "OPTIONS", "REGISTER", "UPDATE",
    "PRACK",  "INFO",   "REFER",  "MESSAGE",   "NOTIFY",  "SUBSCRIBE", "PUBLISH"};
static_assert(kMethodNames.size() == static_cast<size_t>(Method::Other),
              "kMethodNames must list every Method before Other, in enum order");

}  // namespace

Method method_from_token(std::string_view token) {
  for (size_t i = 0; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == token) return static_cast<Method>(i);
  }
  return Method::Other;
}

std::string_view method_name(Method method) {
  const auto index = static_cast<size_t>(method);
  return index < kMethodNames.size() ? kMethodNames[index] : std::string_view{};
}

}  // namespace sbc::sip
