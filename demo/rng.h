// DemoRng: the demo's own deterministic random numbers.
//
// The same seed must give the same programme, byte for byte, on every machine and library
// version. std::*_distribution may differ between standard libraries, so every draw here
// is computed from the raw output of splitmix64 with integer arithmetic (weights are
// integers; Chance compares a 53-bit fraction, exact in IEEE-754 doubles).
//
// Each participant, cooperative and city draws from its own generator (seeded with
// MixSeed(seed, stream)), so changing one participant's story never reshuffles the others.
//
// Thread-safety: none; one generator per owner. Intentionally copyable (8 bytes).
//
//   DemoRng rng(MixSeed(seed, participant_index));
//   if (rng.Chance(0.15)) refuse();
//   int days = rng.Between(3, 14);
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace piseruma::demo {

// A seed for the independent stream `stream` of the programme `seed`.
uint64_t MixSeed(uint64_t seed, uint64_t stream);
uint64_t MixSeed(uint64_t seed, std::string_view stream);

class DemoRng {
 public:
  explicit DemoRng(uint64_t seed = 0) : state_(seed) {}

  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // Uniform in [0, 1), 53 bits.
  double Unit();
  // True with probability p (p <= 0: never, p >= 1: always).
  bool Chance(double p) { return Unit() < p; }
  // An index drawn with probability weights[i] / sum. REQUIRES: the sum is > 0.
  size_t Pick(const std::vector<uint32_t>& weights);
  size_t Pick(std::initializer_list<uint32_t> weights);
  // One element of a non-empty list, uniformly.
  template <typename T>
  const T& OneOf(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

}  // namespace piseruma::demo
