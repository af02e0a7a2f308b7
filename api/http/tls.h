// TLS for deployments without a reverse proxy: a server-side OpenSSL context from a PEM
// certificate chain and a PEM private key, with TLS 1.2 as the floor.
//
//   auto context = LoadTlsContext({.cert_chain = "cert.pem", .private_key = "key.pem"});
//   if (!context.ok()) return Fail("serve", context.status().message());
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"

namespace boost::asio::ssl {
class context;
}

namespace piseruma::api {

struct TlsFiles {
  std::string cert_chain;   // PEM: the server's certificate, then any intermediates
  std::string private_key;  // PEM, unencrypted; keep it 0600
};

// kInvalidArgument naming the file and what is wrong with it (unreadable, not PEM, or a key
// that does not belong to the certificate).
Result<std::shared_ptr<boost::asio::ssl::context>> LoadTlsContext(const TlsFiles& files);

}  // namespace piseruma::api
