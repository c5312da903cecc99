// SIP request methods: the enum used on the hot path plus token <-> enum mapping.
#pragma once

#include <cstdint>
#include <string_view>

namespace sbc::sip {

enum class Method : uint8_t {
  Invite, Ack, Bye, Cancel, Options, Register, Update, Prack,
  Info, Refer, Message, Notify, Subscribe, Publish, Other
};

// Case-sensitive (RFC 3261 §7.1): "invite" is an unknown extension method -> Other.
Method method_from_token(std::string_view token);

// Canonical upper-case token; "" for Method::Other (the real token lives in the message).
std::string_view method_name(Method method);

}  // namespace sbc::sip
