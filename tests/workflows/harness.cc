#include "tests/workflows/harness.h"

#include <gtest/gtest.h>

#include "tests/workflows/command_fixtures.h"
#include "workflows/dates.h"
#include "workflows/registry.h"

namespace piseruma::testing {

using workflows::UserContext;

UserContext Caseworker() { return {"u-cw-1", "caseworker", {"Rabat"}}; }
UserContext Caseworker2() { return {"u-cw-2", "caseworker", {"Rabat"}}; }
UserContext CasablancaCaseworker() { return {"u-cw-casa", "caseworker", {"Casablanca"}}; }
UserContext Supervisor() { return {"u-sup-1", "supervisor", {"Rabat", "Kénitra"}}; }
UserContext Admin() { return {"u-admin", "admin", {}}; }
UserContext Auditor() { return {"u-audit", "auditor", {}}; }

// 2026-06-15T10:00:00Z
constexpr int64_t kStart = 1'781'517'600'000'000;

WorkflowHarness::WorkflowHarness(std::shared_ptr<const workflows::WorkflowRegistry> registry) : clock_(kStart) {
  if (!registry) {
    auto reg = workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir());
    EXPECT_TRUE(reg.ok()) << reg.status().ToString();
    registry = *reg;
  }
  registry_ = std::move(registry);
  Restart();
}

WorkflowHarness::~WorkflowHarness() = default;

void WorkflowHarness::Restart() {
  service_.reset();
  log_.reset();
  log_ = OpenLog(dir_.path(), &clock_);
  service_ = std::make_unique<workflows::CommandService>(log_.get(), registry_, &clock_);
}

Result<workflows::CommandOutcome> WorkflowHarness::Run(const std::string& stream, const std::string& command,
                                                       const std::string& json, const UserContext& user) {
  return service_->Execute({.stream_id = stream, .command = command, .data_json = json,
                            .command_id = "t-cmd-" + std::to_string(++next_command_), .user = user});
}

Result<workflows::CommandOutcome> WorkflowHarness::RunValid(const std::string& stream, const std::string& command,
                                                            const std::string& when, const UserContext& user) {
  return Run(stream, command, ValidJson(command, when, Today()), user);
}

std::string WorkflowHarness::NextCaseId() {
  char buf[32];
  std::snprintf(buf, sizeof buf, "case-T%04d", ++next_case_);
  return buf;
}

std::string WorkflowHarness::NewCase() {
  const std::string id = NextCaseId();
  EXPECT_OK(RunValid(id, "RegisterParticipant"));
  for (const auto& [purpose, recipient] : AllConsents()) {
    EXPECT_OK(Run(id, "RecordConsent",
                  R"({"purpose":")" + purpose + R"(","recipient":")" + recipient + R"(","given_on":")" + Today() + "\"}"));
  }
  EXPECT_OK(RunValid(id, "RecordAssessment"));
  return id;
}

std::string WorkflowHarness::NewCaseIn(const std::string& pathway) {
  const std::string id = NewCase();
  EXPECT_OK(Run(id, "OrientToPathway", R"({"pathway":")" + pathway + R"(","oriented_on":")" + Today() + "\"}"));
  return id;
}

workflows::StreamState WorkflowHarness::State(const std::string& stream) const {
  auto s = service_->Load(stream);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : workflows::StreamState();
}

std::string WorkflowHarness::MachineState(const std::string& stream, const std::string& machine) const {
  auto s = State(stream);
  auto it = s.machines().find(machine);
  return it == s.machines().end() ? "" : it->second.state();
}

std::string WorkflowHarness::Today() const { return workflows::FormatDate(workflows::DayInMorocco(clock_.NowMicros())); }

void WorkflowHarness::AdvanceDays(int days) { clock_.Advance(std::chrono::hours(24 * days)); }

}  // namespace piseruma::testing
