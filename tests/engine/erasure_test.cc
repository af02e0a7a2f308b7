// Crypto-shredding: after Forget, a subject's personal fields read as erased while the
// history, its hashes and its verification stay whole.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/erasure_register.h"
#include "engine/event_log.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::engine {
namespace {

using testing::OpenLog;
using testing::Single;
using testing::TempDir;

AppendRequest Registration(const std::string& cmd, const std::string& subject) {
  AppendRequest req = Single(cmd, "case-" + subject, ExpectedVersion::Any(), {"Registered"});
  NewEvent& ev = req.writes[0].events[0];
  ev.subject = subject;
  ev.personal["name"] = "Synthetic Person " + subject;
  ev.personal["phone"] = "+212600000" + subject.substr(2);
  return req;
}

ForgetRequest ForgetOf(const std::string& subject, const std::string& cmd) {
  ForgetRequest f;
  f.subject = subject;
  f.actor.set_user_id("u-admin");
  f.actor.set_role("admin");
  f.request_ref = "CNDP-2026-001";
  f.command_id = cmd;
  return f;
}

// ReadAllInto parses over a page's earlier events: nothing of the earlier read (opened
// personal fields above all) may survive into the new one.
TEST(ErasureTest, AReusedPageHoldsExactlyWhatAFreshReadHolds) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Registration("c1", "p-100")));
  ASSERT_OK(log->Append(Single("c2", "case-x", ExpectedVersion::Any(), {"Noted", "Noted"})));
  ASSERT_OK(log->Append(Registration("c3", "p-300")));
  ASSERT_OK(log->Append(Single("c4", "coop-1", ExpectedVersion::Any(), {"Founded"})));

  LogPage page;
  ASSERT_OK(log->ReadAllInto({.open_personal = true}, &page));
  ASSERT_EQ(page.events.size(), 5u);
  ASSERT_EQ(page.events[0].personal.at("name"), "Synthetic Person p-100");

  const std::vector<LogReadOptions> reads = {
      {.from_position = 2},                          // shifted: events land on other slots
      {.from_position = 1, .open_personal = false},  // the same events, sealed this time
      {.stream_prefix = "case-p"},                   // filtered: skipped events reuse a slot
      {.from_position = 3, .limit = 1, .open_personal = true},
      {.from_position = 1, .open_personal = true}};
  for (const LogReadOptions& o : reads) {
    ASSERT_OK(log->ReadAllInto(o, &page));
    auto fresh = log->ReadAll(o);
    ASSERT_OK(fresh);
    ASSERT_EQ(page.events.size(), fresh->events.size()) << o.from_position;
    EXPECT_EQ(page.next_position, fresh->next_position);
    EXPECT_EQ(page.head_position, fresh->head_position);
    for (size_t i = 0; i < page.events.size(); ++i) {
      const RecordedEvent& got = page.events[i];
      const RecordedEvent& want = fresh->events[i];
      EXPECT_EQ(got.envelope.SerializeAsString(), want.envelope.SerializeAsString()) << i;
      EXPECT_EQ(got.personal_state, want.personal_state) << i;
      EXPECT_EQ(got.personal, want.personal) << i;
    }
  }
}

TEST(ErasureTest, SealedFieldsOpenOnlyOnRequestAndNeverSitInClear) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Registration("c1", "p-100")));
  auto sealed = log->ReadAt(1, false);
  ASSERT_OK(sealed);
  EXPECT_EQ(sealed->personal_state, PersonalState::kSealed);
  EXPECT_TRUE(sealed->personal.empty());
  EXPECT_EQ(sealed->envelope.SerializeAsString().find("Synthetic Person"), std::string::npos);
  auto clear = log->ReadAt(1, true);
  ASSERT_OK(clear);
  EXPECT_EQ(clear->personal_state, PersonalState::kClear);
  EXPECT_EQ(clear->personal.at("name"), "Synthetic Person p-100");
  EXPECT_EQ(clear->personal.at("phone"), "+212600000100");
}

TEST(ErasureTest, ForgetErasesFieldsKeepsTheChainAndIsRecorded) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Registration("c1", "p-100")));
  ASSERT_OK(log->Append(Registration("c2", "p-200")));
  const std::string hash_before = log->ReadAt(1, false)->envelope.hash();

  ForgetRequest f = ForgetOf("p-100", "forget-1");
  f.also_append.push_back(
      {"case-p-100", ExpectedVersion::Exactly(1), {{.type = "PersonalDataErased"}}});
  auto r = log->Forget(f);
  ASSERT_OK(r);
  EXPECT_EQ(testing::LogHistory(*log),
            "case-p-100:Registered@1 case-p-200:Registered@1 $erasures:$SubjectForgotten@1 "
            "case-p-100:PersonalDataErased@2");

  auto erased = log->ReadAt(1, true);
  ASSERT_OK(erased);
  EXPECT_EQ(erased->personal_state, PersonalState::kErased);
  EXPECT_EQ(erased->personal.at("name"), kErasedMarker);
  EXPECT_EQ(erased->envelope.hash(), hash_before);
  EXPECT_EQ(log->ReadAt(2, true)->personal.at("name"), "Synthetic Person p-200")
      << "others untouched";
  auto v = log->Verify(1, 0, nullptr);
  ASSERT_OK(v);
  EXPECT_TRUE(v->intact) << v->problem;

  auto record = log->GetErasure("p-100");
  ASSERT_OK(record);
  ASSERT_TRUE(record->has_value());
  EXPECT_EQ((*record)->request_ref(), "CNDP-2026-001");
  EXPECT_EQ((*record)->actor().user_id(), "u-admin");
  EXPECT_EQ((*record)->position(), 3u);

  EXPECT_EQ(log->Forget(ForgetOf("p-100", "forget-2")).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(log->Append(Registration("c3", "p-100")).status().code(),
            StatusCode::kFailedPrecondition)
      << "no new personal data for a forgotten subject";
  EXPECT_TRUE(log->Forget(ForgetOf("p-100", "forget-1"))->replayed) << "idempotent retry";
}

TEST(ErasureTest, ErasureSurvivesRestartAndTheRegisterHoldsNoPersonalData) {
  TempDir dir;
  {
    auto log = OpenLog(dir.path());
    ASSERT_OK(log->Append(Registration("c1", "p-100")));
    ASSERT_OK(log->Forget(ForgetOf("p-100", "forget-1")));
  }
  auto log = OpenLog(dir.path());
  EXPECT_EQ(log->ReadAt(1, true)->personal_state, PersonalState::kErased);
  std::ifstream in(ErasureRegisterPath(dir.path()));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("p-100"), std::string::npos);
  EXPECT_NE(text.find("CNDP-2026-001"), std::string::npos);
  EXPECT_EQ(text.find("Synthetic"), std::string::npos);
  EXPECT_EQ(text.find("+212"), std::string::npos);
}

TEST(ErasureTest, RegisterToleratesATornLastLine) {
  TempDir dir;
  ErasureRecord r;
  r.set_subject("p\t1");  // escaped, not split
  r.set_request_ref("req 1");
  {
    auto reg = ErasureRegister::Open(dir.Sub("reg.log"));
    ASSERT_OK(reg);
    ASSERT_OK((*reg)->Append({r}));
  }
  std::ofstream(dir.Sub("reg.log"), std::ios::app) << "v1\tp-2\t12";  // crash mid-line
  auto all = ErasureRegister::ReadAll(dir.Sub("reg.log"));
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->at(0).subject(), "p\t1");
  EXPECT_EQ(all->at(0).request_ref(), "req 1");
}

}  // namespace
}  // namespace piseruma::engine
