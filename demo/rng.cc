#include "demo/rng.h"

#include <limits>

namespace piseruma::demo {
namespace {

uint64_t SplitMix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t MixSeed(uint64_t seed, uint64_t stream) {
  return SplitMix(seed + 0x9E3779B97F4A7C15ull * (SplitMix(stream ^ 0xD1B54A32D192ED03ull) | 1));
}

uint64_t MixSeed(uint64_t seed, std::string_view stream) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
  for (unsigned char c : stream) h = (h ^ c) * 0x100000001B3ull;
  return MixSeed(seed, h);
}

uint64_t DemoRng::Next() {
  state_ += 0x9E3779B97F4A7C15ull;
  return SplitMix(state_);
}

uint64_t DemoRng::Below(uint64_t n) {
  // Rejection keeps every residue equally likely.
  const uint64_t limit =
      std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % n;
  uint64_t x = Next();
  while (x >= limit) x = Next();
  return x % n;
}

int64_t DemoRng::Between(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
}

double DemoRng::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

namespace {

template <typename Weights>
size_t PickFrom(DemoRng& rng, const Weights& weights) {
  uint64_t total = 0;
  for (uint32_t w : weights) total += w;
  uint64_t x = rng.Below(total);
  size_t i = 0;
  for (uint32_t w : weights) {
    if (x < w) return i;
    x -= w;
    ++i;
  }
  return i - 1;  // unreachable when the sum is > 0
}

}  // namespace

size_t DemoRng::Pick(const std::vector<uint32_t>& weights) { return PickFrom(*this, weights); }
size_t DemoRng::Pick(std::initializer_list<uint32_t> weights) { return PickFrom(*this, weights); }

}  // namespace piseruma::demo
