// OpenSSL contexts for a policy's TLS profiles: versions, certificate, key, CA list,
// peer verification. TLS 1.2 is the floor whatever the profile says.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "sbc/abi.h"

namespace sbc::transport {

// Null with `error` set when a file cannot be loaded.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const sbc_tls_profile& profile, std::string& error);

}  // namespace sbc::transport
