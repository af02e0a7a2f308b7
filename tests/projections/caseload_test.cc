#include "projections/caseload.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_harness.h"

namespace piseruma::projections {
namespace {

using testing::CasablancaCaseworker;
using testing::ProjectionHarness;
using testing::Supervisor;

std::string Line(const CaseloadRow& r) {
  return r.key + ": active " + std::to_string(r.active_cases) + ", overdue " +
         std::to_string(r.overdue_deadlines) + ", this week " + std::to_string(r.due_this_week) +
         ", ANAPEC " + std::to_string(r.awaiting_anapec) + ", ODCO " +
         std::to_string(r.awaiting_odco);
}

std::string Lines(const std::vector<CaseloadRow>& rows) {
  std::string out;
  for (const auto& r : rows) out += Line(r) + "\n";
  return out;
}

TEST(CaseloadTest, PerCaseworkerAndPerCity) {
  ProjectionHarness h;
  const std::string referred = h.wf.NewCaseIn("employment");
  h.RunAndSync(referred, "SendAnapecReferral", h.Body("SendAnapecReferral"));
  std::vector<std::string> members;
  for (int i = 0; i < 5; ++i) members.push_back(h.wf.NewCaseIn("cooperative_membership"));
  h.FoundCooperative(members);  // "forming": awaiting ODCO's name approval
  const std::string closed = h.wf.NewCaseIn("training");
  h.RunAndSync(closed, "ProposeClosure", h.Body("ProposeClosure", {{"outcome", "dropped_out"}}));
  h.RunAndSync(closed, "ApproveClosure", h.Body("ApproveClosure"), Supervisor());
  ASSERT_OK(h.wf.Run("case-C0001", "RegisterParticipant",
                     h.Body("RegisterParticipant", {{"city", "Casablanca"}, {"unhcr_id", "MOR-2"}}),
                     CasablancaCaseworker()));
  h.Sync();

  // Today: nothing overdue. The ANAPEC answer is due in 15 days.
  EXPECT_EQ(Lines(h.runtime->QueryCaseload({.group = CaseloadGroup::kCaseworker}, h.Today())),
            "u-cw-1: active 6, overdue 0, this week 0, ANAPEC 1, ODCO 5\n"
            "u-cw-casa: active 1, overdue 0, this week 0, ANAPEC 0, ODCO 0\n");
  // Ten days on, it is due this week; sixteen days on, overdue.
  EXPECT_EQ(Lines(h.runtime->QueryCaseload({.group = CaseloadGroup::kCity, .cities = {"Rabat"}},
                                           h.Today() + 10)),
            "Rabat: active 6, overdue 0, this week 1, ANAPEC 1, ODCO 5\n");
  EXPECT_EQ(Lines(h.runtime->QueryCaseload({.group = CaseloadGroup::kCity}, h.Today() + 16)),
            "Casablanca: active 1, overdue 0, this week 0, ANAPEC 0, ODCO 0\n"
            "Rabat: active 6, overdue 1, this week 0, ANAPEC 1, ODCO 5\n");

  // Once the cooperative's name is approved, ODCO has answered.
  h.RunAndSync("coop-T001", "RecordNameApproval", h.Body("RecordNameApproval"));
  EXPECT_EQ(h.runtime->QueryCaseload({.caseworker_id = "u-cw-1"}, h.Today())[0].awaiting_odco, 0u);
}

}  // namespace
}  // namespace piseruma::projections
