// ServerStack: everything `piseruma serve` runs, opened in order and closed in reverse —
// the workflow registry, the event log, the command service, users, the read models and
// the deadline scheduler — so the server and the integration tests start the same thing.
//
// Thread-safety: Open and destruction from one thread; the parts are thread-safe.
//
//   PSR_ASSIGN_OR_RETURN(auto stack, ServerStack::Open({.data_dir = "./data"}));
//   App app(stack->Deps());
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/audit/periodic_checkpointer.h"
#include "api/auth/user_store.h"
#include "demo/staff.h"
#include "workflows/deadline_scheduler.h"

namespace piseruma::api {

struct StackOptions {
  std::string data_dir = "./data";
  std::string definitions_dir;  // "" = the build's default
  bool seed_demo = false;       // run the demo generator first when the directory is new
  int demo_participants = 2000;
  engine::Clock* clock = engine::SystemClock::Default();
  std::chrono::milliseconds deadline_period{60'000};        // 0: do not run the scheduler
  std::chrono::milliseconds checkpoint_period{86'400'000};  // signed checkpoints; 0: none
  bool read_models = true;
};

class ServerStack {
 public:
  static Result<std::unique_ptr<ServerStack>> Open(const StackOptions& options);
  ServerStack(const ServerStack&) = delete;
  ServerStack& operator=(const ServerStack&) = delete;
  ~ServerStack();

  AppDeps Deps();
  // Creates an administrator; returns their token.
  Result<std::string> CreateAdmin(const std::string& user_id);
  // What a person starting the server needs to know: demo tokens, or how to create the
  // first administrator.
  void PrintWelcome(std::FILE* out) const;

  engine::EventLog& log() { return *log_; }
  UserStore& users() { return *users_; }
  workflows::CommandService& service() { return *service_; }

 private:
  ServerStack() = default;
  Status SeedDemo();
  Status IssueDemoTokens();

  StackOptions options_;
  bool seeded_now_ = false;
  std::vector<demo::DemoUser> demo_users_;
  std::shared_ptr<const workflows::WorkflowRegistry> registry_;
  std::unique_ptr<engine::EventLog> log_;
  std::unique_ptr<workflows::CommandService> service_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<ReadModels> read_models_;
  std::unique_ptr<workflows::DeadlineScheduler> scheduler_;
  std::unique_ptr<audit::PeriodicCheckpointer> checkpointer_;
};

}  // namespace piseruma::api
