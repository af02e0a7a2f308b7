// RandomSource: every random byte the engine uses (event ids, data keys, GCM nonces).
//
// Production uses the OS CSPRNG through OpenSSL. The demo injects a seeded source so the
// same seed yields the same log byte for byte; never use a seeded source for real data.
//
// Thread-safety: implementations must be safe to call from any thread.
//
//   auto* rng = CryptoRandom::Default();
//   std::string id = NewUuid(*rng);         // "3f1c…-4…"
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "engine/thread_annotations.h"

namespace piseruma::engine {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(uint8_t* out, size_t n) = 0;
};

// OpenSSL RAND_bytes, through a small per-thread pool (4 KiB, refilled whole; each byte
// handed out once and wiped from the pool; a forked child refills before using it). Aborts
// the process if the OS CSPRNG fails (nothing safe to do then).
class CryptoRandom final : public RandomSource {
 public:
  void Fill(uint8_t* out, size_t n) override;
  static CryptoRandom* Default();
};

// Deterministic, seeded (splitmix64). For the demo and tests only: not secret.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void Fill(uint8_t* out, size_t n) override EXCLUDES(mu_);

 private:
  std::mutex mu_;
  uint64_t state_ GUARDED_BY(mu_);
};

// A version-4 UUID in its 36-character text form.
std::string NewUuid(RandomSource& rng);

}  // namespace piseruma::engine
