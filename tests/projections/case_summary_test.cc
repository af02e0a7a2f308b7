#include "projections/case_summary.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_harness.h"
#include "workflows/deadline_scheduler.h"

namespace piseruma::projections {
namespace {

using testing::CasablancaCaseworker;
using testing::Caseworker2;
using testing::ProjectionHarness;
using testing::Supervisor;

std::string Pathways(const CaseSummary& c) {
  std::string out;
  for (const auto& [p, s] : c.pathways) out += (out.empty() ? "" : " ") + p + ":" + s;
  return out;
}

std::vector<std::string> Codes(const CasePage& page) {
  std::vector<std::string> out;
  for (const auto& c : page.rows) out.push_back(c.participant_code);
  return out;
}

TEST(CaseSummaryTest, ARowPerCaseWithCodeStatePathwaysAndDeadlines) {
  ProjectionHarness h;
  const std::string id = h.wf.NewCaseIn("employment");
  h.RunAndSync(id, "SendAnapecReferral", h.Body("SendAnapecReferral"));
  auto c = h.runtime->GetCase(id, h.Today());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->participant_code, "RAB-T0001");
  EXPECT_EQ(c->city, "Rabat");
  EXPECT_EQ(c->caseworker_id, "u-cw-1");
  EXPECT_EQ(c->state, "active");
  EXPECT_EQ(Pathways(*c), "employment:referred");
  EXPECT_EQ(c->next_due_deadline, "anapec_answer");
  EXPECT_EQ(c->next_due_on, workflows::FormatDate(h.Today() + 15));
  EXPECT_FALSE(c->overdue);
  EXPECT_EQ(c->registered_on, h.wf.Today());

  // Sixteen days later the ANAPEC answer is overdue on the list, before any scheduler ran…
  h.wf.AdvanceDays(16);
  EXPECT_TRUE(h.runtime->GetCase(id, h.Today())->overdue);
  // …and stays overdue once the scheduler has marked it.
  workflows::DeadlineScheduler scheduler(&h.wf.service());
  ASSERT_OK(scheduler.RunOnce());
  h.Sync();
  bool marked = false;
  h.runtime->Read([&](const CaseSummaryProjection& s, const auto&, const auto&) {
    s.ForEachCase([&](const CaseRow& r) {
      for (const auto& d : r.deadlines()) marked |= d.name() == "anapec_answer" && d.overdue();
    });
  });
  EXPECT_TRUE(marked);
  EXPECT_EQ(h.runtime->GetCase(id, h.Today())->overdue_deadlines, 1u);

  // The answer meets the deadline.
  h.RunAndSync(id, "ConfirmAnapecRegistration", h.Body("ConfirmAnapecRegistration"));
  c = h.runtime->GetCase(id, h.Today());
  EXPECT_FALSE(c->overdue);
  EXPECT_EQ(Pathways(*c), "employment:registered");
  EXPECT_EQ(c->next_due_deadline, "sri_month_6");  // what is left: the baseline's follow-ups
}

TEST(CaseSummaryTest, FiltersSortsAndPages) {
  ProjectionHarness h;
  const std::string a = h.wf.NewCaseIn("employment");  // RAB-T0001
  const std::string b = h.wf.NewCaseIn("training");    // RAB-T0002
  const std::string c = h.wf.NewCase();                // RAB-T0003, assessed
  ASSERT_OK(h.wf.Run("case-C0001", "RegisterParticipant",
                     h.Body("RegisterParticipant", {{"city", "Casablanca"}, {"unhcr_id", "MOR-1"}}),
                     CasablancaCaseworker()));
  h.RunAndSync(a, "SendAnapecReferral", h.Body("SendAnapecReferral"));
  const auto today = h.Today();

  EXPECT_EQ(h.runtime->QueryCases({}, today).total, 4u);
  EXPECT_EQ(Codes(h.runtime->QueryCases({.cities = {"Casablanca"}}, today)),
            std::vector<std::string>{"CAS-C0001"});
  EXPECT_EQ(Codes(h.runtime->QueryCases({.caseworker_id = "u-cw-casa"}, today)),
            std::vector<std::string>{"CAS-C0001"});
  EXPECT_EQ(Codes(h.runtime->QueryCases({.pathway = "training"}, today)),
            std::vector<std::string>{"RAB-T0002"});
  EXPECT_EQ(Codes(h.runtime->QueryCases({.pathway = "employment", .state = "referred"}, today)),
            std::vector<std::string>{"RAB-T0001"});
  EXPECT_EQ(Codes(h.runtime->QueryCases({.state = "assessed"}, today)),
            std::vector<std::string>{"RAB-T0003"});
  EXPECT_EQ(h.runtime->QueryCases({.overdue = true}, today).total, 0u);
  EXPECT_EQ(h.runtime->QueryCases({.overdue = true}, today + 16).total, 1u);

  // Next due first (cases without a deadline last), ties by code; then pages.
  const auto first = h.runtime->QueryCases({.cities = {"Rabat"}}, today);
  EXPECT_EQ(Codes(first), (std::vector<std::string>{"RAB-T0001", "RAB-T0002", "RAB-T0003"}));
  const auto by_code = h.runtime->QueryCases(
      {.sort = CaseSort::kParticipantCode, .descending = true, .offset = 1, .limit = 2}, today);
  EXPECT_EQ(by_code.total, 4u);
  EXPECT_EQ(Codes(by_code), (std::vector<std::string>{"RAB-T0002", "RAB-T0001"}));
  EXPECT_TRUE(h.runtime->QueryCases({.offset = 10}, today).rows.empty());
  (void)b;
  (void)c;
}

TEST(CaseSummaryTest, ATransferMovesTheCaseOnceAccepted) {
  ProjectionHarness h;
  const std::string id = h.wf.NewCase();
  h.RunAndSync(id, "RequestTransfer", h.Body("RequestTransfer"));
  EXPECT_TRUE(h.runtime->GetCase(id, h.Today())->transfer_pending);
  EXPECT_EQ(h.runtime->GetCase(id, h.Today())->caseworker_id, "u-cw-1");
  h.RunAndSync(id, "AcceptTransfer", h.Body("AcceptTransfer"), Caseworker2());
  const auto c = h.runtime->GetCase(id, h.Today());
  EXPECT_FALSE(c->transfer_pending);
  EXPECT_EQ(c->caseworker_id, "u-cw-2");
}

TEST(CaseSummaryTest, ClosingAndReopening) {
  ProjectionHarness h;
  const std::string id = h.wf.NewCaseIn("training");
  h.RunAndSync(id, "ProposeClosure", h.Body("ProposeClosure", {{"outcome", "dropped_out"}}));
  h.RunAndSync(id, "ApproveClosure", h.Body("ApproveClosure"), Supervisor());
  auto c = h.runtime->GetCase(id, h.Today());
  EXPECT_EQ(c->state, "closed");
  EXPECT_EQ(c->outcome, "dropped_out");
  EXPECT_EQ(c->next_due_on, "");  // closing meets every deadline
  h.RunAndSync(id, "ReopenCase", h.Body("ReopenCase"), Supervisor());
  c = h.runtime->GetCase(id, h.Today());
  EXPECT_EQ(c->state, "active");
  EXPECT_EQ(c->outcome, "");
}

TEST(CaseSummaryTest, SearchFindsACaseByIdCodeOrUnhcrNumber) {
  ProjectionHarness h;
  const std::string a = h.wf.NewCase();  // RAB-T0001, MOR-24C00017
  ASSERT_OK(h.wf.Run(
      "case-C0001", "RegisterParticipant",
      h.Body("RegisterParticipant", {{"city", "Casablanca"}, {"unhcr_id", "MOR-25A-00991"}}),
      CasablancaCaseworker()));
  h.Sync();
  const auto today = h.Today();
  const auto found = [&](std::string text) {
    return Codes(h.runtime->QueryCases({.search = std::move(text)}, today));
  };
  const std::vector<std::string> rabat{"RAB-T0001"}, casa{"CAS-C0001"}, none{};
  EXPECT_EQ(found("RAB-T0001"), rabat);
  EXPECT_EQ(found("rab t0"), rabat);      // a prefix, any case, spaces for dashes
  EXPECT_EQ(found("mor25a00991"), casa);  // the UNHCR number without its dashes
  EXPECT_EQ(found("MOR-25A-0099"), casa);
  EXPECT_EQ(found("MOR"), (std::vector<std::string>{"RAB-T0001", "CAS-C0001"}));  // due first
  EXPECT_EQ(found(a), rabat);                         // a case id is matched whole…
  EXPECT_EQ(found(a.substr(0, a.size() - 1)), none);  // …not by its start
  EXPECT_EQ(found("T0001-X"), none);
  EXPECT_EQ(h.runtime->GetCase("case-C0001", today)->unhcr_id, "MOR-25A-00991");
  // The city filter still applies to what the search finds.
  EXPECT_EQ(Codes(h.runtime->QueryCases({.cities = {"Rabat"}, .search = "MOR-25"}, today)), none);
}

TEST(CaseSummaryTest, CasesAwaitingASupervisor) {
  ProjectionHarness h;
  const std::string plan = h.wf.NewCaseIn("microproject");  // RAB-T0001
  for (const char* step : {"RecordEntrepreneurshipTraining", "SubmitBusinessPlan"})
    h.RunAndSync(plan, step, h.Body(step));
  const std::string closing = h.wf.NewCaseIn("training");  // RAB-T0002
  h.RunAndSync(closing, "ProposeClosure", h.Body("ProposeClosure", {{"outcome", "dropped_out"}}));
  const std::string moving = h.wf.NewCase();  // RAB-T0003
  h.RunAndSync(moving, "RequestTransfer", h.Body("RequestTransfer"));
  h.wf.NewCase();  // RAB-T0004 waits for nobody
  const auto today = h.Today();
  const auto awaiting = [&](Awaiting what) {
    return Codes(h.runtime->QueryCases({.awaiting = what}, today));
  };
  EXPECT_EQ(awaiting(Awaiting::kPlanReview), std::vector<std::string>{"RAB-T0001"});
  EXPECT_EQ(awaiting(Awaiting::kClosureApproval), std::vector<std::string>{"RAB-T0002"});
  EXPECT_EQ(awaiting(Awaiting::kTransferAnswer), std::vector<std::string>{"RAB-T0003"});
  EXPECT_EQ(h.runtime->GetCase(closing, today)->proposed_outcome, "dropped_out");

  // Answered, they leave the lists.
  h.RunAndSync(plan, "ReviewBusinessPlan", h.Body("ReviewBusinessPlan"), Supervisor());
  h.RunAndSync(closing, "RejectClosure", h.Body("RejectClosure"), Supervisor());
  h.RunAndSync(moving, "DeclineTransfer", h.Body("DeclineTransfer"), Caseworker2());
  EXPECT_EQ(awaiting(Awaiting::kPlanReview), std::vector<std::string>{});
  EXPECT_EQ(awaiting(Awaiting::kClosureApproval), std::vector<std::string>{});
  EXPECT_EQ(awaiting(Awaiting::kTransferAnswer), std::vector<std::string>{});
  EXPECT_EQ(h.runtime->GetCase(closing, today)->proposed_outcome, "");
}

}  // namespace
}  // namespace piseruma::projections
