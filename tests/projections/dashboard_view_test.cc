#include "projections/dashboard_view.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_harness.h"

namespace piseruma::projections {
namespace {

using testing::ProjectionHarness;
using testing::Supervisor;

// Every count of people a view shows, with where it is: "table[row][col]". (Amounts in MAD
// and counts of cooperatives are not counts of people.)
std::vector<std::pair<std::string, CountCell>> Shown(const DashboardView& v) {
  std::vector<std::pair<std::string, CountCell>> out;
  for (const auto& t : v.tables) {
    if (t.unit == "MAD" || t.id == "cooperatives.now" || t.id == "entered.cooperative") continue;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      for (size_t j = 0; j < t.cols.size(); ++j)
        out.emplace_back(t.id + "[" + t.rows[i] + "][" + t.cols[j] + "]", t.cells[i][j]);
      out.emplace_back(t.id + "[" + t.rows[i] + "][total]", t.row_totals[i]);
    }
    for (size_t j = 0; j < t.cols.size(); ++j)
      out.emplace_back(t.id + "[total][" + t.cols[j] + "]", t.col_totals[j]);
    out.emplace_back(t.id + "[total]", t.total);
  }
  return out;
}

class DashboardViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Six participants: five in employment (two placed), one self-reliant closure, a drop-out.
    for (int i = 0; i < 5; ++i) ids.push_back(h.wf.NewCaseIn("employment"));
    for (int i = 0; i < 2; ++i) {
      h.RunAndSync(ids[i], "SendAnapecReferral", h.Body("SendAnapecReferral"));
      h.RunAndSync(ids[i], "ConfirmAnapecRegistration", h.Body("ConfirmAnapecRegistration"));
      h.RunAndSync(ids[i], "RecordPlacement", h.Body("RecordPlacement"));
    }
    h.wf.AdvanceDays(40);  // into the next month but one
    h.RunAndSync(ids[0], "RecordAssessment", h.Body("RecordAssessment", {{"kind", "endline"}}));
    h.RunAndSync(ids[0], "ProposeClosure", h.Body("ProposeClosure", {{"outcome", "self_reliant"}}));
    h.RunAndSync(ids[0], "ApproveClosure", h.Body("ApproveClosure"), Supervisor());
    const std::string trainee = h.wf.NewCaseIn("training");
    h.RunAndSync(trainee, "EnrollInTraining", h.Body("EnrollInTraining"));
    h.RunAndSync(trainee, "RecordTrainingDropout", h.Body("RecordTrainingDropout"));
  }

  ProjectionHarness h;
  std::vector<std::string> ids;
};

TEST_F(DashboardViewTest, TablesInAStableOrderWithTrueTotals) {
  const DashboardView v = h.runtime->QueryDashboard({.suppress = false});
  EXPECT_FALSE(v.suppressed);
  EXPECT_EQ(v.position, h.wf.log().HeadPosition());
  EXPECT_EQ(v.months, (std::vector<std::string>{"2026-06", "2026-07"}));
  const TableView* funnel = v.Find("funnel.employment.sex");
  ASSERT_NE(funnel, nullptr);
  EXPECT_EQ(funnel->rows, (std::vector<std::string>{"open", "referred", "refused", "registered",
                                                    "job_search", "placed", "completed"}));
  EXPECT_EQ(funnel->cols, (std::vector<std::string>{"female", "male", "not_stated"}));
  EXPECT_EQ(funnel->cells[0][0].value, 3);  // open, female
  EXPECT_EQ(funnel->cells[5][0].value, 2);  // placed, female
  EXPECT_EQ(funnel->total.value, 5);
  const TableView* city = v.Find("funnel.employment.city");
  ASSERT_NE(city, nullptr);
  EXPECT_EQ(city->cols.size(), 10u);  // the ten cities, always
  EXPECT_EQ(v.Find("placements.month")->rows[1], "not_tahfiz_eligible");
  EXPECT_EQ(v.Find("placements.month")->row_totals[1].value,
            2);  // the fixture's employer is too old for TAHFIZ
  EXPECT_EQ(v.Find("outcomes.month")->rows.front(), "self_reliant");
  EXPECT_EQ(v.target.self_reliant.value, 1);
  EXPECT_EQ(v.target.target, 240u);
  EXPECT_EQ(v.target.start, "2024-11-01");
  EXPECT_EQ(v.target.end, "2026-11-01");
  ASSERT_FALSE(v.target.cumulative.empty());
  EXPECT_EQ(v.target.cumulative.back(),
            (std::pair<std::string, CountCell>{"2026-07", CountCell{1, false}}));
  EXPECT_EQ(v.anapec_turnaround.answers, 2u);
  EXPECT_EQ(v.anapec_turnaround.median_days, 0);
  EXPECT_EQ(v.sri.size(), 12u);
  EXPECT_EQ(v.sri[0].domain, "housing");
  EXPECT_EQ(v.sri[0].cases, 1u);
  EXPECT_EQ(v.Find("training_dropouts.month")->row_totals[1].value,
            1);  // "health", the fixture's reason
}

TEST_F(DashboardViewTest, TheCommitteeSeesNoSmallCountAndNoOneInParticular) {
  const DashboardView v = h.runtime->QueryDashboard({.suppress = true, .threshold = 5});
  EXPECT_TRUE(v.suppressed);
  size_t hidden = 0;
  for (const auto& [where, cell] : Shown(v)) {
    if (cell.suppressed) {
      EXPECT_EQ(cell.value, 0) << where << ": a hidden count keeps no value";
      ++hidden;
    } else {
      EXPECT_TRUE(cell.value == 0 || cell.value >= 5) << where << " shows " << cell.value;
    }
  }
  EXPECT_GT(hidden, 0u);
  EXPECT_EQ(v.Find("funnel.employment.sex")->total.value, 5);  // a count of 5 is shown
  EXPECT_TRUE(v.target.self_reliant.suppressed);
  EXPECT_TRUE(v.target.cumulative.empty());
  EXPECT_TRUE(v.anapec_turnaround.suppressed);
  EXPECT_FALSE(v.anapec_turnaround.median_days.has_value());
  EXPECT_TRUE(v.sri[0].suppressed);
  EXPECT_FALSE(v.sri[0].baseline_mean.has_value());
  // Amounts are hidden where their counts are.
  const TableView* count = v.Find("financing.count");
  const TableView* amount = v.Find("financing.mad");
  ASSERT_NE(count, nullptr);
  ASSERT_NE(amount, nullptr);
  for (size_t i = 0; i < count->rows.size(); ++i) {
    for (size_t j = 0; j < count->cols.size(); ++j)
      EXPECT_EQ(count->cells[i][j].suppressed, amount->cells[i][j].suppressed);
  }
  // Nothing in it names a case or a participant.
  for (const auto& t : v.tables) {
    for (const auto& label : t.rows) EXPECT_EQ(label.find("case-"), std::string::npos) << t.id;
    for (const auto& label : t.cols) EXPECT_EQ(label.find("RAB-"), std::string::npos) << t.id;
  }
}

TEST_F(DashboardViewTest, TablesSplittingTheSameCountsHideTheSameTotals) {
  const DashboardView v = h.runtime->QueryDashboard({.suppress = true, .threshold = 5});
  const TableView* by_sex = v.Find("funnel.employment.sex");
  for (const auto dim : kDimensions) {
    const TableView* t = v.Find("funnel.employment." + std::string(dim));
    ASSERT_NE(t, nullptr);
    for (size_t i = 0; i < t->rows.size(); ++i) {
      EXPECT_EQ(t->row_totals[i].suppressed, by_sex->row_totals[i].suppressed)
          << t->id << " row " << t->rows[i];
    }
  }
}

TEST(PercentileTest, NearestRank) {
  const std::vector<std::pair<int64_t, int64_t>> h = {
      {3, 1}, {10, 3}, {20, 5}, {40, 1}};  // 10 answers
  EXPECT_EQ(Percentile(h, 50), 20);        // 5th of 10
  EXPECT_EQ(Percentile(h, 40), 10);        // 4th
  EXPECT_EQ(Percentile(h, 90), 20);        // 9th
  EXPECT_EQ(Percentile(h, 100), 40);
  EXPECT_EQ(Percentile({}, 50), std::nullopt);
}

}  // namespace
}  // namespace piseruma::projections
