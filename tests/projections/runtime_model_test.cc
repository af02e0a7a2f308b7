// The model test: for random logs — random programmes of commands through the real command
// service — every projection equals a straightforward fold of the same events (model.cc),
// while following the log live, after a restart, and after a rebuild.
#include <gtest/gtest.h>

#include <set>

#include "projections/runtime.h"
#include "tests/projections/model.h"
#include "tests/projections/projection_harness.h"
#include "tests/projections/random_programme.h"

namespace piseruma::projections {
namespace {

using testing::Difference;
using testing::FoldModel;
using testing::Observe;

TEST(RuntimeModelTest, EveryProjectionEqualsAStraightforwardFold) {
  std::set<std::string> covered;  // tables with a count, over every seed
  size_t cooperatives = 0;
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    testing::ProjectionHarness h;  // following the log live, checkpointing often
    h.Open({.checkpoint_every = 13});
    testing::RandomProgramme programme(&h, seed);
    size_t accepted = 0;
    for (int round = 0; round < 3; ++round) {
      accepted += programme.Run(100);
      h.Sync();
      ASSERT_EQ(Difference(FoldModel(h.wf.log()), Observe(*h.runtime)), "")
          << "after round " << round;
    }
    EXPECT_GT(accepted, 150u);
    const testing::Model want = FoldModel(h.wf.log());
    EXPECT_GT(want.cases.size(), 20u);
    cooperatives += want.cooperatives.size();
    for (const auto& [cell, n] : want.tallies)
      covered.insert(std::get<0>(cell).substr(0, std::get<0>(cell).rfind('.')));

    h.Close();  // restart: loaded from the rows, not folded again
    h.Open({}, /*start=*/false);
    EXPECT_EQ(h.runtime->Lag().behind, 0u);
    EXPECT_EQ(Difference(want, Observe(*h.runtime)), "");

    ASSERT_OK(h.runtime->Rebuild({}, nullptr));
    EXPECT_EQ(Difference(want, Observe(*h.runtime)), "");
  }
  // The random programmes reached every kind of count, so each was checked.
  EXPECT_GT(cooperatives, 0u);
  std::string seen;
  for (const auto& t : covered) seen += t + " ";
  for (const char* t :
       {"funnel.case", "funnel.employment", "funnel.microproject", "funnel.training",
        "funnel.cooperative_membership", "entered", "outcomes", "sri", "placements", "anapec",
        "financing", "training_dropouts", "cooperatives"}) {
    EXPECT_TRUE(covered.count(t)) << t << " never counted; counted: " << seen;
  }
}

}  // namespace
}  // namespace piseruma::projections
