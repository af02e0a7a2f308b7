#include "api/http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>

namespace piseruma::api {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's reason for the last failure, in words ("no start line", "key values mismatch").
std::string Reason(const boost::system::error_code& ec) {
  const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
  return reason ? reason : ec.message();
}

}  // namespace

Result<std::shared_ptr<ssl::context>> LoadTlsContext(const TlsFiles& files) {
  if (files.cert_chain.empty() || files.private_key.empty())
    return Status::InvalidArgument("TLS needs both a certificate chain and a private key");
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (ec) return Status::Internal("TLS: cannot set the protocol options: " + ec.message());
  context->use_certificate_chain_file(files.cert_chain, ec);
  if (ec) {
    return Status::InvalidArgument("TLS certificate " + files.cert_chain + " cannot be used: " +
                                   Reason(ec) + " (expected a PEM certificate chain)");
  }
  // OpenSSL checks the key against the certificate loaded above.
  context->use_private_key_file(files.private_key, ssl::context::pem, ec);
  if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    return Status::InvalidArgument("TLS private key " + files.private_key +
                                   " does not belong to the certificate " + files.cert_chain);
  }
  if (ec) {
    return Status::InvalidArgument("TLS private key " + files.private_key + " cannot be used: " +
                                   Reason(ec) + " (expected an unencrypted PEM key)");
  }
  return context;
}

}  // namespace piseruma::api
