#include "engine/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace piseruma::engine {

namespace {

void RandBytesOrDie(uint8_t* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    std::fputs("piseruma: the system random generator failed; refusing to continue\n", stderr);
    std::abort();
  }
}

// Each call into OpenSSL's generator has a fixed cost (locks, a reseed check) far above
// that of the 12 or 16 bytes a nonce or an event id needs: small requests are served from
// a per-thread pool of generator output, refilled a page at a time. Every byte is handed out
// once and wiped from the pool; a forked child discards what it inherited.
std::atomic<uint64_t> fork_generation{0};
[[maybe_unused]] const int fork_handler_registered =
    pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });

struct RandomPool {
  static constexpr size_t kSize = 4096;
  uint8_t bytes[kSize];
  size_t used = kSize;  // empty until first use
  uint64_t generation = 0;
  ~RandomPool() { OPENSSL_cleanse(bytes, kSize); }
};

}  // namespace

void CryptoRandom::Fill(uint8_t* out, size_t n) {
  if (n > RandomPool::kSize / 8) return RandBytesOrDie(out, n);  // large requests: direct
  thread_local RandomPool pool;
  const uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (RandomPool::kSize - pool.used < n || pool.generation != generation) {
    pool.generation = generation;
    RandBytesOrDie(pool.bytes, RandomPool::kSize);
    pool.used = 0;
  }
  std::memcpy(out, pool.bytes + pool.used, n);
  OPENSSL_cleanse(pool.bytes + pool.used, n);  // handed out: not kept in the pool
  pool.used += n;
}

CryptoRandom* CryptoRandom::Default() {
  static auto* rng = new CryptoRandom();
  return rng;
}

void SeededRandom::Fill(uint8_t* out, size_t n) {
  std::lock_guard lock(mu_);
  while (n > 0) {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    size_t take = n < sizeof z ? n : sizeof z;
    std::memcpy(out, &z, take);
    out += take;
    n -= take;
  }
}

std::string NewUuid(RandomSource& rng) {
  uint8_t b[16];
  rng.Fill(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;  // version 4
  b[8] = (b[8] & 0x3F) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

}  // namespace piseruma::engine
