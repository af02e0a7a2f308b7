// Bad input and illegal commands: each refused with a precise error, nothing appended.
#include "workflows/decider.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/workflows/command_fixtures.h"
#include "tests/workflows/harness.h"

namespace piseruma::workflows {
namespace {

using testing::WorkflowHarness;
using Command = std::function<Result<CommandOutcome>()>;

class DeciderTest : public ::testing::Test {
 protected:
  // Runs `command`, expects it refused with `code` (and the first violation's rule and
  // field, when given), and checks it appended nothing. Returns the result for more checks.
  Result<CommandOutcome> ExpectRefused(const Command& command, StatusCode code, const std::string& rule = "",
                                       const std::string& field = "") {
    const uint64_t head = h.log().HeadPosition();
    Result<CommandOutcome> r = command();
    EXPECT_FALSE(r.ok());
    if (r.ok()) return r;
    const Status status = r.status();  // status() returns a copy: keep it alive
    const auto& v = status.violations();
    EXPECT_EQ(status.code(), code) << status.ToString();
    if (!rule.empty()) {
      EXPECT_EQ(v.empty() ? "" : v[0].rule, rule) << status.ToString();
    }
    if (!field.empty()) {
      EXPECT_EQ(v.empty() ? "" : v[0].field, field) << status.ToString();
    }
    EXPECT_EQ(h.log().HeadPosition(), head);
    return r;
  }
  WorkflowHarness h;
};

TEST_F(DeciderTest, UnknownCommandAndUnknownFields) {
  const std::string id = h.NewCase();
  ExpectRefused([&] { return h.Run(id, "FlyToTheMoon", "{}"); }, StatusCode::kInvalidArgument);
  auto unknown = ExpectRefused([&] { return h.Run(id, "AddNote", R"({"text":"x","colour":"blue"})"); },
                               StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("colour"), std::string::npos);
  ExpectRefused([&] { return h.Run(id, "AddNote", R"({"text":12})"); }, StatusCode::kInvalidArgument);
  ExpectRefused([&] { return h.Run(id, "AddNote", "not json"); }, StatusCode::kInvalidArgument);
  ExpectRefused([&] { return h.Run(h.NextCaseId(), "RegisterParticipant", R"({"age_group":"18-24","city":"Rabat"})"); },
                StatusCode::kInvalidArgument);  // output fields are computed, never sent
}

TEST_F(DeciderTest, WrongStateIsAnIllegalTransition) {
  const std::string id = h.NewCase();
  auto r = ExpectRefused([&] { return h.RunValid(id, "RegisterParticipant"); }, StatusCode::kFailedPrecondition,
                         "illegal_transition");
  EXPECT_NE(r.status().message().find("Évaluation initiale faite"), std::string::npos) << "French first";
  ExpectRefused([&] { return h.RunValid(id, "SendAnapecReferral"); }, StatusCode::kFailedPrecondition);  // not oriented
  ExpectRefused([&] { return h.RunValid("case-nope", "AddNote"); }, StatusCode::kNotFound);
}

TEST_F(DeciderTest, EveryBrokenFieldRuleIsReportedAtOnce) {
  const std::string id = h.NextCaseId();
  auto r = h.Run(id, "RegisterParticipant",
                 R"({"unhcr_id":"MOR-1","sex":"robot","date_of_birth":"2031-02-30","city":"Rabat",
                     "household_size":40,"registered_on":"2099-01-01"})");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  std::vector<std::string> got;
  for (const auto& v : r.status().violations()) got.push_back(v.field + ":" + v.rule);
  EXPECT_EQ(got, (std::vector<std::string>{"full_name:required", "sex:one_of", "date_of_birth:date",
                                           "nationality:required", "household_size:max",
                                           "registered_on:not_in_future"}));
  EXPECT_EQ(h.log().HeadPosition(), 0u);
}

TEST_F(DeciderTest, CityOutsideTheTenAndNegativeAmounts) {
  const std::string paris = testing::ValidJson("RegisterParticipant", "city=Paris", h.Today());
  // Not a city of the caseworker's either; admins do not register participants at all.
  ExpectRefused([&] { return h.Run(h.NextCaseId(), "RegisterParticipant", paris); }, StatusCode::kPermissionDenied);
  ExpectRefused([&] { return h.Run(h.NextCaseId(), "RegisterParticipant", paris, testing::Admin()); },
                StatusCode::kPermissionDenied);
  const std::string id = h.NewCaseIn("employment");
  ExpectRefused([&] { return h.Run(id, "SendAnapecReferral", R"({"sent_on":")" + h.Today() + R"(","agency":"Paris"})"); },
                StatusCode::kFailedPrecondition, "city", "agency");
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));
  ASSERT_OK(h.RunValid(id, "ConfirmAnapecRegistration"));
  ExpectRefused(
      [&] {
        return h.Run(id, "RecordPlacement",
                     R"({"employer_name":"E","employer_created_on":"2020-01-01","sector":"s","contract_type":"CDI",
                         "start_date":"2021-01-01","monthly_wage_mad":-200})");
      },
      StatusCode::kFailedPrecondition, "min", "monthly_wage_mad");
}

TEST_F(DeciderTest, ReferralWithoutConsentIsRefused) {
  const std::string id = h.NextCaseId();
  ASSERT_OK(h.RunValid(id, "RegisterParticipant"));
  ASSERT_OK(h.RunValid(id, "RecordConsent"));  // data processing only
  ASSERT_OK(h.RunValid(id, "RecordAssessment"));
  ASSERT_OK(h.RunValid(id, "OrientToPathway"));
  auto r = ExpectRefused([&] { return h.RunValid(id, "SendAnapecReferral"); }, StatusCode::kFailedPrecondition,
                         "consent_missing", "consent");
  EXPECT_NE(r.status().violations()[0].message.find("ANAPEC"), std::string::npos);
  ASSERT_OK(h.Run(id, "RecordConsent",
                  R"({"purpose":"employment_referral","recipient":"ANAPEC","given_on":")" + h.Today() + "\"}"));
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));
  // A withdrawn consent blocks the next referral.
  ASSERT_OK(h.Run(id, "WithdrawConsent",
                  R"({"purpose":"employment_referral","recipient":"ANAPEC","withdrawn_on":")" + h.Today() + "\"}"));
  ASSERT_OK(h.RunValid(id, "RecordAnapecRefusal"));
  ExpectRefused([&] { return h.RunValid(id, "SendAnapecReferral"); }, StatusCode::kFailedPrecondition,
                "consent_missing");
}

TEST_F(DeciderTest, ClosureWithoutOutcomeOrEndline) {
  const std::string id = h.NewCase();
  ExpectRefused([&] { return h.Run(id, "ProposeClosure", R"({"closed_on":")" + h.Today() + "\"}"); },
                StatusCode::kFailedPrecondition, "required", "outcome");
  ExpectRefused([&] { return h.RunValid(id, "ProposeClosure", "outcome=self_reliant"); },
                StatusCode::kFailedPrecondition, "endline_missing");
  ASSERT_OK(h.RunValid(id, "RecordAssessment", "kind=endline"));
  ASSERT_OK(h.RunValid(id, "ProposeClosure", "outcome=self_reliant"));
}

TEST_F(DeciderTest, RolesAndCities) {
  const std::string id = h.NewCase();
  ExpectRefused([&] { return h.RunValid(id, "AddNote", "", testing::Auditor()); }, StatusCode::kPermissionDenied);
  ExpectRefused([&] { return h.RunValid(id, "AddNote", "", testing::CasablancaCaseworker()); },
                StatusCode::kPermissionDenied);
  ExpectRefused([&] { return h.RunValid(id, "ReviewBusinessPlan"); }, StatusCode::kPermissionDenied);  // supervisors
  ExpectRefused([&] { return h.Run(id, "MarkDeadlineOverdue", R"({"deadline":"sri_month_6","due_on":"2026-12-14"})"); },
                StatusCode::kPermissionDenied);
  ExpectRefused([&] { return h.RunValid(id, "JoinCooperative"); }, StatusCode::kPermissionDenied);  // system only
}

TEST_F(DeciderTest, DatesOutOfOrderAndMinors) {
  const std::string minor = testing::ValidJson("RegisterParticipant", "date_of_birth=2010-01-01", h.Today());
  ExpectRefused([&] { return h.Run(h.NextCaseId(), "RegisterParticipant", minor); }, StatusCode::kFailedPrecondition,
                "adult");
  const std::string id = h.NewCaseIn("training");
  ExpectRefused(
      [&] {
        return h.Run(id, "EnrollInTraining",
                     R"({"provider":"OFPPT","course":"c","start_date":"2026-09-01","end_date":"2026-08-01"})");
      },
      StatusCode::kFailedPrecondition, "date_order", "end_date");
}

}  // namespace
}  // namespace piseruma::workflows
