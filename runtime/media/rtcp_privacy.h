// What the relay hides of the endpoints in the media itself: the RTCP CNAME (often
// "user@private-address") and the other SDES items (name, e-mail, phone, location,
// tool, note) would tell one side who and where the other is, past the SBC's topology
// hiding. Each item's text is replaced by a token of the same length (so no packet
// changes length), derived from the original with a key chosen at start-up: the same
// CNAME gives the same token in every packet and in the SDP's a=ssrc, as receivers
// expect, and nothing about the original.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sbc::media {

// The token for `text`: as long as it, lowercase hex.
std::string anonymized(std::string_view text);
// In place, in a plain (decrypted) RTCP compound packet: the text of every SDES item.
// Stops at the first malformed part and leaves the rest as it is.
void anonymize_sdes(uint8_t* packet, size_t length);

}  // namespace sbc::media
