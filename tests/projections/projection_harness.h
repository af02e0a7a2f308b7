// ProjectionHarness: the workflow harness (a real log, the real definitions, real commands
// through the CommandService) with a ProjectionRuntime on the same data directory.
//
//   ProjectionHarness h;                      // runtime open and following the log
//   std::string id = h.wf.NewCaseIn("employment");
//   h.Sync();                                 // every projection has folded the head
//   EXPECT_EQ(h.runtime->GetCase(id, h.Today())->state, "active");
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "projections/runtime.h"
#include "tests/workflows/harness.h"

namespace piseruma::testing {

class ProjectionHarness {
 public:
  // Opens the runtime and starts it, unless `start` is false.
  explicit ProjectionHarness(bool start = true);
  ~ProjectionHarness();

  // (Re)opens the runtime with these options (data_dir, log and registry filled in).
  void Open(projections::RuntimeOptions options = {}, bool start = true);
  // Stops and closes the runtime (it commits what it folded, unless a commit failed).
  void Close();
  // Waits (bounded) until every projection has folded the log's head; fails the test if not.
  void Sync();
  workflows::Day Today() const;
  const std::shared_ptr<const workflows::WorkflowRegistry>& registry() const { return registry_; }

  // Founds a cooperative of `members` (cases in the cooperative pathway); returns its id.
  std::string FoundCooperative(const std::vector<std::string>& members);
  // Runs a command and waits until the projections have folded it (read-your-writes).
  void RunAndSync(const std::string& stream, const std::string& command, const std::string& json,
                  const workflows::UserContext& user = Caseworker());

  // The command's valid body (tests/workflows/command_fixtures.h) dated today, with fields
  // replaced: Body("ProposeClosure", {{"outcome", "self_reliant"}}).
  std::string Body(
      const std::string& command,
      std::initializer_list<std::pair<const char*, boost::json::value>> fields = {}) const;

  WorkflowHarness wf;
  std::unique_ptr<projections::ProjectionRuntime> runtime;

 private:
  std::shared_ptr<const workflows::WorkflowRegistry> registry_;
  int next_coop_ = 0;
};

}  // namespace piseruma::testing
