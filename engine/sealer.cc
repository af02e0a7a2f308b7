#include "engine/sealer.h"

#include <openssl/evp.h>

#include <memory>

namespace piseruma::engine {
namespace {

constexpr int kNonceSize = 12;
constexpr int kTagSize = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx NewCtx() { return CipherCtx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free); }

std::string Aad(std::string_view subject, std::string_view path) {
  std::string aad(subject);
  aad.push_back('\0');
  aad.append(path);
  return aad;
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string NewDataKey(RandomSource& rng) {
  std::string key(kDataKeySize, '\0');
  rng.Fill(reinterpret_cast<uint8_t*>(key.data()), key.size());
  return key;
}

std::string SealField(std::string_view key, std::string_view subject, std::string_view path,
                 std::string_view clear, RandomSource& rng) {
  std::string out(kNonceSize + clear.size() + kTagSize, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  rng.Fill(o, kNonceSize);
  std::string aad = Aad(subject, path);
  CipherCtx ctx = NewCtx();
  int len = 0;
  // Failures here mean a broken OpenSSL; there is no partial result worth returning.
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), o) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o + kNonceSize, &len, U(clear),
                        static_cast<int>(clear.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), o + kNonceSize + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          o + kNonceSize + clear.size()) != 1) {
    std::abort();
  }
  return out;
}

Result<std::string> OpenField(std::string_view key, std::string_view subject, std::string_view path,
                         std::string_view sealed) {
  if (key.size() != kDataKeySize) return Status::DataLoss("data key has the wrong size");
  if (sealed.size() < kNonceSize + kTagSize) {
    return Status::DataLoss("sealed field '" + std::string(path) + "' is truncated");
  }
  const size_t n = sealed.size() - kNonceSize - kTagSize;
  std::string clear(n, '\0');
  std::string aad = Aad(subject, path);
  std::string tag(sealed.substr(kNonceSize + n));
  CipherCtx ctx = NewCtx();
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(sealed)) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(aad), static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(clear.data()), &len,
                              U(sealed.substr(kNonceSize)), static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(clear.data()) + len,
                                &len) == 1;
  if (!ok) {
    return Status::DataLoss("sealed field '" + std::string(path) +
                            "' failed authentication: it was altered or belongs elsewhere");
  }
  return clear;
}

}  // namespace piseruma::engine
