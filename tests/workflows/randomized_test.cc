// Thousands of random commands — mostly the steps guidance offers, some arbitrary, some with
// broken data — never reach an invalid state, never write on a refusal, and replaying a
// stream from scratch always rebuilds exactly the state the service loads.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <random>

#include "tests/workflows/command_fixtures.h"
#include "tests/workflows/harness.h"
#include "workflows/guidance.h"

namespace piseruma::workflows {
namespace {

using testing::WorkflowHarness;

void CheckInvariants(const WorkflowHarness& h, const std::string& stream, const StreamState& s) {
  for (const auto& [name, instance] : s.machines()) {
    const WorkflowDefinition* def = h.registry().Find(name, instance.definition_version());
    ASSERT_NE(def, nullptr) << stream << " runs unknown workflow " << name;
    ASSERT_NE(FindState(*def, instance.state()), nullptr) << stream << ": " << name << " in unknown state " << instance.state();
  }
  for (const auto& d : s.deadlines()) {
    ASSERT_TRUE(s.machines().count(d.machine())) << stream << ": deadline " << d.name() << " of a workflow not running";
  }
  auto root = s.machines().find("case");
  if (root != s.machines().end() && root->second.state() == "closed") {
    ASSERT_EQ(s.deadlines_size(), 0) << stream << " is closed but has open deadlines";
    ASSERT_FALSE(s.case_facts().outcome().empty()) << stream << " closed without an outcome";
  }
}

std::string Corrupt(std::string json, std::mt19937& rng) {
  switch (rng() % 3) {
    case 0: return "{}";
    case 1: {  // a date far in the future
      const size_t at = json.find("\"20");
      return at == std::string::npos ? json : json.replace(at + 1, 4, "2999");
    }
    default: return json.substr(0, json.size() / 2);  // truncated JSON
  }
}

TEST(RandomizedTest, RandomCommandSequencesKeepEveryInvariant) {
  const std::vector<workflows::UserContext> users = {testing::Caseworker(), testing::Caseworker2(),
                                                     testing::Supervisor(), testing::CasablancaCaseworker()};
  std::vector<std::string> all_commands;
  const auto registry = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir()).value();
  for (const auto* def : registry->LatestDefinitions()) {
    for (const auto& t : def->transitions()) all_commands.push_back(t.command());
  }
  size_t accepted = 0, refused = 0;
  for (uint32_t seed : {11u, 22u, 33u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    WorkflowHarness h;
    std::vector<std::string> cases;
    for (int step = 0; step < 700; ++step) {
      if (cases.empty() || rng() % 25 == 0) {
        cases.push_back(h.NextCaseId());
        ASSERT_OK(h.RunValid(cases.back(), "RegisterParticipant"));
      }
      if (rng() % 40 == 0) h.AdvanceDays(static_cast<int>(rng() % 60));
      const std::string stream = cases[rng() % cases.size()];
      const auto& user = users[rng() % users.size()];
      const StreamState before = h.State(stream);
      std::string command, when;
      auto steps = NextSteps(h.registry(), before, stream, user, h.service().Today());
      if (!steps.empty() && rng() % 5 != 0) {
        command = steps[rng() % steps.size()].command;
        std::vector<std::string> whens{""};
        const std::string machine = h.registry().MachineOf(command);
        for (const auto& t : h.registry().Latest(machine)->transitions()) {
          if (t.command() == command && !t.when().empty()) whens.push_back(t.when());
        }
        when = whens[rng() % whens.size()];
      } else {
        command = all_commands[rng() % all_commands.size()];
      }
      std::string json = testing::ValidJson(command, when, h.Today());
      if (command == "OrientToPathway") {
        static const char* kPathways[] = {"employment", "microproject", "training", "cooperative_membership"};
        json = R"({"pathway":")" + std::string(kPathways[rng() % 4]) + R"(","oriented_on":")" + h.Today() + "\"}";
      }
      if (rng() % 10 == 0) json = Corrupt(json, rng);

      const uint64_t head = h.log().HeadPosition();
      auto r = h.Run(stream, command, json, user);
      if (r.ok()) {
        ++accepted;
      } else {
        ++refused;
        ASSERT_EQ(h.log().HeadPosition(), head) << command << " was refused but wrote: " << r.status().ToString();
        ASSERT_NE(r.status().code(), StatusCode::kInternal) << r.status().ToString();
        ASSERT_NE(r.status().code(), StatusCode::kDataLoss) << r.status().ToString();
      }
      const StreamState after = h.State(stream);
      CheckInvariants(h, stream, after);
      auto replayed = h.service().LoadAsOf(stream, h.log().HeadPosition());
      ASSERT_OK(replayed);
      ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*replayed, after))
          << "replay differs after " << command << ":\n" << replayed->DebugString() << "\nvs\n" << after.DebugString();
    }
    EXPECT_TRUE(h.log().Verify(1, 0, nullptr)->intact);
  }
  EXPECT_GT(accepted, 600u);
  EXPECT_GT(refused, 200u);
}

}  // namespace
}  // namespace piseruma::workflows
