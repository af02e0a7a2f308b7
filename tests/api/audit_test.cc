// The auditor's tools over the real server: histories with summaries and hashes, replay
// as of any position equal to what the live system showed then, diffs, tamper detection by
// the API and the CLI, the access log under concurrent load, checkpoints, erasure, and an
// auditor who cannot write.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "api/app.h"
#include "api/audit/checkpoint_signer.h"
#include "api/audit/history.h"
#include "api/audit/periodic_checkpointer.h"
#include "api/cli/commands.h"
#include "api/http/server.h"
#include "api/server_stack.h"
#include "engine/keys.h"
#include "tests/api/audit_fixture.h"
#include "tests/api/http_client.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::api {
namespace {

using testing::HttpResult;
using testing::TestClient;

// "ParticipantRegistered@1 ConsentRecorded@2" from a history page.
std::string Golden(const boost::json::value& history) {
  std::string out;
  for (const auto& e : history.at("events").as_array()) {
    out += (out.empty() ? "" : " ") + S(e.at("type")) + "@" +
           std::to_string(U(e.at("stream_version")));
  }
  return out;
}

TEST_F(AuditTest, HistoryShowsEveryEventWithActorSummaryAndHash) {
  const std::string id = Register();
  for (auto& [command, data] : LongCase(1))
    ASSERT_EQ(Command("u-cw", id, command, data).status, 200);
  HttpResult h = As("u-audit").Send("GET", "/v1/cases/" + id + "/history", "",
                                    {{"X-Purpose", "UNHCR annual audit"}});
  ASSERT_EQ(h.status, 200) << h.body;
  const auto body = h.json();
  EXPECT_EQ(Golden(body),
            "ParticipantRegistered@1 ConsentRecorded@2 AssessmentRecorded@3 OrientedToPathway@4 "
            "ConsentRecorded@5 NoteAdded@6");
  const auto& consent = body.at("events").at(4);
  EXPECT_EQ(S(consent.at("summary").at("fr")),
            "Consentement recueilli : employment_referral pour ANAPEC");
  EXPECT_EQ(S(consent.at("summary").at("en")), "Consent recorded: employment_referral for ANAPEC");
  EXPECT_EQ(S(consent.at("actor").at("user_id")), "u-cw");
  EXPECT_EQ(S(consent.at("actor").at("role")), "caseworker");
  EXPECT_EQ(S(consent.at("hash")).size(), 64u);
  EXPECT_FALSE(S(consent.at("command_id")).empty());
  EXPECT_EQ(S(body.at("events").at(0).at("personal").at("full_name")), "Amina Synthétique")
      << "auditors read personal fields";
  EXPECT_EQ(S(body.at("events").at(5).at("personal").at("text")), "call 0");
  // The caseworker of another city cannot tell the case exists; the committee never reads it.
  EXPECT_EQ(As("u-cw-casa").Send("GET", "/v1/cases/" + id + "/history").status, 404);
  EXPECT_EQ(As("u-committee").Send("GET", "/v1/cases/" + id + "/history").status, 403);
  // personal=false: sealed, and no read recorded.
  HttpResult sealed = As("u-sup").Send("GET", "/v1/cases/" + id + "/history?personal=false");
  EXPECT_EQ(S(sealed.json().at("events").at(0).at("personal").at("full_name")),
            "[scellé / sealed]");
  HttpResult reads = As("u-audit").Send("GET", "/v1/audit/access?case_id=" + id);
  ASSERT_EQ(reads.status, 200) << reads.body;
  ASSERT_EQ(reads.json().at("reads").as_array().size(), 1u);
  EXPECT_EQ(S(reads.json().at("reads").at(0).at("user_id")), "u-audit")
      << "auditors' own reads are logged";
  EXPECT_EQ(S(reads.json().at("reads").at(0).at("purpose")), "UNHCR annual audit");
}

TEST_F(AuditTest, HistoryIsPagedAndALongCaseComesInOneCall) {
  const std::string id = Register();
  for (auto& [command, data] : LongCase(495))
    ASSERT_EQ(Command("u-cw", id, command, data).status, 200);
  HttpResult all = As("u-audit").Send("GET", "/v1/cases/" + id + "/history");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json().at("events").as_array().size(), 500u) << "a 500-event case in one call";
  EXPECT_TRUE(all.json().at("next_after").is_null());
  HttpResult first = As("u-audit").Send("GET", "/v1/cases/" + id + "/history?limit=40");
  ASSERT_EQ(first.json().at("events").as_array().size(), 40u);
  const uint64_t after = U(first.json().at("next_after"));
  HttpResult rest = As("u-audit").Send(
      "GET", "/v1/cases/" + id + "/history?limit=40&after=" + std::to_string(after));
  ASSERT_EQ(rest.json().at("events").as_array().size(), 40u);
  EXPECT_EQ(U(rest.json().at("events").at(0).at("stream_version")), 41u);
  EXPECT_EQ(As("u-audit").Send("GET", "/v1/cases/" + id + "/history?limit=0").status, 400);
}

TEST_F(AuditTest, ReplayAtEveryPositionEqualsWhatTheLiveSystemShowedThen) {
  const std::string id = Register();
  std::vector<std::pair<uint64_t, boost::json::object>> seen = {
      {live_.stack->log().HeadPosition(), LiveState(id)}};
  std::vector<std::string> times = {engine::FormatRfc3339Micros(clock_.NowMicros())};
  for (auto& [command, data] : LongCase(40)) {
    HttpResult r = Command("u-cw", id, command, data);
    ASSERT_EQ(r.status, 200) << command << ": " << r.body;
    seen.push_back({U(r.json().at("position")), LiveState(id)});
    times.push_back(engine::FormatRfc3339Micros(clock_.NowMicros()));
    clock_.Advance(std::chrono::seconds(30));
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    const auto& [position, live] = seen[i];
    for (const std::string& when : {std::to_string(position), times[i]}) {
      HttpResult r = As("u-cw").Send("GET", "/v1/cases/" + id + "?as_of=" + when);
      ASSERT_EQ(r.status, 200) << r.body;
      boost::json::object replayed = r.json().as_object();
      EXPECT_EQ(U(replayed.at("as_of").at("position")), position) << when;
      replayed.erase("as_of");
      replayed.erase("personal");
      EXPECT_EQ(replayed, live) << "as_of=" << when;
    }
  }
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/cases/" + id + "?as_of=yesterday").status, 400);
}

TEST_F(AuditTest, DiffNamesWhatChangedBetweenTwoMoments) {
  const std::string id = Register();
  const uint64_t registered = live_.stack->log().HeadPosition();
  for (auto& [command, data] : LongCase(0))
    ASSERT_EQ(Command("u-cw", id, command, data).status, 200);
  HttpResult d =
      As("u-audit").Send("GET", "/v1/cases/" + id + "/diff?from=" + std::to_string(registered));
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(d.json().at("events").as_array().size(), 4u);
  std::string paths;
  const boost::json::value diff = d.json();
  for (const auto& c : diff.at("changes").as_array()) paths += S(c.at("path")) + " ";
  EXPECT_NE(paths.find("facts.consents[1].recipient"), std::string::npos) << paths;
  EXPECT_NE(paths.find("facts.assessments[0].scores.housing"), std::string::npos) << paths;
  HttpResult none =
      As("u-audit").Send("GET", "/v1/cases/" + id + "/diff?from=" + std::to_string(registered) +
                                    "&to=" + std::to_string(registered));
  EXPECT_TRUE(none.json().at("changes").as_array().empty());
  EXPECT_EQ(As("u-audit").Send("GET", "/v1/cases/" + id + "/diff").status, 400);
}

// Opens the raw RocksDB under a stopped server and changes one byte of one event's payload.
void FlipOneByte(const std::string& data_dir, uint64_t position) {
  std::vector<std::string> names;
  rocksdb::Options o;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(o, data_dir + "/db", &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, data_dir + "/db", cfs, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* events = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "events") events = handles[i];
  }
  ASSERT_NE(events, nullptr);
  std::string value;
  ASSERT_TRUE(db->Get({}, events, engine::keys::EventKey(position), &value).ok());
  engine::Envelope env;
  ASSERT_TRUE(env.ParseFromString(value));
  std::string payload = env.payload();
  payload.back() ^= 0x01;
  env.set_payload(payload);
  ASSERT_TRUE(db->Put({}, events, engine::keys::EventKey(position), env.SerializeAsString()).ok());
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
}

TEST_F(AuditTest, OneAlteredByteIsFoundByTheApiAndTheCli) {
  const std::string id = Register();
  uint64_t consent = 0;
  for (auto& [command, data] : LongCase(3)) {
    HttpResult r = Command("u-cw", id, command, data);
    if (consent == 0) consent = U(r.json().at("position"));
  }
  HttpResult ok = As("u-audit").Send("GET", "/v1/audit/verify");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(ok.json().at("intact").as_bool());
  EXPECT_EQ(U(ok.json().at("checked")), U(ok.json().at("total")));
  EXPECT_TRUE(
      As("u-audit").Send("GET", "/v1/cases/" + id + "/verify").json().at("intact").as_bool());
  StopAll();
  FlipOneByte(dir_.path(), consent);
  Start();
  HttpResult all = As("u-audit").Send("GET", "/v1/audit/verify");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_FALSE(all.json().at("intact").as_bool());
  EXPECT_EQ(U(all.json().at("first_broken_position")), consent);
  HttpResult range =
      As("u-audit").Send("GET", "/v1/audit/verify?from=1&to=" + std::to_string(consent - 1));
  EXPECT_TRUE(range.json().at("intact").as_bool()) << "the range before the change is intact";
  HttpResult one = As("u-audit").Send("GET", "/v1/cases/" + id + "/verify");
  EXPECT_FALSE(one.json().at("intact").as_bool()) << one.body;
  EXPECT_EQ(U(one.json().at("first_broken_position")), consent);
  EXPECT_EQ(As("u-audit").Post("/v1/audit/checkpoints", boost::json::object()).status, 500)
      << "nothing signed over a broken chain";
  StopAll();
  std::vector<std::string> args = {"verify", "--data", dir_.path()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  EXPECT_EQ(cli::RunVerify(static_cast<int>(argv.size()), argv.data()), 1)
      << "the CLI exits 1 on a broken chain";
  Start();
}

TEST_F(AuditTest, EveryPersonalDataReadIsInTheAccessLogUnderConcurrentLoad) {
  const std::string id = Register();
  ASSERT_EQ(As("u-cw").Send("GET", "/v1/cases/" + id, "", {{"X-Purpose", "follow-up call"}}).status,
            200);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      const std::string user = i % 2 ? "u-sup" : "u-audit";
      for (int j = 0; j < 8; ++j) {
        const std::string path = j % 2 ? "/v1/cases/" + id : "/v1/cases/" + id + "/history";
        EXPECT_EQ(As(user).Send("GET", path).status, 200);
      }
    });
  }
  for (auto& t : threads) t.join();
  HttpResult all = As("u-audit").Send("GET", "/v1/audit/access?case_id=" + id);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json().at("reads").as_array().size(), 49u);
  HttpResult sup = As("u-audit").Send("GET", "/v1/audit/access?user=u-sup");
  EXPECT_EQ(sup.json().at("reads").as_array().size(), 24u);
  const std::string later = engine::FormatRfc3339Micros(clock_.NowMicros() + 1);
  EXPECT_TRUE(As("u-audit")
                  .Send("GET", "/v1/audit/access?from=" + later)
                  .json()
                  .at("reads")
                  .as_array()
                  .empty());
  HttpResult paged = As("u-admin").Send("GET", "/v1/audit/access?limit=10");
  EXPECT_EQ(paged.json().at("reads").as_array().size(), 10u);
  EXPECT_FALSE(paged.json().at("next_after").is_null());
  EXPECT_EQ(As("u-cw").Send("GET", "/v1/audit/access").status, 403);
  EXPECT_EQ(As("u-committee").Send("GET", "/v1/audit/access").status, 403);
}

TEST_F(AuditTest, AnAuditorTokenCannotWriteAnything) {
  const std::string id = Register();
  const uint64_t head = live_.stack->log().HeadPosition();
  TestClient auditor = As("u-audit");
  EXPECT_EQ(auditor.Post("/v1/cases", {{"data", {{"city", "Rabat"}}}}).status, 403);
  EXPECT_EQ(auditor
                .Post("/v1/cases/" + id + "/commands",
                      {{"command", "AddNote"}, {"data", {{"text", "x"}}}})
                .status,
            403);
  EXPECT_EQ(auditor
                .Post("/v1/cases/" + id + "/commands",
                      {{"command", "ErasePersonalData"}, {"data", {{"request_ref", "x"}}}})
                .status,
            403);
  EXPECT_EQ(auditor.Post("/v1/cooperatives", {{"data", boost::json::object()}}).status, 403);
  EXPECT_EQ(auditor.Post("/v1/cooperatives/coop-X/commands", {{"command", "SignStatutes"}}).status,
            403);
  EXPECT_EQ(auditor.Post("/v1/admin/users", {{"user_id", "u-x"}, {"role", "admin"}}).status, 403);
  EXPECT_EQ(auditor.Send("DELETE", "/v1/admin/users/u-cw").status, 403);
  EXPECT_EQ(auditor.Send("PUT", "/v1/cases/" + id).status, 405);
  EXPECT_EQ(live_.stack->log().HeadPosition(), head) << "nothing was written";
}

TEST_F(AuditTest, SignedCheckpointsProveTheHead) {
  const std::string id = Register();
  const uint64_t head = live_.stack->log().HeadPosition();
  EXPECT_EQ(As("u-audit").Send("GET", "/v1/audit/checkpoints/latest").status, 404);
  HttpResult cp = As("u-audit").Post("/v1/audit/checkpoints", boost::json::object());
  ASSERT_EQ(cp.status, 201) << cp.body;
  EXPECT_EQ(U(cp.json().at("position")), head);
  EXPECT_EQ(S(cp.json().at("head_hash")), live_.stack->log().Verify(1, head, nullptr)->head_hash);
  struct stat st {};
  ASSERT_EQ(::stat((dir_.path() + "/checkpoint-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto parsed = audit::Checkpoint::FromJson(cp.json());
  ASSERT_OK(parsed);
  EXPECT_TRUE(audit::VerifyCheckpointSignature(*parsed));
  audit::Checkpoint forged = *parsed;
  forged.position += 1;
  EXPECT_FALSE(audit::VerifyCheckpointSignature(forged)) << "the signature covers the position";
  forged = *parsed;
  forged.head_hash_hex[0] = forged.head_hash_hex[0] == '0' ? '1' : '0';
  EXPECT_FALSE(audit::VerifyCheckpointSignature(forged)) << "and the head hash";
  HttpResult latest = As("u-admin").Send("GET", "/v1/audit/checkpoints/latest");
  ASSERT_EQ(latest.status, 200);
  EXPECT_TRUE(latest.json().at("signature_valid").as_bool());
  EXPECT_EQ(S(latest.json().at("public_key")), S(cp.json().at("public_key")));
  // The same key after a restart.
  StopAll();
  Start();
  HttpResult again = As("u-audit").Post("/v1/audit/checkpoints", boost::json::object());
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(S(again.json().at("public_key")), S(cp.json().at("public_key")));
  EXPECT_EQ(As("u-cw").Post("/v1/audit/checkpoints", boost::json::object()).status, 403);
}

TEST_F(AuditTest, AfterErasureTheHistoryReplaysVerifiesAndShowsTheErasure) {
  const std::string id = Register();
  for (auto& [command, data] : LongCase(2))
    ASSERT_EQ(Command("u-cw", id, command, data).status, 200);
  const uint64_t before = live_.stack->log().HeadPosition();
  HttpResult erase =
      Command("u-admin", id, "ErasePersonalData", {{"request_ref", "CNDP-2026-041"}});
  ASSERT_EQ(erase.status, 200) << erase.body;
  HttpResult h = As("u-audit").Send("GET", "/v1/cases/" + id + "/history");
  ASSERT_EQ(h.status, 200) << h.body;
  const boost::json::value history = h.json();
  const auto& events = history.at("events").as_array();
  EXPECT_EQ(S(events.at(0).at("personal").at("full_name")), engine::kErasedMarker);
  EXPECT_EQ(S(events.at(0).at("personal_state")), "erased");
  const auto& last = events.back();
  EXPECT_EQ(S(last.at("type")), "PersonalDataErased");
  EXPECT_EQ(S(last.at("summary").at("en")), "Personal data erased (request CNDP-2026-041)");
  const auto& erasure = history.at("erasure");
  EXPECT_EQ(S(erasure.at("by").at("user_id")), "u-admin");
  EXPECT_EQ(S(erasure.at("request_ref")), "CNDP-2026-041");
  EXPECT_TRUE(As("u-audit").Send("GET", "/v1/audit/verify").json().at("intact").as_bool());
  EXPECT_TRUE(
      As("u-audit").Send("GET", "/v1/cases/" + id + "/verify").json().at("intact").as_bool());
  HttpResult then =
      As("u-audit").Send("GET", "/v1/cases/" + id + "?as_of=" + std::to_string(before));
  ASSERT_EQ(then.status, 200) << then.body;
  EXPECT_FALSE(then.json().at("facts").as_object().contains("personal_data_erased"));
}

TEST_F(AuditTest, TheDailyCheckpointSignsOnlyWhenTheLogMoved) {
  audit::PeriodicCheckpointer daily(&live_.stack->log(), std::chrono::hours(24), nullptr);
  ASSERT_OK(daily.SignIfNeeded());
  auto first = audit::LatestCheckpoint(live_.stack->log());
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->position, (*first)->stored_at - 1);
  ASSERT_OK(daily.SignIfNeeded());
  EXPECT_EQ((*audit::LatestCheckpoint(live_.stack->log()))->stored_at, (*first)->stored_at)
      << "idle: no new checkpoint";
  Register();
  ASSERT_OK(daily.SignIfNeeded());
  EXPECT_GT((*audit::LatestCheckpoint(live_.stack->log()))->position, (*first)->stored_at);
}

TEST(AuditTimeTest, ParsesRfc3339WithZOrAnOffset) {
  EXPECT_EQ(*audit::ParseRfc3339Micros("2026-06-10T10:00:00Z"), kStart);
  EXPECT_EQ(*audit::ParseRfc3339Micros("2026-06-10T11:00:00.25+01:00"), kStart + 250'000);
  EXPECT_EQ(*audit::ParseRfc3339Micros("2026-06-10T10:30:00+00:30"), kStart);
  EXPECT_FALSE(audit::ParseRfc3339Micros("2026-06-01T10:00:00").ok()) << "a zone is required";
  EXPECT_FALSE(audit::ParseRfc3339Micros("2026-02-30T10:00:00Z").ok());
}

}  // namespace
}  // namespace piseruma::api
