// See tls_context.h.
#include "transport/tls_context.h"

#include <openssl/ssl.h>

namespace sbc::transport {
namespace {

int version_of(std::string_view v) { return v == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION; }

}  // namespace

std::unique_ptr<boost::asio::ssl::context> make_tls_context(const sbc_tls_profile& profile, std::string& error) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_unique<ssl::context>(profile.server ? ssl::context::tls_server : ssl::context::tls_client);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, version_of(profile.min_version));
  if (profile.max_version[0]) SSL_CTX_set_max_proto_version(native, version_of(profile.max_version));
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  boost::system::error_code ec;
  if (profile.certificate[0]) {
    context->use_certificate_chain_file(profile.certificate, ec);
    if (ec) {
      error = std::string("certificate ") + profile.certificate + ": " + ec.message();
      return nullptr;
    }
  }
  if (profile.key[0]) {
    context->use_private_key_file(profile.key, ssl::context::pem, ec);
    if (ec) {
      error = std::string("key ") + profile.key + ": " + ec.message();
      return nullptr;
    }
  }
  if (profile.ca[0]) {
    context->load_verify_file(profile.ca, ec);
    if (ec) {
      error = std::string("CA list ") + profile.ca + ": " + ec.message();
      return nullptr;
    }
  }
  if (profile.ciphers[0] && SSL_CTX_set_cipher_list(native, profile.ciphers) != 1) {
    error = std::string("cipher list ") + profile.ciphers + " is not understood";
    return nullptr;
  }
  // Server: ask for a client certificate when verifying; fail without one when required.
  // Client: check the server's certificate when verifying.
  int mode = ssl::verify_none;
  if (profile.verify) mode = ssl::verify_peer | (profile.server && profile.require ? ssl::verify_fail_if_no_peer_cert : 0);
  context->set_verify_mode(mode);
  return context;
}

}  // namespace sbc::transport
