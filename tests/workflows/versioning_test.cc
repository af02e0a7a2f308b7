// A changed definition is a new version: running cases stay on theirs until an explicit,
// audited migration; new instances start on the latest.
#include <gtest/gtest.h>

#include "tests/workflows/harness.h"
#include "workflows/definition_loader.h"

namespace piseruma::workflows {
namespace {

using testing::WorkflowHarness;

// The shipped definitions plus employment version 2, whose "referred" state is relabelled
// and which has a new step (WithdrawReferral-like: RecordAnapecRefusal also from "open").
std::shared_ptr<const WorkflowRegistry> WithEmploymentV2(bool keep_referred = true) {
  auto shipped = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir()).value();
  std::vector<WorkflowDefinition> defs = shipped->all();
  WorkflowDefinition v2 = *shipped->Latest("employment");
  v2.set_version(2);
  for (auto& s : *v2.mutable_states()) {
    if (s.name() == "referred") s.mutable_label()->set_fr("Dossier transmis à l'ANAPEC");
  }
  if (!keep_referred) {
    for (auto& s : *v2.mutable_states()) {
      if (s.name() == "referred") s.set_name("sent");
    }
    for (auto& t : *v2.mutable_transitions()) {
      for (auto& f : *t.mutable_from()) {
        if (f == "referred") f = "sent";
      }
      if (t.to() == "referred") t.set_to("sent");
    }
  }
  defs.push_back(v2);
  return WorkflowRegistry::FromParts(defs, shipped->params()).value();
}

uint32_t VersionOf(const StreamState& s, const std::string& machine) {
  return s.machines().at(machine).definition_version();
}

TEST(VersioningTest, RunningCasesStayOnTheirVersionUntilMigrated) {
  // A new instance starts on the latest version.
  WorkflowHarness h(WithEmploymentV2());
  const std::string id = h.NewCaseIn("employment");
  EXPECT_EQ(VersionOf(h.State(id), "employment"), 2u);
  const std::string v1 = h.NewCaseIn("employment");
  // A case started before version 2 existed: set up by moving a fresh one to version 1.
  ASSERT_OK(h.Run(v1, "MigrateWorkflow", R"({"machine":"employment","to_version":1,"reason":"test setup"})",
                  testing::Admin()));
  ASSERT_OK(h.RunValid(v1, "SendAnapecReferral"));
  StreamState s = h.State(v1);
  EXPECT_EQ(VersionOf(s, "employment"), 1u) << "commands keep a case on its version";

  // The migration is explicit, by an admin, with a reason, and recorded in the history.
  EXPECT_EQ(h.Run(v1, "MigrateWorkflow", R"({"machine":"employment","to_version":2,"reason":"new labels"})").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(h.Run(v1, "MigrateWorkflow", R"({"machine":"employment","to_version":2})", testing::Admin()).status().code(),
            StatusCode::kInvalidArgument)
      << "a reason is required";
  ASSERT_OK(h.Run(v1, "MigrateWorkflow", R"({"machine":"employment","to_version":2,"reason":"new labels"})",
                  testing::Admin()));
  EXPECT_EQ(VersionOf(h.State(v1), "employment"), 2u);
  EXPECT_EQ(h.MachineState(v1, "employment"), "referred");
  EXPECT_NE(h.History(v1).find("WorkflowMigrated"), std::string::npos);
}

TEST(VersioningTest, MigrationToAVersionWithoutTheCurrentStateIsRefused) {
  WorkflowHarness h(WithEmploymentV2(/*keep_referred=*/false));
  const std::string id = h.NewCaseIn("employment");
  ASSERT_OK(h.Run(id, "MigrateWorkflow", R"({"machine":"employment","to_version":1,"reason":"setup"})", testing::Admin()));
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));  // now "referred", which version 2 renamed
  auto r = h.Run(id, "MigrateWorkflow", R"({"machine":"employment","to_version":2,"reason":"upgrade"})", testing::Admin());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("has no state 'referred'"), std::string::npos);
  EXPECT_EQ(h.Run(id, "MigrateWorkflow", R"({"machine":"employment","to_version":9,"reason":"x"})", testing::Admin())
                .status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace piseruma::workflows
