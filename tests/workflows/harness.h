// WorkflowHarness: a real event log in a temp dir, the real definitions, a manual clock
// and the CommandService — what workflow tests drive.
//
//   WorkflowHarness h;
//   std::string id = h.NewCase();                  // registered, consented, assessed
//   ASSERT_OK(h.Run(id, "OrientToPathway", R"({"pathway":"employment","oriented_on":"2026-06-01"})"));
//   EXPECT_EQ(h.History(id), "ParticipantRegistered@1 ConsentRecorded@2 …");
#pragma once

#include <memory>
#include <string>

#include "engine/event_log.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"
#include "workflows/command_service.h"

namespace piseruma::testing {

// Users of the tests: caseworkers and a supervisor in Rabat, a caseworker in Casablanca.
workflows::UserContext Caseworker();  // u-cw-1, Rabat
workflows::UserContext Caseworker2();  // u-cw-2, Rabat
workflows::UserContext CasablancaCaseworker();
workflows::UserContext Supervisor();  // Rabat
workflows::UserContext Admin();
workflows::UserContext Auditor();

class WorkflowHarness {
 public:
  // Today is 2026-06-15 (Morocco) unless moved. `registry` defaults to the shipped definitions.
  explicit WorkflowHarness(std::shared_ptr<const workflows::WorkflowRegistry> registry = nullptr);
  ~WorkflowHarness();

  Result<workflows::CommandOutcome> Run(const std::string& stream, const std::string& command,
                                        const std::string& json,
                                        const workflows::UserContext& user = Caseworker());
  // Like Run with ValidJson(command, when, Today()).
  Result<workflows::CommandOutcome> RunValid(const std::string& stream, const std::string& command,
                                             const std::string& when = "",
                                             const workflows::UserContext& user = Caseworker());
  // A new case id (case-T0001, case-T0002, …).
  std::string NextCaseId();
  // Registers a case in Rabat with every consent and a baseline assessment.
  std::string NewCase();
  // NewCase() oriented to `pathway`.
  std::string NewCaseIn(const std::string& pathway);

  std::string History(const std::string& stream) const { return testing::History(*log_, stream); }
  workflows::StreamState State(const std::string& stream) const;
  std::string MachineState(const std::string& stream, const std::string& machine) const;
  std::string Today() const;
  void AdvanceDays(int days);
  // Closes and reopens the log and service (a restart).
  void Restart();

  engine::EventLog& log() { return *log_; }
  workflows::CommandService& service() { return *service_; }
  const workflows::WorkflowRegistry& registry() const { return *registry_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  engine::ManualClock clock_;
  std::shared_ptr<const workflows::WorkflowRegistry> registry_;
  std::unique_ptr<engine::EventLog> log_;
  std::unique_ptr<workflows::CommandService> service_;
  int next_case_ = 0;
  int next_command_ = 0;
};

}  // namespace piseruma::testing
