// The real server on an ephemeral port over a real RocksDB directory, driven by a real
// HTTP client: every status code the API promises, idempotent retries, conflicts, role
// and city scoping, access records, SSE resume, bad input, graceful shutdown, restarts.
#include "api/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "api/app.h"
#include "api/server_stack.h"
#include "tests/api/http_client.h"
#include "tests/api/live_server.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::api {
namespace {

using testing::HttpResult;
using testing::TestClient;

constexpr int64_t kToday = 1'781'517'600'000'000;  // 2026-06-15T10:00:00Z

uint64_t U(const boost::json::value& v) { return v.to_number<uint64_t>(); }

boost::json::object Registration(const std::string& city = "Rabat") {
  return {{"data",
           {{"unhcr_id", "MOR-24C00017"},
            {"full_name", "Amina Synthétique"},
            {"sex", "female"},
            {"date_of_birth", "1990-04-02"},
            {"nationality", "Syria"},
            {"city", city},
            {"phone", "+212600000017"},
            {"registered_on", "2026-06-01"}}}};
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void TearDown() override { StopAll(); }

  void Start(ServerConfig config = {}) {
    live_.Start({.data_dir = dir_.path(),
                 .clock = &clock_,
                 .deadline_period = std::chrono::milliseconds(0)},
                config, [this] { CreateUsers(); });
  }

  void StopAll() { live_.Stop(); }

  void CreateUsers() {
    engine::Actor by;
    by.set_user_id("test");
    by.set_role("admin");
    auto add = [&](const std::string& id, const std::string& role,
                   std::vector<std::string> cities) {
      auto c = live_.stack->users().Add(by, id, id, role, cities);
      EXPECT_TRUE(c.ok()) << c.status().ToString();
      tokens_[id] = c->token;
    };
    add("u-cw", "caseworker", {"Rabat"});
    add("u-cw-casa", "caseworker", {"Casablanca"});
    add("u-sup", "supervisor", {"Rabat"});
    add("u-audit", "auditor", {});
    add("u-committee", "committee", {});
    add("u-admin", "admin", {});
  }

  TestClient As(const std::string& user) { return TestClient(live_.server->port(), tokens_[user]); }

  std::string Register(const std::string& key = "") {
    std::map<std::string, std::string> h;
    if (!key.empty()) h["Idempotency-Key"] = key;
    HttpResult r = As("u-cw").Post("/v1/cases", Registration(), h);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }

  HttpResult Command(const std::string& user, const std::string& id, const std::string& command,
                     boost::json::object data,
                     const std::map<std::string, std::string>& headers = {}) {
    return As(user).Post("/v1/cases/" + id + "/commands",
                         {{"command", command}, {"data", std::move(data)}}, headers);
  }

  testing::TempDir dir_;
  engine::ManualClock clock_{kToday};
  testing::LiveServer live_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(ServerTest, RegistersAndRunsCommandsWithVersionsAndPositions) {
  HttpResult r = As("u-cw").Post("/v1/cases", Registration());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id(r.json().at("id").as_string());
  EXPECT_EQ(U(r.json().at("version")), 1u);
  EXPECT_EQ(r.headers["ETag"], "\"1\"");
  HttpResult c = Command(
      "u-cw", id, "RecordConsent",
      {{"purpose", "data_processing"}, {"recipient", "AMAPPE"}, {"given_on", "2026-06-02"}});
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(U(c.json().at("version")), 2u);
  EXPECT_EQ(c.json().at("events").at(0).at("type").as_string(), "ConsentRecorded");
  EXPECT_GT(U(c.json().at("position")), U(r.json().at("position")));
}

TEST_F(ServerTest, ErrorsAreProblemsWithTheRightStatus) {
  const std::string id = Register();
  // 422: every failed rule listed.
  HttpResult bad =
      Command("u-cw", id, "RecordConsent", {{"purpose", "astrology"}, {"given_on", "2031-01-01"}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.headers["Content-Type"], "application/problem+json");
  EXPECT_EQ(bad.json().at("violations").as_array().size(), 3u);  // purpose, recipient, given_on
  // 409: a stale If-Match, with the current version.
  HttpResult stale = Command("u-cw", id, "AddNote", {{"text", "x"}}, {{"If-Match", "\"7\""}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(U(stale.json().at("current_version")), 1u);
  // 400: malformed JSON, unknown fields, wrong types, invalid UTF-8.
  EXPECT_EQ(As("u-cw")
                .Send("POST", "/v1/cases/" + id + "/commands", "{nope",
                      {{"Content-Type", "application/json"}})
                .status,
            400);
  EXPECT_EQ(As("u-cw")
                .Post("/v1/cases/" + id + "/commands", {{"command", "AddNote"}, {"extra", 1}})
                .status,
            400);
  EXPECT_EQ(Command("u-cw", id, "AddNote", {{"text", 42}}).status, 400);
  EXPECT_EQ(As("u-cw")
                .Send("POST", "/v1/cases/" + id + "/commands",
                      "{\"command\":\"AddNote\",\"data\":{\"text\":\"\xff\xfe\"}}",
                      {{"Content-Type", "application/json"}})
                .status,
            400);
  // 401, 403, 404, 405.
  EXPECT_EQ(TestClient(live_.server->port()).Send("GET", "/v1/cases/" + id).status, 401);
  EXPECT_EQ(TestClient(live_.server->port(), "psr_" + std::string(64, '0'))
                .Send("GET", "/v1/cases/" + id)
                .status,
            401);
  EXPECT_EQ(Command("u-audit", id, "AddNote", {{"text", "x"}}).status, 403);
  EXPECT_EQ(As("u-committee").Send("GET", "/v1/cases/" + id).status, 403);
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/cases/case-NOPE").status, 404);
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/nothing").status, 404);
  HttpResult wrong = As("u-cw").Send("DELETE", "/v1/cases/" + id);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["Allow"], "GET");
}

TEST_F(ServerTest, CaseworkersOutsideTheCityCannotTellTheCaseExists) {
  const std::string id = Register();
  HttpResult get = As("u-cw-casa").Send("GET", "/v1/cases/" + id);
  HttpResult none = As("u-cw-casa").Send("GET", "/v1/cases/case-ZZZZZZZZ");
  EXPECT_EQ(get.status, 404);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(Command("u-cw-casa", id, "AddNote", {{"text", "x"}}).status, 404);
  EXPECT_EQ(As("u-sup").Send("GET", "/v1/cases/" + id).status, 200);
}

TEST_F(ServerTest, RetriesWithTheSameKeyGetTheFirstAnswer) {
  const std::string id = Register("reg-1");
  const uint64_t head = live_.stack->log().HeadPosition();
  HttpResult retry = As("u-cw").Post("/v1/cases", Registration(), {{"Idempotency-Key", "reg-1"}});
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.json().at("id").as_string(), id) << "a retried registration names the same case";
  EXPECT_TRUE(retry.json().at("replayed").as_bool());
  EXPECT_EQ(live_.stack->log().HeadPosition(), head);
  HttpResult c1 = Command("u-cw", id, "AddNote", {{"text", "x"}}, {{"Idempotency-Key", "note-1"}});
  HttpResult c2 = Command("u-cw", id, "AddNote", {{"text", "x"}}, {{"Idempotency-Key", "note-1"}});
  EXPECT_EQ(c1.json().at("position"), c2.json().at("position"));
}

TEST_F(ServerTest, ConcurrentWritersWithTheSameVersionConflict) {
  const std::string id = Register();
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      HttpResult r = Command("u-cw", id, "AddNote", {{"text", "x"}}, {{"If-Match", "\"1\""}});
      if (r.status == 200) ++ok;
      if (r.status == 409) ++conflict;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 5);
}

TEST_F(ServerTest, EveryPersonalDataReadIsRecorded) {
  const std::string id = Register();
  HttpResult cw = As("u-cw").Send("GET", "/v1/cases/" + id, "", {{"X-Purpose", "follow-up call"}});
  ASSERT_EQ(cw.status, 200);
  EXPECT_EQ(cw.json().at("personal").at("full_name").as_string(), "Amina Synthétique");
  HttpResult audit = As("u-audit").Send("GET", "/v1/cases/" + id);
  EXPECT_EQ(audit.json().at("personal").at("phone").as_string(), "+212600000017");
  HttpResult admin = As("u-admin").Send("GET", "/v1/cases/" + id);
  EXPECT_EQ(admin.json().at("personal").as_string(), "sealed");
  auto reads = live_.stack->log().ReadStream({.stream_id = "access-" + id});
  ASSERT_OK(reads);
  ASSERT_EQ(reads->size(), 2u);
  EXPECT_EQ(reads->at(0).envelope.actor().user_id(), "u-cw");
  EXPECT_NE(reads->at(0).envelope.payload().find("follow-up call"), std::string::npos);
  EXPECT_EQ(reads->at(1).envelope.actor().user_id(), "u-audit");
  // Under concurrent load, none is missed.
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 10; ++j)
        EXPECT_EQ(As("u-sup").Send("GET", "/v1/cases/" + id).status, 200);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(live_.stack->log().ReadStream({.stream_id = "access-" + id})->size(), 82u);
}

TEST_F(ServerTest, GuidanceListsTheNextStepsForThisUser) {
  const std::string id = Register();
  const boost::json::value body = As("u-cw").Send("GET", "/v1/cases/" + id).json();
  const auto& steps = body.at("next_steps").as_array();
  std::vector<std::string> commands;
  for (const auto& s : steps) commands.emplace_back(s.at("command").as_string());
  EXPECT_EQ(commands, (std::vector<std::string>{"RecordConsent", "AddNote", "RecordCaseConference",
                                                "RequestTransfer", "ProposeClosure"}));
  EXPECT_EQ(steps.at(0).at("label").at("fr").as_string(), "Recueillir un consentement");
}

// Views are rendered once per version and user: a read after a write shows the write, and
// one user's next steps never show up for another.
TEST_F(ServerTest, ReadsShowEveryWriteAndEachUsersOwnSteps) {
  const std::string id = Register();
  auto commands = [&](const std::string& user) {
    HttpResult r = As(user).Send("GET", "/v1/cases/" + id + "?personal=false");
    EXPECT_EQ(r.status, 200) << r.body;
    const boost::json::value body = r.json();
    std::vector<std::string> out{r.headers["ETag"], std::to_string(U(body.at("version")))};
    for (const auto& s : body.at("next_steps").as_array())
      out.emplace_back(s.at("command").as_string());
    return out;
  };
  const auto before = commands("u-cw");
  EXPECT_EQ(before.at(0), "\"1\"");
  EXPECT_EQ(before.at(1), "1");
  ASSERT_EQ(commands("u-cw"), before);
  const auto auditor = commands("u-audit");
  EXPECT_EQ(auditor, (std::vector<std::string>{"\"1\"", "1"})) << "an auditor has no steps to take";
  EXPECT_EQ(commands("u-cw"), before) << "the auditor's view did not leak into the caseworker's";
  ASSERT_EQ(Command("u-cw", id, "AddNote", {{"text", "Appel"}}).status, 200);
  const auto after = commands("u-cw");
  EXPECT_EQ(after.at(0), "\"2\"");
  EXPECT_EQ(after.at(1), "2");
}

TEST_F(ServerTest, LimitsOnBodiesHeadersAndSlowClients) {
  StopAll();
  Start({.body_limit = 4096, .header_limit = 2048, .read_timeout = std::chrono::seconds(1)});
  EXPECT_EQ(As("u-cw")
                .Send("POST", "/v1/cases", std::string(10000, 'x'),
                      {{"Content-Type", "application/json"}})
                .status,
            413);
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/me", "", {{"X-Big", std::string(4000, 'a')}}).status, 431);
  // A slow-loris client that never finishes its headers is dropped, and others are served.
  std::string partial;
  std::thread slow([&] {
    partial =
        testing::RawExchange(live_.server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5000);
  });
  EXPECT_EQ(TestClient(live_.server->port()).Send("GET", "/healthz").status, 200);
  slow.join();
  EXPECT_EQ(partial, "") << "closed without a response after the read timeout";
  EXPECT_NE(testing::RawExchange(live_.server->port(), "GARBAGE\r\n\r\n").find("400 Bad Request"),
            std::string::npos);
  EXPECT_NE(testing::RawExchange(live_.server->port(),
                                 "GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n")
                .find(" 400 "),
            std::string::npos);
}

TEST_F(ServerTest, EventStreamResumesAfterLastEventId) {
  const std::string id = Register();
  const uint64_t first = live_.stack->log().HeadPosition();
  Command("u-cw", id, "RecordConsent",
          {{"purpose", "data_processing"}, {"recipient", "AMAPPE"}, {"given_on", "2026-06-02"}});
  Command("u-cw", id, "AddNote", {{"text", "x"}});
  const std::string request =
      "GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokens_["u-cw"] +
      "\r\nLast-Event-ID: " + std::to_string(first) + "\r\n\r\n";
  const std::string got = testing::RawExchange(live_.server->port(), request, 1500);
  EXPECT_NE(got.find("text/event-stream"), std::string::npos) << got;
  EXPECT_EQ(got.find("id: " + std::to_string(first) + "\n"), std::string::npos)
      << "resumes after the id";
  const size_t consent = got.find("event: ConsentRecorded");
  const size_t note = got.find("event: NoteAdded");
  EXPECT_NE(consent, std::string::npos) << got;
  EXPECT_NE(note, std::string::npos);
  EXPECT_LT(consent, note);
  // The committee learns only that something happened, not where.
  const std::string committee = testing::RawExchange(
      live_.server->port(),
      "GET /v1/events/stream?last_event_id=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
          tokens_["u-committee"] + "\r\n\r\n",
      1500);
  EXPECT_NE(committee.find("ParticipantRegistered"), std::string::npos);
  EXPECT_EQ(committee.find(id), std::string::npos);
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequestsAndLosesNothing) {
  const std::string id = Register();
  std::atomic<int> acknowledged{0};
  std::vector<std::string> acked_positions;
  std::mutex mu;
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      for (int j = 0; j < 30; ++j) {
        try {
          HttpResult r =
              Command("u-cw", id, "AddNote", {{"text", "x"}},
                      {{"Idempotency-Key", "n-" + std::to_string(i) + "-" + std::to_string(j)}});
          if (r.status != 200) continue;
          ++acknowledged;
          std::lock_guard lock(mu);
          acked_positions.push_back(boost::json::serialize(r.json().at("position")));
        } catch (const std::exception&) {
          return;  // the server stopped accepting: fine
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  live_.server->Stop();  // while requests are in flight
  for (auto& t : clients) t.join();
  EXPECT_GT(acknowledged.load(), 0);
  StopAll();
  Start();  // a restart on the same directory
  for (const auto& p : acked_positions) {
    auto e = live_.stack->log().ReadAt(std::stoull(p), false);
    ASSERT_OK(e);
    EXPECT_EQ(e->envelope.event_type(), "NoteAdded");
  }
  EXPECT_TRUE(live_.stack->log().Verify(1, 0, nullptr)->intact);
}

TEST_F(ServerTest, AdminsManageUsersAndRevokedTokensStopWorking) {
  HttpResult created = As("u-admin").Post(
      "/v1/admin/users", {{"user_id", "u-new"}, {"role", "caseworker"}, {"cities", {"Fès"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  TestClient fresh(live_.server->port(), std::string(created.json().at("token").as_string()));
  EXPECT_EQ(fresh.Send("GET", "/v1/me").json().at("cities").at(0).as_string(), "Fès");
  EXPECT_EQ(As("u-admin").Post("/v1/admin/users", {{"user_id", "u-x"}, {"role", "wizard"}}).status,
            400);
  EXPECT_EQ(
      As("u-admin").Post("/v1/admin/users", {{"user_id", "u-new"}, {"role", "auditor"}}).status,
      409);
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/admin/users").status, 403);
  EXPECT_EQ(As("u-admin").Send("DELETE", "/v1/admin/users/u-new").status, 204);
  EXPECT_EQ(fresh.Send("GET", "/v1/me").status, 401);
}

TEST_F(ServerTest, RepeatedBadTokensAreSlowedDown) {
  TestClient guesser(live_.server->port(), "psr_" + std::string(64, 'a'));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(guesser.Send("GET", "/v1/me").status, 401);
  EXPECT_EQ(guesser.Send("GET", "/v1/me").status, 429);
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/me").status, 429)
      << "the whole address waits, right token or not";
}

}  // namespace
}  // namespace piseruma::api
