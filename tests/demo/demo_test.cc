// RunDemo end to end: the generated programme is deterministic, verifies, replays to the
// same state and the same read models, reaches every state of every workflow, follows the
// configured population shares, holds no real-looking person, and took no refusal the
// demo did not intend.
#include "demo/demo.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "demo/population.h"
#include "projections/runtime.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"
#include "workflows/case_state.h"
#include "workflows/command_service.h"
#include "workflows/proto/commands.pb.h"
#include "workflows/registry.h"

namespace piseruma::demo {
namespace {

using testing::TempDir;

// The default demo (2,000 participants, 24 months, seed 1) — what `piseruma demo` and the
// server's first start generate — runs here in full (about 12 s in a debug build). Smaller
// programmes miss rare states: at 600 participants most seeds never see a cooperative
// cease (it needs one to form early, run, and fail within the 24 months).
const DemoOptions kDefault;

std::unique_ptr<engine::EventLog> OpenReadOnly(const std::string& dir) {
  auto log =
      engine::EventLog::Open({.data_dir = dir, .create_if_missing = false, .read_only = true});
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

// Every stored event, in position order.
std::vector<engine::RecordedEvent> AllEvents(const engine::EventLog& log,
                                             bool open_personal = false,
                                             std::vector<std::string> types = {}) {
  std::vector<engine::RecordedEvent> out;
  for (uint64_t from = 1;;) {
    auto page = log.ReadAll({.from_position = from,
                             .limit = 5000,
                             .event_types = types,
                             .open_personal = open_personal});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok() || page->events.empty()) break;
    for (auto& e : page->events) out.push_back(std::move(e));
    from = page->next_position;
  }
  return out;
}

Result<DemoReport> Generate(const std::string& dir, uint64_t participants, uint32_t months,
                            uint64_t seed) {
  return RunDemo({.participants = participants, .months = months, .seed = seed, .data_dir = dir},
                 nullptr);
}

std::string Describe(const DemoReport& r) {
  std::string out = std::to_string(r.unexpected_refusals) + " unexpected refusal(s):";
  for (const auto& e : r.unexpected_examples) out += "\n  " + e;
  return out;
}

TEST(DemoDeterminismTest, TheSameSeedWritesTheSameLogByteForByte) {
  TempDir a, b, c;
  auto ra = Generate(a.Sub("data"), 40, 6, 7);
  auto rb = Generate(b.Sub("data"), 40, 6, 7);
  auto rc = Generate(c.Sub("data"), 40, 6, 8);
  ASSERT_OK(ra);
  ASSERT_OK(rb);
  ASSERT_OK(rc);
  ASSERT_GT(ra->events, 300u);
  EXPECT_EQ(ra->head_hash, rb->head_hash);
  EXPECT_NE(ra->head_hash, rc->head_hash) << "another seed, another programme";

  auto la = OpenReadOnly(a.Sub("data"));
  auto lb = OpenReadOnly(b.Sub("data"));
  ASSERT_TRUE(la && lb);
  const auto ea = AllEvents(*la), eb = AllEvents(*lb);
  ASSERT_EQ(ea.size(), eb.size());
  ASSERT_EQ(ea.size(), ra->events);
  for (size_t i = 0; i < ea.size(); ++i) {
    ASSERT_EQ(ea[i].envelope.hash(), eb[i].envelope.hash()) << "position " << i + 1;
    ASSERT_EQ(ea[i].envelope.SerializeAsString(), eb[i].envelope.SerializeAsString())
        << "position " << i + 1;
  }
  EXPECT_EQ(la->Stats()->head_hash, lb->Stats()->head_hash);
}

TEST(DemoDeterminismTest, RefusesADirectoryThatAlreadyHoldsData) {
  TempDir dir;
  std::ofstream(dir.Sub("something")) << "x";
  auto r = Generate(dir.path(), 10, 1, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("already holds data"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(Generate(dir.Sub("new"), 0, 1, 1).status().code(), StatusCode::kInvalidArgument);
}

// The default programme, generated once: ctest runs every test in its own process, so its
// checks are one test, each in a function of its own.
struct Programme {
  TempDir dir;
  DemoReport report;
  std::unique_ptr<engine::EventLog> log;
  std::shared_ptr<const workflows::WorkflowRegistry> registry;
};

void NoCommandWasRefusedUnlessTheDemoMeantIt(const Programme& p) {
  EXPECT_EQ(p.report.unexpected_refusals, 0u) << Describe(p.report);
  EXPECT_GT(p.report.expected_refusals, 0u)
      << "a few referrals before their consent, a few reviews by caseworkers";
  EXPECT_EQ(p.report.participants, kDefault.participants);
}

void TheLogVerifies(const Programme& p) {
  auto v = p.log->Verify(1, 0, nullptr);
  ASSERT_OK(v);
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->checked, p.report.events);
  EXPECT_EQ(v->head_hash, p.report.head_hash);
}

void ReplayingTheLogRebuildsTheSameState(const Programme& p) {
  // The state the service loads (snapshot + newer events) equals a replay from the first
  // event, and a fold of the whole log in position order.
  engine::ManualClock clock(0);
  workflows::CommandService service(p.log.get(), p.registry, &clock);
  std::map<std::string, workflows::StreamState> folded;
  for (const auto& e : AllEvents(*p.log)) {
    if (e.envelope.stream_id()[0] == '$') continue;
    ASSERT_OK(workflows::Evolve(&folded[e.envelope.stream_id()], e.envelope));
  }
  ASSERT_GT(folded.size(), kDefault.participants);
  for (const auto& [stream, state] : folded) {
    auto loaded = service.Load(stream);
    auto replayed = service.LoadAsOf(stream, p.log->HeadPosition());
    ASSERT_OK(loaded);
    ASSERT_OK(replayed);
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*loaded, state)) << stream;
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*replayed, state)) << stream;
  }
}

// The read models folded from the demo's log: two independent replays answer alike, and
// agree with the workflows' own state of every case.
std::string Row(const projections::CaseSummary& c) {
  std::string pathways;
  for (const auto& [name, state] : c.pathways) pathways += name + ":" + state + " ";
  return c.participant_code + " " + c.city + " " + c.caseworker_id + " " + c.state + " [" +
         pathways + "] " + c.outcome + " due " + c.next_due_on + " " + c.next_due_deadline +
         " overdue " + std::to_string(c.overdue_deadlines) + " coop " + c.cooperative_id +
         (c.transfer_pending ? " transfer" : "") + (c.personal_data_erased ? " erased" : "");
}

void ReplayingTheLogRebuildsTheSameProjections(const Programme& p) {
  TempDir a, b;
  std::vector<std::unique_ptr<projections::ProjectionRuntime>> replays;
  for (const TempDir* dir : {&a, &b}) {
    auto rt = projections::ProjectionRuntime::Open(
        {.data_dir = dir->path(), .log = p.log.get(), .registry = p.registry});
    ASSERT_OK(rt);
    ASSERT_OK((*rt)->CatchUp(nullptr));
    replays.push_back(std::move(rt).value());
  }
  engine::ManualClock clock(0);
  workflows::CommandService service(p.log.get(), p.registry, &clock);
  const workflows::Day today = *workflows::ParseDate(p.report.last_day) + 1;
  auto cases = p.log->ListStreams("case-", "", 1'000'000);
  ASSERT_OK(cases);
  ASSERT_EQ(cases->size(), kDefault.participants);
  for (const auto& info : *cases) {
    auto first = replays[0]->GetCase(info.stream_id, today);
    auto second = replays[1]->GetCase(info.stream_id, today);
    ASSERT_TRUE(first && second) << info.stream_id;
    ASSERT_EQ(Row(*first), Row(*second)) << info.stream_id;
    auto state = service.Load(info.stream_id);
    ASSERT_OK(state);
    EXPECT_EQ(first->state, state->machines().at("case").state()) << info.stream_id;
    EXPECT_EQ(first->caseworker_id, state->case_facts().caseworker_id()) << info.stream_id;
    EXPECT_EQ(first->city, state->case_facts().city()) << info.stream_id;
    EXPECT_EQ(first->outcome, state->case_facts().outcome()) << info.stream_id;
    std::vector<std::pair<std::string, std::string>> pathways;
    for (const auto& [machine, instance] : state->machines()) {
      if (machine != "case") pathways.emplace_back(machine, instance.state());
    }
    std::sort(pathways.begin(), pathways.end());
    EXPECT_EQ(first->pathways, pathways) << info.stream_id;
  }
}

void EveryStateOfEveryWorkflowIsReached(const Programme& p) {
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& e : AllEvents(*p.log)) {
    workflows::DomainEvent h;
    if (!h.ParseFromString(e.envelope.payload())) continue;
    if (h.has_transition()) {
      seen[h.transition().machine()].insert(h.transition().from_state());
      seen[h.transition().machine()].insert(h.transition().to_state());
    }
    for (const auto& o : h.opened()) seen[o.machine()].insert(o.to_state());
  }
  for (const auto* def : p.registry->LatestDefinitions()) {
    for (const auto& s : def->states()) {
      EXPECT_TRUE(seen[def->name()].count(s.name()))
          << def->name() << " never reached " << s.name();
    }
  }
}

void ParticipantsFollowTheConfiguredShares(const Programme& p) {
  std::map<std::string, uint32_t> city, sex, nationality;
  uint32_t n = 0;
  for (const auto& e : AllEvents(*p.log, false, {"ParticipantRegistered"})) {
    auto decoded = workflows::DecodeEvent(e);
    ASSERT_OK(decoded);
    const auto& m = static_cast<const workflows::RegisterParticipant&>(*decoded->data);
    ++city[m.city()];
    ++sex[m.sex()];
    ++nationality[NamedNationality(m.nationality()) ? m.nationality() : "others"];
    ++n;
  }
  ASSERT_EQ(n, kDefault.participants);
  auto expect = [&](const std::map<std::string, uint32_t>& counts,
                    std::vector<std::pair<std::string, uint32_t>> w, const char* what) {
    double total = 0;
    for (const auto& [v, weight] : w) total += weight;
    for (const auto& [v, weight] : w) {
      const double p = weight / total;
      const double observed = counts.count(v) ? counts.at(v) / static_cast<double>(n) : 0;
      EXPECT_NEAR(observed, p, 4 * std::sqrt(p * (1 - p) / n) + 0.002) << what << " " << v;
    }
  };
  std::vector<std::pair<std::string, uint32_t>> cities, nationalities;
  for (const auto& c : p.registry->params().cities()) cities.emplace_back(c, CityWeight(c));
  uint32_t others = 0;
  for (const auto& [v, w] : NationalityWeights()) {
    if (NamedNationality(v))
      nationalities.emplace_back(v, w);
    else
      others += w;
  }
  nationalities.emplace_back("others", others);
  expect(city, cities, "city");
  expect(sex, SexWeights(), "sex");
  expect(nationality, nationalities, "nationality");
}

void NobodyInTheLogLooksLikeARealPerson(const Programme& p) {
  const std::regex synthetic(R"(^\S.* Exemple-\d{4,}$)");
  size_t names = 0, erased = 0;
  for (const auto& e : AllEvents(*p.log, true, {"ParticipantRegistered"})) {
    if (e.personal_state == engine::PersonalState::kErased) {
      ++erased;
      continue;
    }
    ASSERT_EQ(e.personal_state, engine::PersonalState::kClear);
    const std::string& name = e.personal.at("full_name");
    EXPECT_TRUE(std::regex_match(name, synthetic)) << name;
    if (e.personal.count("phone")) {
      EXPECT_EQ(e.personal.at("phone").rfind("+212 000 ", 0), 0u);
    }
    ++names;
  }
  EXPECT_EQ(names + erased, kDefault.participants);
  EXPECT_EQ(erased, p.report.erasures) << "erased on request: the names are gone for good";
}

void TheProgrammeIsAlive(const Programme& p) {
  // Every closure outcome, cooperatives, transfers, overdue deadlines, erasures.
  for (const char* outcome : {"self_reliant", "partly_self_reliant", "not_yet", "dropped_out",
                              "resettled_or_moved", "lost_contact"}) {
    EXPECT_GT(
        p.report.closures_by_outcome.count(outcome) ? p.report.closures_by_outcome.at(outcome) : 0,
        0u)
        << outcome;
  }
  EXPECT_GT(p.report.cooperatives, 3u);
  EXPECT_GT(p.report.transfers, 5u);
  EXPECT_GT(p.report.overdue_marked, 50u);
  EXPECT_GE(p.report.erasures, 1u);
  EXPECT_EQ(p.report.first_day, "2024-11-01");
  EXPECT_EQ(p.report.last_day, "2026-10-31");

  // Every actor is one of the demo's users with their role (or the deadline scheduler).
  std::map<std::string, std::string> roles;
  for (const auto& u : p.report.users) roles[u.user_id] = u.role;
  std::set<std::string> acting_roles;
  for (const auto& e : AllEvents(*p.log)) {
    const auto& actor = e.envelope.actor();
    if (actor.user_id() == "system:deadlines") continue;
    ASSERT_TRUE(roles.count(actor.user_id())) << actor.user_id();
    ASSERT_EQ(roles.at(actor.user_id()), actor.role());
    acting_roles.insert(actor.role());
  }
  EXPECT_EQ(acting_roles, (std::set<std::string>{"admin", "caseworker", "supervisor"}));
}

TEST(DemoProgrammeTest, TheDefaultProgrammeIsRealisticSoundAndReplayable) {
  Programme p;
  auto r = Generate(p.dir.Sub("data"), kDefault.participants, kDefault.months, kDefault.seed);
  ASSERT_OK(r);
  p.report = *r;
  p.log = OpenReadOnly(p.dir.Sub("data"));
  ASSERT_TRUE(p.log);
  p.registry =
      workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir()).value();
  for (const auto& [name, check] : std::vector<std::pair<const char*, void (*)(const Programme&)>>{
           {"no command refused unless the demo meant it", NoCommandWasRefusedUnlessTheDemoMeantIt},
           {"the log verifies", TheLogVerifies},
           {"replaying the log rebuilds the same state", ReplayingTheLogRebuildsTheSameState},
           {"replaying the log rebuilds the same projections",
            ReplayingTheLogRebuildsTheSameProjections},
           {"every state of every workflow is reached", EveryStateOfEveryWorkflowIsReached},
           {"participants follow the configured shares", ParticipantsFollowTheConfiguredShares},
           {"nobody in the log looks like a real person", NobodyInTheLogLooksLikeARealPerson},
           {"the programme is alive", TheProgrammeIsAlive}}) {
    SCOPED_TRACE(name);
    check(p);
  }
}

}  // namespace
}  // namespace piseruma::demo
