// api/projection_json.cc: the read models as JSON, and who may read what.
#include "api/projection_json.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_harness.h"

namespace piseruma::api {
namespace {

namespace json = boost::json;
using testing::ProjectionHarness;

User Person(const std::string& role, std::vector<std::string> cities = {}) {
  return {"u-" + role, role, role, cities};
}

class ProjectionJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 6; ++i) ids.push_back(h.wf.NewCaseIn("employment"));
    h.RunAndSync(ids[0], "SendAnapecReferral", h.Body("SendAnapecReferral"));
    ASSERT_OK(
        h.wf.Run("case-C0001", "RegisterParticipant",
                 h.Body("RegisterParticipant", {{"city", "Casablanca"}, {"unhcr_id", "MOR-9"}}),
                 testing::CasablancaCaseworker()));
    h.Sync();
    auto rt = std::move(h.runtime);
    models = std::make_unique<ProjectionReadModels>(std::move(rt), h.registry(),
                                                    engine::SystemClock::Default());
  }
  void TearDown() override { models.reset(); }

  ProjectionHarness h;
  std::vector<std::string> ids;
  std::unique_ptr<ProjectionReadModels> models;
};

TEST_F(ProjectionJsonTest, CasesForACaseworkerAreTheirCitys) {
  auto r = models->Cases({{"pathway", "employment"}, {"sort", "participant_code"}, {"limit", "2"}},
                         Person("caseworker", {"Rabat"}));
  ASSERT_OK(r);
  const json::object& o = r->as_object();
  EXPECT_EQ(o.at("total").as_uint64(), 6u);
  ASSERT_EQ(o.at("cases").as_array().size(), 2u);
  const json::object& first = o.at("cases").as_array()[0].as_object();
  EXPECT_EQ(first.at("participant_code").as_string(), "RAB-T0001");
  EXPECT_EQ(first.at("pathways").as_object().at("employment").as_string(), "referred");
  EXPECT_EQ(first.at("next_due").as_object().at("deadline").as_string(), "anapec_answer");
  EXPECT_FALSE(first.contains("full_name"));
  EXPECT_EQ(std::string(first.at("last_activity").as_string()).substr(0, 10), "2026-06-15");

  EXPECT_EQ(
      models->Cases({{"city", "Casablanca"}}, Person("caseworker", {"Rabat"})).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(models->Cases({}, Person("admin"))->as_object().at("total").as_uint64(), 7u);
  EXPECT_EQ(models->Cases({{"sort", "name"}}, Person("admin")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(models->Cases({{"limit", "-1"}}, Person("admin")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(models->Cases({{"overdue", "maybe"}}, Person("admin")).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ProjectionJsonTest, SearchAndApprovalFilters) {
  const User casa = Person("caseworker", {"Casablanca"});
  auto r = models->Cases({{"q", "mor-9"}}, casa);
  ASSERT_OK(r);
  ASSERT_EQ(r->as_object().at("total").as_uint64(), 1u);
  const json::object& row = r->as_object().at("cases").as_array()[0].as_object();
  EXPECT_EQ(row.at("unhcr_id").as_string(), "MOR-9");
  EXPECT_TRUE(row.at("proposed_outcome").is_null());
  // Rabat's cases share one number in the fixtures; a Casablanca caseworker never sees them.
  EXPECT_EQ(models->Cases({{"q", "MOR-24C"}}, casa)->as_object().at("total").as_uint64(), 0u);
  EXPECT_EQ(models->Cases({{"awaiting", "closure_approval"}}, Person("admin"))
                ->as_object()
                .at("total")
                .as_uint64(),
            0u);
  auto bad = models->Cases({{"awaiting", "lunch"}}, Person("admin"));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("closure_approval"), std::string::npos);
  EXPECT_EQ(models->Cases({{"q", std::string(65, 'M')}}, casa).status().code(),
            StatusCode::kInvalidArgument);
  std::string accented;
  for (int i = 0; i < 64; ++i) accented += "é";  // 64 characters, 128 bytes
  EXPECT_OK(models->Cases({{"q", accented}}, casa));
}

TEST_F(ProjectionJsonTest, TheCommitteeSeesAggregatesOnlyAndSuppressed) {
  const User committee = Person("committee");
  EXPECT_EQ(models->Cases({}, committee).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(models->Caseloads({}, committee).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(models->Dashboard({{"suppress", "false"}}, committee).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(models->Dashboard({{"threshold", "2"}}, committee).status().code(),
            StatusCode::kPermissionDenied);
  auto d = models->Dashboard({}, committee);
  ASSERT_OK(d);
  const json::object& o = d->as_object();
  EXPECT_TRUE(o.at("suppressed").as_bool());
  const json::object& by_sex = o.at("tables").as_object().at("funnel.employment.sex").as_object();
  EXPECT_EQ(by_sex.at("rows").as_array()[0].as_string(), "open");
  EXPECT_EQ(by_sex.at("cells").as_array()[1].as_array()[0].as_string(),
            "<5");  // referred, female: 1
  EXPECT_EQ(by_sex.at("total").as_int64(), 6);
  for (const auto& row : by_sex.at("cells").as_array()) {
    for (const auto& cell : row.as_array()) {
      if (cell.is_string()) {
        EXPECT_EQ(cell.as_string(), "<5");
      } else {
        EXPECT_TRUE(cell.as_int64() == 0 || cell.as_int64() >= 5) << cell;
      }
    }
  }
  const std::string text = json::serialize(o);
  EXPECT_EQ(text.find("RAB-"), std::string::npos);
  EXPECT_EQ(text.find("case-"), std::string::npos);

  auto supervisor = models->Dashboard({}, Person("supervisor", {"Rabat"}));
  ASSERT_OK(supervisor);
  EXPECT_FALSE(supervisor->as_object().at("suppressed").as_bool());
  EXPECT_EQ(supervisor->as_object()
                .at("tables")
                .as_object()
                .at("funnel.employment.sex")
                .as_object()
                .at("cells")
                .as_array()[1]
                .as_array()[0]
                .as_int64(),
            1);
}

TEST_F(ProjectionJsonTest, CaseloadsAndCooperatives) {
  auto c = models->Caseloads({{"group_by", "city"}}, Person("admin"));
  ASSERT_OK(c);
  const json::array& rows = c->as_object().at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].as_object().at("key").as_string(), "Rabat");
  EXPECT_EQ(rows[1].as_object().at("awaiting_anapec").as_uint64(), 1u);
  EXPECT_EQ(models->Caseloads({{"group_by", "team"}}, Person("admin")).status().code(),
            StatusCode::kInvalidArgument);

  std::vector<std::string> members;
  for (int i = 0; i < 5; ++i) members.push_back(h.wf.NewCaseIn("cooperative_membership"));
  const std::string coop = h.FoundCooperative(members);
  ASSERT_TRUE(models->WaitForPosition(h.wf.log().HeadPosition(), std::chrono::seconds(30)));
  EXPECT_EQ(models->Position(), h.wf.log().HeadPosition() + 1);
  EXPECT_EQ(models->Lag().at("behind").as_uint64(), 0u);
  auto staff = models->Cooperatives({}, Person("supervisor", {"Rabat"}));
  ASSERT_OK(staff);
  const json::object& record = staff->as_object().at("cooperatives").as_array()[0].as_object();
  EXPECT_EQ(record.at("cooperative_id").as_string(), coop);
  EXPECT_EQ(record.at("members").as_array().size(), 5u);
  auto committee = models->Cooperatives({}, Person("committee"));
  ASSERT_OK(committee);
  const json::object& seen = committee->as_object().at("cooperatives").as_array()[0].as_object();
  EXPECT_FALSE(seen.contains("members"));
  EXPECT_EQ(seen.at("member_count").as_int64(), 5);
}

TEST(LagJsonTest, SaysHowFarBehind) {
  projections::LagReport lag;
  lag.head = 10;
  lag.applied = 7;
  lag.behind = 3;
  lag.seconds_behind = 1.5;
  lag.projections.push_back({"dashboard", 1, 5, 7, 3});
  const json::object o = LagToJson(lag);
  EXPECT_EQ(
      json::serialize(o),
      R"({"head":10,"applied":7,"behind":3,"seconds_behind":1.5E0,"running":false,"projections":[{"name":"dashboard","version":1,"checkpoint":5,"applied":7,"behind":3}]})");
}

}  // namespace
}  // namespace piseruma::api
