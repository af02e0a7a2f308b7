// TAHFIZ eligibility at the edges of each condition.
#include "workflows/tahfiz.h"

#include <gtest/gtest.h>

namespace piseruma::workflows {
namespace {

ProgrammeParameters Params() {
  ProgrammeParameters p;
  p.set_tahfiz_window_start("2015-01-01");
  p.set_tahfiz_window_end("2022-12-31");
  p.set_tahfiz_hire_within_months(24);
  p.set_tahfiz_max_hires_per_employer(10);
  p.set_tahfiz_wage_cap_mad(10000);
  return p;
}

RecordPlacement Placement(const std::string& created, const std::string& start, const std::string& contract = "CDI",
                          uint32_t prior = 0, double wage = 4000) {
  RecordPlacement p;
  p.set_employer_created_on(created);
  p.set_start_date(start);
  p.set_contract_type(contract);
  p.set_employer_prior_tahfiz_hires(prior);
  p.set_monthly_wage_mad(wage);
  return p;
}

// "employer_created_in_window=1 permanent_contract=1 …" for readable failures.
std::string Conditions(const TahfizAssessment& a) {
  std::string out;
  for (const auto& c : a.conditions()) out += (out.empty() ? "" : " ") + c.name() + "=" + (c.passed() ? "1" : "0");
  return out;
}

TEST(TahfizTest, EligibleWhenAllConditionsHold) {
  TahfizAssessment a = AssessTahfiz(Placement("2020-05-01", "2021-02-01", "CDI", 3, 12500), Params());
  EXPECT_TRUE(a.eligible()) << Conditions(a);
  EXPECT_EQ(a.exempt_monthly_wage_mad(), 10000);
  EXPECT_EQ(a.benefit_ends_on(), "2023-02-01");
}

TEST(TahfizTest, WindowEdgesAreInclusive) {
  EXPECT_TRUE(AssessTahfiz(Placement("2015-01-01", "2015-02-01"), Params()).eligible());
  EXPECT_TRUE(AssessTahfiz(Placement("2022-12-31", "2023-01-02"), Params()).eligible());
  EXPECT_EQ(Conditions(AssessTahfiz(Placement("2014-12-31", "2015-02-01"), Params())),
            "employer_created_in_window=0 permanent_contract=1 hired_within_window=1 employer_quota=1");
  EXPECT_FALSE(AssessTahfiz(Placement("2023-01-01", "2023-02-01"), Params()).eligible());
}

TEST(TahfizTest, HireWithinTwentyFourMonthsOfCreation) {
  EXPECT_TRUE(AssessTahfiz(Placement("2020-02-29", "2022-02-28"), Params()).eligible()) << "clamped month end";
  EXPECT_FALSE(AssessTahfiz(Placement("2020-02-29", "2022-03-01"), Params()).eligible());
  EXPECT_TRUE(AssessTahfiz(Placement("2020-06-15", "2022-06-15"), Params()).eligible());
  EXPECT_FALSE(AssessTahfiz(Placement("2020-06-15", "2022-06-16"), Params()).eligible());
}

TEST(TahfizTest, ContractAndQuota) {
  EXPECT_EQ(Conditions(AssessTahfiz(Placement("2020-01-01", "2020-06-01", "CDD"), Params())),
            "employer_created_in_window=1 permanent_contract=0 hired_within_window=1 employer_quota=1");
  EXPECT_TRUE(AssessTahfiz(Placement("2020-01-01", "2020-06-01", "CDI", 9), Params()).eligible());
  TahfizAssessment full = AssessTahfiz(Placement("2020-01-01", "2020-06-01", "CDI", 10), Params());
  EXPECT_FALSE(full.eligible());
  EXPECT_EQ(full.conditions(3).explanation_fr(), "10 embauche(s) TAHFIZ déjà faite(s) ; plafond 10");
  EXPECT_EQ(full.exempt_monthly_wage_mad(), 0);
}

TEST(TahfizTest, ExtendedWindowIsAParameter) {
  ProgrammeParameters p = Params();
  p.set_tahfiz_window_end("2026-12-31");
  EXPECT_TRUE(AssessTahfiz(Placement("2025-03-01", "2025-09-01"), p).eligible());
}

}  // namespace
}  // namespace piseruma::workflows
