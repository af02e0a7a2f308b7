#include "projections/dashboard.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_harness.h"

namespace piseruma::projections {
namespace {

using testing::Caseworker2;
using testing::ProjectionHarness;
using testing::Supervisor;

class DashboardTest : public ::testing::Test {
 protected:
  // The count in table[row][col].
  int64_t Count(const std::string& table, const std::string& row, const std::string& col) {
    h.Sync();
    int64_t n = 0;
    h.runtime->Read([&](const auto&, const DashboardProjection& d, const auto&) {
      auto cells = d.tallies().Snapshot();
      auto it = cells.find({table, row, col});
      n = it == cells.end() ? 0 : it->second;
    });
    return n;
  }
  std::string Month() const { return h.wf.Today().substr(0, 7); }

  ProjectionHarness h;
};

TEST_F(DashboardTest, TheFunnelFollowsEachParticipantByEveryDimension) {
  const std::string id =
      h.wf.NewCaseIn("employment");  // a woman, 25-59, Syria, Rabat (the fixture)
  EXPECT_EQ(Count("funnel.employment.sex", "open", "female"), 1);
  EXPECT_EQ(Count("funnel.case.age_group", "active", "25-59"), 1);
  EXPECT_EQ(Count("funnel.case.nationality", "active", "Syria"), 1);
  EXPECT_EQ(Count("funnel.case.disability", "active", "no"), 1);
  EXPECT_EQ(Count("funnel.case.specific_needs", "active", "no"), 1);
  EXPECT_EQ(Count("entered.case", "registered", Month()), 1);
  h.RunAndSync(id, "SendAnapecReferral", h.Body("SendAnapecReferral"));
  EXPECT_EQ(Count("funnel.employment.city", "open", "Rabat"), 0);
  EXPECT_EQ(Count("funnel.employment.city", "referred", "Rabat"), 1);
  EXPECT_EQ(Count("entered.employment", "referred", Month()), 1);

  // A transfer to Kénitra moves every count by city, and nothing else.
  h.RunAndSync(
      id, "RequestTransfer",
      h.Body("RequestTransfer", {{"to_caseworker_id", "u-sup-1"}, {"to_city", "Kénitra"}}));
  EXPECT_EQ(Count("funnel.employment.city", "referred", "Rabat"), 1);
  h.RunAndSync(id, "AcceptTransfer", h.Body("AcceptTransfer"), Supervisor());
  EXPECT_EQ(Count("funnel.employment.city", "referred", "Rabat"), 0);
  EXPECT_EQ(Count("funnel.employment.city", "referred", "Kénitra"), 1);
  EXPECT_EQ(Count("funnel.case.city", "active", "Kénitra"), 1);
  EXPECT_EQ(Count("funnel.employment.sex", "referred", "female"), 1);
}

TEST_F(DashboardTest, AnapecTurnaroundPlacementsAndTahfiz) {
  const std::string id = h.wf.NewCaseIn("employment");
  h.RunAndSync(id, "SendAnapecReferral", h.Body("SendAnapecReferral"));
  h.wf.AdvanceDays(9);
  h.RunAndSync(id, "ConfirmAnapecRegistration", h.Body("ConfirmAnapecRegistration"));
  EXPECT_EQ(Count("anapec.turnaround", Month(), "0009"), 1);
  EXPECT_EQ(Count("anapec.answers", "confirmed", Month()), 1);
  // An employer created inside the TAHFIZ window hiring on a CDI within 24 months: eligible.
  h.RunAndSync(id, "RecordPlacement",
               h.Body("RecordPlacement",
                      {{"employer_created_on", "2022-10-01"}, {"start_date", "2024-06-01"}}));
  EXPECT_EQ(Count("placements.month", "tahfiz_eligible", Month()), 1);
  EXPECT_EQ(Count("placements.sex", "tahfiz_eligible", "female"), 1);
  const std::string other = h.wf.NewCaseIn("employment");
  h.RunAndSync(other, "SendAnapecReferral", h.Body("SendAnapecReferral"));
  h.RunAndSync(other, "ConfirmAnapecRegistration", h.Body("ConfirmAnapecRegistration"));
  h.RunAndSync(other, "RecordPlacement",
               h.Body("RecordPlacement"));  // created 2021, hired 2026: too late
  EXPECT_EQ(Count("placements.month", "not_tahfiz_eligible", Month()), 1);
  EXPECT_EQ(Count("anapec.turnaround", Month(), "0000"), 1);
}

TEST_F(DashboardTest, OutcomesFinancingAndDropOuts) {
  const std::string id = h.wf.NewCaseIn("microproject");
  for (const char* step : {"RecordEntrepreneurshipTraining", "SubmitBusinessPlan"})
    h.RunAndSync(id, step, h.Body(step));
  h.RunAndSync(id, "ReviewBusinessPlan", h.Body("ReviewBusinessPlan"), Supervisor());
  h.RunAndSync(id, "RecordFinancing", h.Body("RecordFinancing", {{"amount_mad", 15000.5}}));
  EXPECT_EQ(Count("financing.count", "microproject.grant", Month()), 1);
  EXPECT_EQ(Count("financing.mad_centimes", "microproject.grant", Month()), 1500050);

  h.RunAndSync(id, "RecordAssessment",
               h.Body("RecordAssessment", {{"kind", "endline"}, {"employment", 4}, {"debt", 0}}));
  EXPECT_EQ(Count("sri", "employment", "n"), 1);
  EXPECT_EQ(Count("sri", "employment", "baseline_sum"), 1);
  EXPECT_EQ(Count("sri", "employment", "endline_sum"), 4);
  EXPECT_EQ(Count("sri", "debt", "n"), 0);  // not applicable at endline
  h.RunAndSync(id, "ProposeClosure", h.Body("ProposeClosure", {{"outcome", "self_reliant"}}));
  EXPECT_EQ(Count("outcomes.month", "self_reliant", Month()), 0);  // proposed, not yet approved
  h.RunAndSync(id, "ApproveClosure", h.Body("ApproveClosure"), Supervisor());
  EXPECT_EQ(Count("outcomes.month", "self_reliant", Month()), 1);
  EXPECT_EQ(Count("outcomes.sex", "self_reliant", "female"), 1);
  EXPECT_EQ(Count("funnel.case.sex", "closed", "female"), 1);
  h.RunAndSync(id, "ReopenCase", h.Body("ReopenCase"), Supervisor());
  EXPECT_EQ(Count("outcomes.month", "self_reliant", Month()), 0);
  EXPECT_EQ(Count("outcomes.sex", "self_reliant", "female"), 0);

  const std::string trainee = h.wf.NewCaseIn("training");
  h.RunAndSync(trainee, "EnrollInTraining", h.Body("EnrollInTraining"));
  h.RunAndSync(trainee, "RecordTrainingDropout",
               h.Body("RecordTrainingDropout", {{"reason", "family"}}));
  EXPECT_EQ(Count("training_dropouts.month", "family", Month()), 1);
  EXPECT_EQ(Count("funnel.training.sex", "dropped_out", "female"), 1);
}

TEST_F(DashboardTest, Cooperatives) {
  std::vector<std::string> members;
  for (int i = 0; i < 5; ++i) members.push_back(h.wf.NewCaseIn("cooperative_membership"));
  const std::string coop = h.FoundCooperative(members);
  EXPECT_EQ(Count("cooperatives.now", "forming", "Rabat"), 1);
  EXPECT_EQ(Count("entered.cooperative", "forming", Month()), 1);
  EXPECT_EQ(Count("funnel.cooperative_membership.sex", "member", "female"), 5);
  for (const char* step :
       {"RecordNameApproval", "SignStatutes", "HoldConstitutiveAssembly", "RecordCapitalPaid",
        "RegisterCooperative", "RecordCooperativeFinancing", "StartCooperativeOperations"}) {
    h.RunAndSync(coop, step, h.Body(step));
  }
  EXPECT_EQ(Count("cooperatives.now", "forming", "Rabat"), 0);
  EXPECT_EQ(Count("cooperatives.now", "operating", "Rabat"), 1);
  EXPECT_EQ(Count("entered.cooperative", "registered", Month()), 1);
  EXPECT_EQ(Count("financing.count", "cooperative.grant", Month()), 1);
  EXPECT_EQ(Count("financing.mad_centimes", "cooperative.grant", Month()), 5000000);
}

}  // namespace
}  // namespace piseruma::projections
