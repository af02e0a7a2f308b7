#include "engine/sealer.h"

#include <gtest/gtest.h>

namespace piseruma::engine {
namespace {

TEST(SealerTest, RoundTripsAndHidesTheValue) {
  SeededRandom rng(1);
  std::string key = NewDataKey(rng);
  std::string sealed = SealField(key, "p-1", "phone", "+212600000001", rng);
  EXPECT_EQ(sealed.find("+212600000001"), std::string::npos);
  auto clear = OpenField(key, "p-1", "phone", sealed);
  ASSERT_TRUE(clear.ok()) << clear.status().ToString();
  EXPECT_EQ(*clear, "+212600000001");
}

TEST(SealerTest, RefusesAlteredOrMovedValues) {
  SeededRandom rng(2);
  std::string key = NewDataKey(rng);
  std::string sealed = SealField(key, "p-1", "phone", "+212600000001", rng);
  std::string flipped = sealed;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_EQ(OpenField(key, "p-1", "phone", flipped).status().code(), StatusCode::kDataLoss);
  EXPECT_FALSE(OpenField(key, "p-2", "phone", sealed).ok()) << "moved to another person";
  EXPECT_FALSE(OpenField(key, "p-1", "name", sealed).ok()) << "moved to another field";
  EXPECT_FALSE(OpenField(NewDataKey(rng), "p-1", "phone", sealed).ok()) << "another key";
  EXPECT_FALSE(OpenField(key, "p-1", "phone", "short").ok());
}

TEST(SealerTest, SameValueSealsDifferentlyEachTime) {
  SeededRandom rng(3);
  std::string key = NewDataKey(rng);
  EXPECT_NE(SealField(key, "p", "f", "v", rng), SealField(key, "p", "f", "v", rng));
}

}  // namespace
}  // namespace piseruma::engine
