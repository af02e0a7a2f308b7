// A throwaway self-signed certificate for TLS tests: an EC P-256 key and an X.509
// certificate for CN=localhost with subjectAltName IP:127.0.0.1, valid for a day, written
// as PEM files into `dir`. Made fresh with OpenSSL on every run (nothing checked in).
//
//   TestCertificate cert = MakeTestCertificate(dir);
//   server_config.tls = TlsFiles{cert.cert_path, cert.key_path};
#pragma once

#include <string>

namespace piseruma::testing {

struct TestCertificate {
  std::string cert_path;
  std::string key_path;
  std::string cert_pem;  // the certificate, for a client to trust
};

// Aborts the test binary (with OpenSSL's reason) if OpenSSL cannot make one.
TestCertificate MakeTestCertificate(const std::string& dir, const std::string& name = "server");

}  // namespace piseruma::testing
