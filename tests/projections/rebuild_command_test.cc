// api/cli/rebuild_command.cc: `piseruma rebuild [NAME...]`.
#include <gtest/gtest.h>

#include "api/cli/commands.h"
#include "tests/projections/model.h"
#include "tests/projections/projection_harness.h"
#include "tests/projections/random_programme.h"

namespace piseruma::projections {
namespace {

int Rebuild(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return cli::RunRebuild(static_cast<int>(argv.size()), argv.data());
}

TEST(RebuildCommandTest, RebuildsEverythingOrOneAndRefusesWhatItCannotDo) {
  testing::ProjectionHarness h;
  testing::RandomProgramme(&h, 9).Run(80);
  h.Sync();
  // The server holds the projections: the command says so instead of waiting.
  EXPECT_EQ(Rebuild({"rebuild", "--data", h.wf.dir()}), 2);
  h.Close();
  EXPECT_EQ(Rebuild({"rebuild", "--data", h.wf.dir()}), 0);
  EXPECT_EQ(Rebuild({"rebuild", "dashboard", "--data=" + h.wf.dir()}), 0);
  EXPECT_EQ(Rebuild({"rebuild", "--data", h.wf.dir(), "caseloads"}), 2);
  EXPECT_EQ(Rebuild({"rebuild", "--help"}), 0);
  h.Open({}, /*start=*/false);
  EXPECT_EQ(h.runtime->Lag().behind, 0u);
  EXPECT_EQ(testing::Difference(testing::FoldModel(h.wf.log()), testing::Observe(*h.runtime)), "");
}

}  // namespace
}  // namespace piseruma::projections
