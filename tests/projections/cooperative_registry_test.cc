#include "projections/cooperative_registry.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_harness.h"

namespace piseruma::projections {
namespace {

using testing::ProjectionHarness;

std::string Milestones(const CooperativeRecord& c) {
  std::string out;
  for (const auto& m : c.milestones()) out += (out.empty() ? "" : " ") + m.state() + "@" + m.on();
  return out;
}

TEST(CooperativeRegistryTest, MembersByCodeMilestonesAndRegisterNumbers) {
  ProjectionHarness h;
  std::vector<std::string> members;
  for (int i = 0; i < 5; ++i) members.push_back(h.wf.NewCaseIn("cooperative_membership"));
  const std::string coop = h.FoundCooperative(members);
  h.RunAndSync(coop, "RecordOdcoAccompaniment", h.Body("RecordOdcoAccompaniment"));
  const std::string founded = h.wf.Today();
  h.wf.AdvanceDays(3);
  for (const char* step : {"RecordNameApproval", "SignStatutes", "HoldConstitutiveAssembly",
                           "RecordCapitalPaid", "RegisterCooperative"}) {
    h.RunAndSync(coop, step, h.Body(step));
  }
  auto c = h.runtime->GetCooperative(coop);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name(), "Coop Synthétique");  // the approved name
  EXPECT_EQ(c->city(), "Rabat");
  EXPECT_EQ(c->state(), "registered");
  EXPECT_EQ(c->founded_on(), founded);
  EXPECT_EQ(
      std::vector<std::string>(c->member_codes().begin(), c->member_codes().end()),
      (std::vector<std::string>{"RAB-T0001", "RAB-T0002", "RAB-T0003", "RAB-T0004", "RAB-T0005"}));
  EXPECT_EQ(c->local_register_number(), "RL-1");
  EXPECT_EQ(c->odco_register_number(), "ODCO-1");
  EXPECT_EQ(c->capital_mad(), 5000);
  EXPECT_EQ(c->accompaniment_sessions(), 1u);
  const std::string later = h.wf.Today();
  EXPECT_EQ(Milestones(*c), "forming@" + founded + " name_approved@" + later + " statutes_signed@" +
                                later + " constituted@" + later + " capital_paid@" + later +
                                " registered@" + later);

  EXPECT_EQ(h.runtime->QueryCooperatives({.cities = {"Rabat"}}).size(), 1u);
  EXPECT_EQ(h.runtime->QueryCooperatives({.cities = {"Oujda"}}).size(), 0u);
  EXPECT_EQ(h.runtime->QueryCooperatives({.state = "forming"}).size(), 0u);
}

}  // namespace
}  // namespace piseruma::projections
