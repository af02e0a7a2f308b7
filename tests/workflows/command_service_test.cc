// Walking cases through their workflows with the real log, definitions and service.
#include "workflows/command_service.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/workflows/command_fixtures.h"
#include "tests/workflows/harness.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::workflows {
namespace {

using testing::Caseworker;
using testing::Supervisor;
using testing::WorkflowHarness;

TEST(CommandServiceTest, EmploymentPathwayFromReferralToTwelveMonths) {
  WorkflowHarness h;
  const std::string id = h.NewCaseIn("employment");
  EXPECT_EQ(h.MachineState(id, "case"), "active");
  EXPECT_EQ(h.MachineState(id, "employment"), "open");
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));
  ASSERT_OK(h.RunValid(id, "ConfirmAnapecRegistration"));
  ASSERT_OK(h.RunValid(id, "RecordWorkshopAttendance"));
  ASSERT_OK(h.Run(
      id, "RecordPlacement",
      R"({"employer_name":"Atelier SARL","employer_created_on":"2022-01-10","sector":"textile",
                      "contract_type":"CDI","start_date":"2023-06-01","monthly_wage_mad":12000})"));
  EXPECT_EQ(h.MachineState(id, "employment"), "placed");
  StreamState s = h.State(id);
  EXPECT_TRUE(s.case_facts().tahfiz().eligible());
  EXPECT_EQ(s.case_facts().tahfiz().exempt_monthly_wage_mad(), 10000);
  // Three follow-up deadlines started from the start date, plus the SRI ones.
  std::vector<std::string> due;
  for (const auto& dl : s.deadlines()) due.push_back(dl.name() + "@" + dl.due_on());
  EXPECT_EQ(due, (std::vector<std::string>{"sri_month_6@2026-12-14", "sri_month_12@2027-06-15",
                                           "employment_follow_up_3m@2023-08-30",
                                           "employment_follow_up_6m@2023-11-28",
                                           "employment_follow_up_12m@2024-05-31"}));
  ASSERT_OK(h.RunValid(id, "RecordEmploymentFollowUp", "milestone=month_3"));
  ASSERT_OK(h.RunValid(id, "RecordEmploymentFollowUp", "milestone=month_6"));
  ASSERT_OK(h.RunValid(id, "RecordEmploymentFollowUp", "milestone=month_12"));
  EXPECT_EQ(h.MachineState(id, "employment"), "completed");
  EXPECT_EQ(h.State(id).deadlines_size(), 2) << "only the SRI deadlines remain";
  EXPECT_EQ(h.History(id),
            "ParticipantRegistered@1 ConsentRecorded@2 ConsentRecorded@3 ConsentRecorded@4 "
            "ConsentRecorded@5 "
            "ConsentRecorded@6 AssessmentRecorded@7 OrientedToPathway@8 AnapecReferralSent@9 "
            "AnapecRegistrationConfirmed@10 WorkshopAttended@11 PlacementRecorded@12 "
            "EmploymentFollowUpRecorded@13 "
            "EmploymentFollowUpRecorded@14 EmploymentFollowUpRecorded@15");
}

TEST(CommandServiceTest, RegistrationDerivesCodesAndSealsPersonalFields) {
  WorkflowHarness h;
  const std::string id = h.NextCaseId();
  auto r = h.RunValid(id, "RegisterParticipant");
  ASSERT_OK(r);
  EXPECT_EQ(r->version, 1u);
  const CaseFacts f = h.State(id).case_facts();
  EXPECT_EQ(f.participant_code(), "RAB-T0001");
  EXPECT_EQ(f.age_group(), "25-59");
  EXPECT_EQ(f.caseworker_id(), "u-cw-1");
  auto stored = h.log().ReadAt(r->append.first_position, false);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->envelope.payload().find("Amina"), std::string::npos) << "the name is sealed";
  EXPECT_EQ(stored->envelope.payload().find("+2126"), std::string::npos) << "the phone is sealed";
  EXPECT_EQ(stored->envelope.subject(), id);
  auto opened = h.log().ReadAt(r->append.first_position, true);
  auto decoded = DecodeEvent(*opened);
  ASSERT_OK(decoded);
  const auto& reg = static_cast<const RegisterParticipant&>(*decoded->data);
  EXPECT_EQ(reg.full_name(), "Amina Synthétique");
  EXPECT_EQ(reg.phone(), "+212600000017");
}

TEST(CommandServiceTest, RetriedCommandIdGetsTheFirstAnswerWithoutDecidingAgain) {
  WorkflowHarness h;
  const std::string id = h.NextCaseId();
  CommandRequest req{.stream_id = id,
                     .command = "RegisterParticipant",
                     .data_json = testing::ValidJson("RegisterParticipant", "", h.Today()),
                     .command_id = "client-key-1",
                     .user = Caseworker()};
  auto first = h.service().Execute(req);
  ASSERT_OK(first);
  h.Restart();
  auto again = h.service().Execute(req);  // deciding again would be an illegal transition
  ASSERT_OK(again);
  EXPECT_TRUE(again->append.replayed);
  EXPECT_EQ(again->append.first_position, first->append.first_position);
  EXPECT_EQ(again->version, 1u);
  EXPECT_EQ(h.log().HeadPosition(), 1u);
}

// An AddNote by the Rabat caseworker, optionally on an expected version or a preloaded state.
CommandRequest Note(const std::string& id, const std::string& command_id,
                    std::optional<uint64_t> expected_version = std::nullopt,
                    std::shared_ptr<const StreamState> state = nullptr) {
  return {.stream_id = id,
          .command = "AddNote",
          .data_json = R"({"text":"x"})",
          .command_id = command_id,
          .expected_version = expected_version,
          .user = Caseworker(),
          .state = std::move(state)};
}

// Many writers on one case without If-Match: each lost race is retried on a fresh load,
// after a jittered pause, so every command lands and the versions stay dense.
TEST(CommandServiceTest, ConcurrentCommandsOnOneCaseAllLand) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  // A budget no loaded test machine exhausts: what is tested is that retries land, not how
  // fast (the 2 s default is for people).
  std::shared_ptr<const WorkflowRegistry> registry(std::shared_ptr<void>(), &h.registry());
  CommandService service(&h.log(), registry, engine::SystemClock::Default(),
                         CommandService::kDefaultCachedStreams, std::chrono::minutes(2));
  const uint64_t start = h.State(id).version();
  constexpr int kThreads = 16, kEach = 20;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = service.Execute(Note(id, "n-" + std::to_string(t) + "-" + std::to_string(i)));
        if (!r.ok()) {
          ADD_FAILURE() << r.status().ToString();
          failed.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(h.State(id).version(), start + kThreads * kEach);
}

TEST(CommandServiceTest, ExpectedVersionMismatchIsAConflictWithTheActualVersion) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  auto r = h.service().Execute(Note(id, "k1", 3));
  ASSERT_EQ(r.status().code(), StatusCode::kAborted);
  EXPECT_EQ(*r.status().actual_version(), 7u);
  auto ok = h.service().Execute(Note(id, "k2", 7));
  ASSERT_OK(ok);
  EXPECT_EQ(ok->version, 8u);
}

TEST(CommandServiceTest, CooperativeFoundingJoinsEveryMemberAtomically) {
  WorkflowHarness h;
  std::vector<std::string> members;
  for (int i = 0; i < 5; ++i) members.push_back(h.NewCaseIn("cooperative_membership"));
  std::string list;
  for (const auto& m : members) list += (list.empty() ? "\"" : ",\"") + m + "\"";
  const std::string coop_json =
      R"({"proposed_name":"Coop Atlas","city":"Rabat","activity":"couture","founded_on":")" +
      h.Today() + R"(","member_case_ids":[)" + list + "]}";
  auto r = h.Run("coop-T1", "FoundCooperative", coop_json);
  ASSERT_OK(r);
  EXPECT_EQ(r->events.size(), 6u);
  EXPECT_EQ(r->append.last_position - r->append.first_position, 5u);
  EXPECT_EQ(h.MachineState("coop-T1", "cooperative"), "forming");
  for (const auto& m : members) {
    EXPECT_EQ(h.MachineState(m, "cooperative_membership"), "member");
    EXPECT_EQ(h.State(m).case_facts().cooperative_id(), "coop-T1");
  }
  EXPECT_EQ(h.State("coop-T1").cooperative().member_case_ids_size(), 5);
  for (const char* cmd : {"RecordOdcoAccompaniment", "RecordNameApproval", "SignStatutes",
                          "HoldConstitutiveAssembly", "RecordCapitalPaid", "RegisterCooperative",
                          "RecordCooperativeFinancing", "StartCooperativeOperations"}) {
    ASSERT_OK(h.RunValid("coop-T1", cmd));
  }
  EXPECT_EQ(h.MachineState("coop-T1", "cooperative"), "operating");
  EXPECT_EQ(h.State("coop-T1").cooperative().odco_register_number(), "ODCO-1");
}

TEST(CommandServiceTest, CooperativeWithTooFewOrIneligibleMembersIsRefusedWholly) {
  WorkflowHarness h;
  std::vector<std::string> members;
  for (int i = 0; i < 4; ++i) members.push_back(h.NewCaseIn("cooperative_membership"));
  members.push_back(h.NewCaseIn("employment"));  // not in the cooperative pathway
  std::string list;
  for (const auto& m : members) list += (list.empty() ? "\"" : ",\"") + m + "\"";
  const uint64_t head = h.log().HeadPosition();
  auto r = h.Run("coop-T1", "FoundCooperative",
                 R"({"proposed_name":"C","city":"Rabat","activity":"a","founded_on":")" +
                     h.Today() + R"(","member_case_ids":[)" + list + "]}");
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_EQ(r.status().violations().size(), 1u);
  EXPECT_EQ(r.status().violations()[0].rule, "not_in_pathway");
  EXPECT_EQ(r.status().violations()[0].field, "member_case_ids[4]");
  auto few = h.Run("coop-T2", "FoundCooperative",
                   R"({"proposed_name":"C","city":"Rabat","activity":"a","founded_on":")" +
                       h.Today() + R"(","member_case_ids":[")" + members[0] + "\"]}");
  ASSERT_EQ(few.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(few.status().violations()[0].rule, "min_members");
  EXPECT_EQ(h.log().HeadPosition(), head) << "nothing appended";
  EXPECT_EQ(h.MachineState(members[0], "cooperative_membership"), "open");
}

TEST(CommandServiceTest, ClosureNeedsASupervisorAndCancelsDeadlines) {
  WorkflowHarness h;
  const std::string id = h.NewCaseIn("employment");
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));
  EXPECT_EQ(h.State(id).deadlines_size(), 3);
  ASSERT_OK(h.RunValid(id, "ProposeClosure"));
  EXPECT_EQ(h.RunValid(id, "ApproveClosure").status().code(), StatusCode::kPermissionDenied)
      << "a caseworker cannot approve a closure";
  ASSERT_OK(h.RunValid(id, "ApproveClosure", "", Supervisor()));
  const StreamState s = h.State(id);
  EXPECT_EQ(s.machines().at("case").state(), "closed");
  EXPECT_EQ(s.case_facts().outcome(), "dropped_out");
  EXPECT_EQ(s.deadlines_size(), 0);
  EXPECT_EQ(h.RunValid(id, "AddNote").status().code(), StatusCode::kFailedPrecondition) << "closed";
  ASSERT_OK(h.RunValid(id, "ReopenCase", "", Supervisor()));
  EXPECT_EQ(h.MachineState(id, "case"), "active");
  EXPECT_EQ(h.State(id).case_facts().reopen_count(), 1u);
}

TEST(CommandServiceTest, TransferIsAcceptedOnlyByTheReceiver) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  ASSERT_OK(h.RunValid(id, "RequestTransfer"));
  EXPECT_EQ(h.RunValid(id, "RequestTransfer").status().violations()[0].rule, "transfer_pending");
  auto wrong = h.RunValid(id, "AcceptTransfer");  // u-cw-1 is the sender
  EXPECT_EQ(wrong.status().violations()[0].rule, "not_receiver");
  ASSERT_OK(h.RunValid(id, "AcceptTransfer", "", testing::Caseworker2()));
  EXPECT_EQ(h.State(id).case_facts().caseworker_id(), "u-cw-2");
  EXPECT_FALSE(h.State(id).case_facts().has_pending_transfer());
}

TEST(CommandServiceTest, ATransferToAnotherCityIsAnsweredByTheReceiverThere) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  ASSERT_OK(h.Run(id, "RequestTransfer",
                  R"({"to_caseworker_id":"u-cw-casa","to_city":"Casablanca","reason":"moved"})"));
  ASSERT_OK(h.RunValid(id, "AcceptTransfer", "", testing::CasablancaCaseworker()));
  const CaseFacts f = h.State(id).case_facts();
  EXPECT_EQ(f.city(), "Casablanca");
  EXPECT_EQ(f.caseworker_id(), "u-cw-casa");
  EXPECT_EQ(h.RunValid(id, "AddNote").status().code(), StatusCode::kPermissionDenied)
      << "Rabat no longer sees it";
}

TEST(CommandServiceTest, SnapshotsDoNotChangeTheLoadedState) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  for (int i = 0; i < 230; ++i) ASSERT_OK(h.RunValid(id, "AddNote"));
  auto snap = h.log().LoadSnapshot(id);
  ASSERT_OK(snap);
  ASSERT_TRUE(snap->has_value());
  EXPECT_EQ((*snap)->version(), 200u);
  auto with = h.service().Load(id);
  auto without = h.service().LoadAsOf(id, h.log().HeadPosition());
  ASSERT_OK(with);
  ASSERT_OK(without);
  EXPECT_EQ(with->version(), 237u);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*with, *without));
}

TEST(CommandServiceTest, ErasureShredsTheParticipantAndIsRecordedOnTheCase) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  ASSERT_OK(h.RunValid(id, "AddNote"));
  EXPECT_EQ(h.Run(id, "ErasePersonalData", R"({"request_ref":"CNDP-1"})").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(h.State(id).case_facts().unhcr_id(), "MOR-24C00017");
  ASSERT_OK(h.Run(id, "ErasePersonalData", R"({"request_ref":"CNDP-1"})", testing::Admin()));
  EXPECT_TRUE(h.State(id).case_facts().personal_data_erased());
  EXPECT_EQ(h.State(id).case_facts().unhcr_id(), "");  // the state forgets the number too
  auto first = h.log().ReadAt(1, true);
  ASSERT_OK(first);
  EXPECT_EQ(first->personal_state, engine::PersonalState::kErased);
  auto decoded = DecodeEvent(*first);
  EXPECT_EQ(static_cast<const RegisterParticipant&>(*decoded->data).full_name(),
            engine::kErasedMarker);
  EXPECT_NE(h.History(id).find("PersonalDataErased"), std::string::npos);
  EXPECT_TRUE(h.log().Verify(1, 0, nullptr)->intact);
}

// A second service on the same log writes behind the first one's cache, as a restarted
// process or another writer would.
std::unique_ptr<CommandService> OtherService(WorkflowHarness& h, size_t cached_streams) {
  std::shared_ptr<const WorkflowRegistry> registry(std::shared_ptr<void>(), &h.registry());
  return std::make_unique<CommandService>(&h.log(), registry, engine::SystemClock::Default(),
                                          cached_streams);
}

TEST(CommandServiceTest, ACachedStateIsBroughtUpToDateFromTheLog) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  ASSERT_EQ(h.service().Load(id)->version(), 7u);  // now cached at 7
  auto other = OtherService(h, 0);
  ASSERT_OK(other->Execute(Note(id, "other-1")));
  auto cached = h.service().Load(id);
  auto replayed = other->Load(id);  // no cache: snapshot + every event
  ASSERT_OK(cached);
  ASSERT_OK(replayed);
  EXPECT_EQ(cached->version(), 8u) << "the note written behind the cache is seen";
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*cached, *replayed));
}

// After each command the service caches the state moved on by the events it appended; it
// must be exactly what replaying the log gives (sealed fields, deadlines, sub-machines,
// several streams at once, an erasure), and loading it again reads nothing from the log.
TEST(CommandServiceTest, TheStateLeftByACommandIsTheReplayedState) {
  WorkflowHarness h;
  const std::string id = h.NewCaseIn("employment");
  auto other = OtherService(h, 0);
  auto expect_replayed = [&](const std::string& stream, const std::string& after) {
    const uint64_t reads = h.service().tail_reads();
    auto remembered = h.service().LoadShared(stream);
    ASSERT_OK(remembered);
    EXPECT_EQ(h.service().tail_reads(), reads) << after << ": served from the cache";
    auto replayed = other->Load(stream);
    ASSERT_OK(replayed);
    EXPECT_EQ((*remembered)->version(), h.log().GetStream(stream)->meta.version()) << after;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(**remembered, *replayed))
        << after;
  };
  for (const char* command :
       {"SendAnapecReferral", "ConfirmAnapecRegistration", "RecordWorkshopAttendance", "AddNote"}) {
    ASSERT_OK(h.RunValid(id, command));
    expect_replayed(id, command);
  }

  std::vector<std::string> members;
  std::string list;
  for (int i = 0; i < 5; ++i) {
    members.push_back(h.NewCaseIn("cooperative_membership"));
    ASSERT_OK(h.service().LoadShared(members.back()));  // cached before the founding
    list += (list.empty() ? "\"" : ",\"") + members.back() + "\"";
  }
  const std::string coop_json =
      R"({"proposed_name":"Coop Atlas","city":"Rabat","activity":"couture","founded_on":")" +
      h.Today() + R"(","member_case_ids":[)" + list + "]}";
  ASSERT_OK(h.Run("coop-T1", "FoundCooperative", coop_json));
  expect_replayed("coop-T1", "founding");
  // The members moved on too, though not through their own command: the cache sees it.
  const uint64_t reads = h.service().tail_reads();
  EXPECT_EQ(h.service().Load(members[0])->case_facts().cooperative_id(), "coop-T1");
  EXPECT_EQ(h.service().tail_reads(), reads + 1);

  auto erased = h.Run(id, "ErasePersonalData", R"({"request_ref":"CNDP-2"})", testing::Admin());
  ASSERT_OK(erased);
  expect_replayed(id, "erasure");
  EXPECT_EQ(erased->version, h.log().GetStream(id)->meta.version());
  for (const AppendedEvent& e : erased->events) EXPECT_EQ(e.stream_id, id);
}

TEST(CommandServiceTest, AStalePreloadedStateLosesNoWrite) {
  WorkflowHarness h;
  const std::string id = h.NewCase();
  auto stale = h.service().LoadShared(id);
  ASSERT_OK(stale);
  ASSERT_EQ((*stale)->version(), 7u);
  auto other = OtherService(h, 0);
  ASSERT_OK(other->Execute(Note(id, "other-1")));
  // Without If-Match: the append on version 7 conflicts, and the retry decides on version 8.
  auto r = h.service().Execute(Note(id, "mine-1", std::nullopt, *stale));
  ASSERT_OK(r);
  EXPECT_EQ(r->version, 9u);
  EXPECT_EQ(h.History(id).substr(h.History(id).rfind("AssessmentRecorded")),
            "AssessmentRecorded@7 NoteAdded@8 NoteAdded@9");
  // With If-Match 7 on a stream at 9: a conflict naming the actual version, nothing written.
  auto conflict = h.service().Execute(Note(id, "mine-2", 7, *stale));
  ASSERT_EQ(conflict.status().code(), StatusCode::kAborted);
  EXPECT_EQ(*conflict.status().actual_version(), 9u);
  EXPECT_EQ(h.log().GetStream(id)->meta.version(), 9u);
}

}  // namespace
}  // namespace piseruma::workflows
