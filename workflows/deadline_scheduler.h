// DeadlineScheduler: turns due deadlines into "DeadlineOverdue" events, exactly once each,
// also across restarts.
//
// It keeps an index of open deadlines folded from the log by a catch-up subscription (so a
// restart rebuilds it from the durable log, overdue marks included). RunOnce() records
// MarkDeadlineOverdue through the CommandService — which re-checks the deadline against the
// stream's current state — with the command id "deadline:<stream>:<name>:<due date>", so a
// retry after a crash is answered by the engine's idempotency and never writes twice.
// Meeting a step (an event in its met_by) closes its deadline; an overdue one stays overdue
// until met.
//
// Thread-safety: RunOnce() and Start()/Stop() from one owning thread; the index is
// guarded by a mutex shared with the subscription's thread.
//
//   DeadlineScheduler scheduler(&service);
//   PSR_ASSIGN_OR_RETURN(size_t fired, scheduler.RunOnce());
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/subscription.h"
#include "engine/thread_annotations.h"
#include "workflows/command_service.h"

namespace piseruma::workflows {

class DeadlineScheduler {
 public:
  // REQUIRES: `service` outlives the scheduler.
  explicit DeadlineScheduler(const CommandService* service);
  DeadlineScheduler(const DeadlineScheduler&) = delete;
  DeadlineScheduler& operator=(const DeadlineScheduler&) = delete;
  ~DeadlineScheduler();

  // Waits (bounded) until the index has caught up with the log's head, then records every
  // deadline due before today. Returns how many were recorded.
  Result<size_t> RunOnce() EXCLUDES(mu_);

  // Calls RunOnce() every `period` on a background thread until Stop().
  void Start(std::chrono::milliseconds period);
  void Stop();

  // Open deadlines known to the index (for tests and metrics).
  size_t OpenCount() const EXCLUDES(mu_);

 private:
  bool OnEvent(const engine::RecordedEvent& event) EXCLUDES(mu_);

  const CommandService* service_;
  mutable std::mutex mu_;
  // stream → deadline name → (due date, overdue)
  std::map<std::string, std::map<std::string, std::pair<std::string, bool>>> open_ GUARDED_BY(mu_);
  std::unique_ptr<engine::CatchUpSubscription> subscription_;

  std::atomic<bool> stop_{false};
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  std::thread loop_;
};

}  // namespace piseruma::workflows
