// The fixture of the auditor-tool tests: the real server on an ephemeral port over a real
// data directory with a manual clock, one user per role, and a long ordinary case.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "api/app.h"
#include "api/http/server.h"
#include "api/server_stack.h"
#include "tests/api/http_client.h"
#include "tests/api/live_server.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::api {

using testing::HttpResult;
using testing::TestClient;

constexpr int64_t kStart = 1'781'085'600'000'000;  // 2026-06-10T10:00:00Z

inline uint64_t U(const boost::json::value& v) { return v.to_number<uint64_t>(); }
inline std::string S(const boost::json::value& v) { return std::string(v.as_string()); }

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void TearDown() override { StopAll(); }

  void Start() {
    live_.Start({.data_dir = dir_.path(),
                 .clock = &clock_,
                 .deadline_period = std::chrono::milliseconds(0)},
                ServerConfig{}, [this] { CreateUsers(); });
  }

  void StopAll() { live_.Stop(); }

  void CreateUsers() {
    engine::Actor by;
    by.set_user_id("test");
    by.set_role("admin");
    using U3 = std::tuple<const char*, const char*, const char*>;
    for (auto [id, role, city] :
         {U3{"u-cw", "caseworker", "Rabat"}, U3{"u-cw-casa", "caseworker", "Casablanca"},
          U3{"u-sup", "supervisor", "Rabat"}, U3{"u-audit", "auditor", ""},
          U3{"u-committee", "committee", ""}, U3{"u-admin", "admin", ""}}) {
      std::vector<std::string> cities;
      if (*city) cities.emplace_back(city);
      auto c = live_.stack->users().Add(by, id, id, role, cities);
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      tokens_[id] = c->token;
    }
  }

  TestClient As(const std::string& user) { return TestClient(live_.server->port(), tokens_[user]); }

  std::string Register() {
    HttpResult r = As("u-cw").Post("/v1/cases", {{"data",
                                                  {{"unhcr_id", "MOR-24C00017"},
                                                   {"full_name", "Amina Synthétique"},
                                                   {"sex", "female"},
                                                   {"date_of_birth", "1990-04-02"},
                                                   {"nationality", "Syria"},
                                                   {"city", "Rabat"},
                                                   {"phone", "+212600000017"},
                                                   {"registered_on", "2026-06-01"}}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return S(r.json().at("id"));
  }

  HttpResult Command(const std::string& user, const std::string& id, const std::string& command,
                     boost::json::object data) {
    clock_.Advance(std::chrono::minutes(7));
    return As(user).Post("/v1/cases/" + id + "/commands",
                         {{"command", command}, {"data", std::move(data)}});
  }

  // The commands of a long, ordinary case: consents, an assessment, a pathway, notes.
  std::vector<std::pair<std::string, boost::json::object>> LongCase(int notes) {
    std::vector<std::pair<std::string, boost::json::object>> out = {
        {"RecordConsent",
         {{"purpose", "data_processing"}, {"recipient", "AMAPPE"}, {"given_on", "2026-06-02"}}},
        {"RecordAssessment",
         {{"kind", "baseline"},
          {"assessed_on", "2026-06-03"},
          {"housing", 3},
          {"food", 2},
          {"education", 4},
          {"health_care", 3},
          {"health_status", 3},
          {"safety", 4},
          {"employment", 1},
          {"financial_resources", 2},
          {"assistance", 2},
          {"debt", 3},
          {"savings", 1},
          {"social_capital", 3}}},
        {"OrientToPathway",
         {{"pathway", "employment"},
          {"oriented_on", "2026-06-04"},
          {"rationale", "worked as a baker"}}},
        {"RecordConsent",
         {{"purpose", "employment_referral"}, {"recipient", "ANAPEC"}, {"given_on", "2026-06-05"}}},
    };
    for (int i = 0; i < notes; ++i)
      out.push_back({"AddNote", {{"text", "call " + std::to_string(i)}}});
    return out;
  }

  // The case as GET shows it, without what is not replayed (personal data, membership).
  boost::json::object LiveState(const std::string& id) {
    HttpResult r = As("u-cw").Send("GET", "/v1/cases/" + id + "?personal=false");
    EXPECT_EQ(r.status, 200) << r.body;
    boost::json::object o = r.json().as_object();
    o.erase("personal");
    return o;
  }

  testing::TempDir dir_;
  engine::ManualClock clock_{kStart};
  testing::LiveServer live_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace piseruma::api
