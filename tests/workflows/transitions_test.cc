// Table-driven: every transition of every shipped definition is driven through the real
// command path from a fresh stream, and lands where its definition says; from each state
// reached, a command that has no transition from there is refused and writes nothing.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <set>

#include "tests/workflows/command_fixtures.h"
#include "tests/workflows/harness.h"

namespace piseruma::workflows {
namespace {

using testing::WorkflowHarness;

// For transitions without `when`, data that matches none of their siblings' conditions.
const std::map<std::string, std::string>& DefaultWhen() {
  static const auto* m = new std::map<std::string, std::string>{
      {"RecordAssessment", "kind=month_6"},
      {"RecordFinancing", "decision=refused"},
      {"RecordCooperativeFinancing", "decision=refused"},
  };
  return *m;
}

class TransitionDriver {
 public:
  explicit TransitionDriver(WorkflowHarness& h) : h_(h) {}

  // A stream whose `machine` is in its initial state.
  std::string Fresh(const std::string& machine) {
    if (machine == "case") return h_.NextCaseId();
    if (machine == "cooperative") return "coop-T" + std::to_string(++coops_);
    return h_.NewCaseIn(machine);
  }

  // Runs transition `t` of `def` on `stream`, preparing what its preconditions need.
  Result<CommandOutcome> Fire(const std::string& stream, const WorkflowDefinition&, const Transition& t) {
    UserContext user = Allows(t, "caseworker") ? testing::Caseworker() : testing::Supervisor();
    if (t.command() == "ApproveClosure" || t.command() == "RejectClosure") {
      EXPECT_OK(h_.RunValid(stream, "ProposeClosure"));
    }
    if (t.command() == "AcceptTransfer" || t.command() == "DeclineTransfer") {
      EXPECT_OK(h_.RunValid(stream, "RequestTransfer"));
      user = testing::Caseworker2();
    }
    std::string when = t.when();
    if (when.empty() && DefaultWhen().count(t.command())) when = DefaultWhen().at(t.command());
    if (t.command() == "FoundCooperative") return Found(stream);
    return h_.Run(stream, t.command(), testing::ValidJson(t.command(), when, h_.Today()), user);
  }

  // Moves `machine` of `stream` from its current state to `target` along the shortest path.
  void Navigate(const std::string& stream, const WorkflowDefinition& def, const std::string& target) {
    const std::string start = Current(stream, def);
    std::map<std::string, std::pair<std::string, const Transition*>> came_from;  // state → (previous, via)
    std::deque<std::string> todo{start};
    std::set<std::string> seen{start};
    while (!todo.empty() && !seen.count(target)) {
      const std::string s = todo.front();
      todo.pop_front();
      for (const auto& t : def.transitions()) {
        if (t.system() || t.to().empty() || seen.count(t.to())) continue;
        if (std::find(t.from().begin(), t.from().end(), s) == t.from().end()) continue;
        seen.insert(t.to());
        came_from[t.to()] = {s, &t};
        todo.push_back(t.to());
      }
    }
    ASSERT_TRUE(seen.count(target)) << def.name() << ": no path to " << target;
    std::vector<const Transition*> path;
    for (std::string s = target; s != start; s = came_from.at(s).first) path.insert(path.begin(), came_from.at(s).second);
    for (const Transition* t : path) {
      auto r = Fire(stream, def, *t);
      ASSERT_TRUE(r.ok()) << def.name() << " " << t->command() << " on the way to " << target << ": "
                          << r.status().ToString();
    }
  }

  std::string Current(const std::string& stream, const WorkflowDefinition& def) {
    const std::string s = h_.MachineState(stream, def.name());
    return s.empty() ? def.initial_state() : s;
  }

 private:
  Result<CommandOutcome> Found(const std::string& coop) {
    std::string list;
    for (int i = 0; i < 5; ++i) list += std::string(i ? "," : "") + "\"" + h_.NewCaseIn("cooperative_membership") + "\"";
    return h_.Run(coop, "FoundCooperative",
                  R"({"proposed_name":"Coop","city":"Rabat","activity":"couture","founded_on":")" + h_.Today() +
                      R"(","member_case_ids":[)" + list + "]}");
  }

  static bool Allows(const Transition& t, const std::string& role) {
    return std::find(t.roles().begin(), t.roles().end(), role) != t.roles().end();
  }

  WorkflowHarness& h_;
  int coops_ = 0;
};

TEST(TransitionsTest, EveryTransitionOfEveryDefinitionWorksAsDefined) {
  WorkflowHarness h;
  TransitionDriver driver(h);
  size_t covered = 0, refused_samples = 0;
  for (const WorkflowDefinition* def : h.registry().LatestDefinitions()) {
    for (const Transition& t : def->transitions()) {
      SCOPED_TRACE(def->name() + " " + t.command() + " from " + t.from(0) + (t.when().empty() ? "" : " when " + t.when()));
      if (t.system()) {
        // JoinCooperative is recorded by FoundCooperative on each member: covered there.
        EXPECT_EQ(t.command(), "JoinCooperative");
        continue;
      }
      const std::string stream = driver.Fresh(def->name());
      driver.Navigate(stream, *def, t.from(0));
      ASSERT_EQ(driver.Current(stream, *def), t.from(0));

      // A command with no transition from here is refused and writes nothing.
      for (const Transition& other : def->transitions()) {
        if (other.system() || std::find(other.from().begin(), other.from().end(), t.from(0)) != other.from().end()) continue;
        const uint64_t head = h.log().HeadPosition();
        auto r = h.RunValid(stream, other.command(), "", testing::Supervisor());
        if (r.ok()) continue;  // (a command of another state that also applies here by `from` lists)
        EXPECT_EQ(h.log().HeadPosition(), head);
        if (!r.status().violations().empty() && r.status().violations()[0].rule == "illegal_transition") ++refused_samples;
        break;
      }

      const uint64_t version = h.State(stream).version();
      auto r = driver.Fire(stream, *def, t);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      const std::string expected = t.to().empty() ? t.from(0) : t.to();
      EXPECT_EQ(driver.Current(stream, *def), expected);
      auto events = h.log().ReadStream({.stream_id = stream, .from_version = version + 1});
      ASSERT_OK(events);
      ASSERT_FALSE(events->empty());
      EXPECT_EQ(events->back().envelope.event_type(), t.event());
      ++covered;
    }
  }
  size_t total = 0;
  for (const WorkflowDefinition* def : h.registry().LatestDefinitions()) {
    for (const Transition& t : def->transitions()) total += t.system() ? 0 : 1;
  }
  EXPECT_EQ(covered, total);
  EXPECT_GT(refused_samples, 20u);
}

}  // namespace
}  // namespace piseruma::workflows
