#include "projections/stream_index.h"

#include <gtest/gtest.h>

namespace piseruma::projections {
namespace {

TEST(StreamIndexTest, NumbersAreDenseStableAndFound) {
  StreamIndex index;
  EXPECT_EQ(index.Intern("case-A"), 0u);
  EXPECT_EQ(index.Intern("coop-1"), 1u);
  EXPECT_EQ(index.Intern("case-A"), 0u);
  EXPECT_EQ(index.Find("coop-1"), 1);
  EXPECT_EQ(index.Find("case-B"), -1);
  EXPECT_EQ(index.Name(1), "coop-1");
}

TEST(StreamIndexTest, SurvivesGrowth) {
  StreamIndex index;
  for (uint32_t i = 0; i < 20'000; ++i) ASSERT_EQ(index.Intern("case-" + std::to_string(i)), i);
  for (uint32_t i = 0; i < 20'000; ++i) ASSERT_EQ(index.Find("case-" + std::to_string(i)), i);
  EXPECT_EQ(index.size(), 20'000u);
}

}  // namespace
}  // namespace piseruma::projections
