#include "tests/api/test_certificate.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace piseruma::testing {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "MakeTestCertificate: %s: %s\n", what,
               ERR_reason_error_string(ERR_get_error()));
  std::abort();
}

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

std::string Pem(int (*write)(BIO*, void*), void* object) {
  Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get(), object) != 1) Die("PEM encoding");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) Die(("writing " + path).c_str());
}

}  // namespace

TestCertificate MakeTestCertificate(const std::string& dir, const std::string& name) {
  Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  if (!key) Die("EC key generation");

  Owned<X509, X509_free> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1) Die("X509_new");
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);  // self-signed
  X509_set_pubkey(cert.get(), key.get());
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> san(
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"));
  if (!san || X509_add_ext(cert.get(), san.get(), -1) != 1) Die("subjectAltName");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) Die("signing");

  TestCertificate out;
  out.cert_path = dir + "/" + name + "-cert.pem";
  out.key_path = dir + "/" + name + "-key.pem";
  out.cert_pem =
      Pem([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, cert.get());
  WriteFile(out.cert_path, out.cert_pem);
  WriteFile(out.key_path, Pem(
                              [](BIO* b, void* k) {
                                return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k),
                                                                nullptr, nullptr, 0, nullptr,
                                                                nullptr);
                              },
                              key.get()));
  return out;
}

}  // namespace piseruma::testing
