// ProjectionRuntime: keeps the read models — case summary (and caseloads), programme
// dashboard, cooperative registry — folded from the event log, exactly once, and answers
// queries on them.
//
// One catch-up subscription reads the log (personal fields never opened) and decodes each
// event once for every projection. Each projection's rows and its checkpoint (the last
// position folded) are written in one RocksDB WriteBatch to <data_dir>/projections — every
// `checkpoint_every` events while catching up, at the log's head at most every 200 ms, and
// on Stop() — so after a crash each projection resumes from its checkpoint without losing or
// counting twice any event. Open() rebuilds from position 1 any projection whose code version
// changed, whose checkpoint lies past the log's head (a restore), or whose rows are damaged.
//
// Read-your-writes: a command's response carries its log position; a query first calls
// WaitForPosition(position, 2s) so the caseworker's next screen shows what they just did.
//
// Thread-safety: queries, Lag() and WaitForPosition() are safe from any thread, concurrently
// with the subscription's thread (reader/writer lock). Start, Stop, CatchUp and Rebuild are
// called by one owning thread. After a failed commit the runtime stops for good (status()
// says why): reopen it, and each projection resumes from its last checkpoint.
//
//   RuntimeOptions options{.data_dir = dir, .log = log.get(), .registry = registry};
//   PSR_ASSIGN_OR_RETURN(auto rt, ProjectionRuntime::Open(options));
//   PSR_RETURN_IF_ERROR(rt->Start());
//   rt->WaitForPosition(outcome.append.last_position, std::chrono::seconds(2));
//   CasePage page = rt->QueryCases({.caseworker_id = "u-cw-1"}, today);
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/event_log.h"
#include "engine/subscription.h"
#include "engine/thread_annotations.h"
#include "projections/case_summary.h"
#include "projections/caseload.h"
#include "projections/cooperative_registry.h"
#include "projections/dashboard.h"
#include "projections/dashboard_view.h"
#include "projections/event.h"
#include "projections/store.h"
#include "projections/stream_index.h"
#include "workflows/registry.h"

namespace piseruma::projections {

struct RuntimeOptions {
  std::string data_dir = "./data";        // the projections live in <data_dir>/projections
  const engine::EventLog* log = nullptr;  // not owned; must outlive the runtime
  std::shared_ptr<const workflows::WorkflowRegistry> registry;  // stage order, programme parameters
  engine::Clock* clock = engine::SystemClock::Default();        // not owned
  // While catching up, a checkpoint every `checkpoint_every` events or `checkpoint_interval`,
  // whichever comes first; at the log's head, after an event when the last checkpoint is
  // `live_checkpoint_interval` old (and always on Stop()). Each checkpoint rewrites
  // every row changed since the last one (during a rebuild, nearly all of them), so fewer
  // checkpoints make a rebuild faster, at the price of re-folding more after a crash.
  uint64_t checkpoint_every = 1'000'000;
  std::chrono::milliseconds checkpoint_interval{10'000};
  std::chrono::milliseconds live_checkpoint_interval{200};
  // Fault injection for tests: given the store, returns the sink every commit goes through
  // (a wrapper that may fail on cue). The returned sink must outlive the runtime.
  std::function<BatchSink*(BatchSink* store)> wrap_sink;
};

struct ProjectionLag {
  std::string name;
  uint32_t version = 0;
  uint64_t checkpoint = 0;  // durable: rows and checkpoint written together
  uint64_t applied = 0;     // folded in memory (what queries see)
  uint64_t behind = 0;      // head - applied
};

struct LagReport {
  uint64_t head = 0;          // the log's committed head
  uint64_t applied = 0;       // the slowest projection's position
  uint64_t behind = 0;        // positions behind the head
  double seconds_behind = 0;  // how long the oldest event not yet folded has waited
  bool running = false;
  Status status;  // why the runtime stopped, if it failed
  std::vector<ProjectionLag> projections;
};

class ProjectionRuntime {
 public:
  // Opens the projections database and loads every projection. REQUIRES: options.log and
  // options.registry set. Errors: the store's (kUnavailable when another process holds it).
  static Result<std::unique_ptr<ProjectionRuntime>> Open(RuntimeOptions options);
  ProjectionRuntime(const ProjectionRuntime&) = delete;
  ProjectionRuntime& operator=(const ProjectionRuntime&) = delete;
  // Stops and commits what was folded (unless a commit failed).
  ~ProjectionRuntime();

  // The projections' names, for `piseruma rebuild NAME`.
  static std::vector<std::string> Names();

  // Starts following the log from the slowest checkpoint. Returns status() after a failure.
  Status Start();
  // Stops following and commits what was folded. Safe to call when not running.
  void Stop();
  // Folds up to the log's head as it is now, then returns (leaving the runtime running or
  // not, as it was). `progress(done, total)` is called about every 100 ms.
  Status CatchUp(const engine::ProgressFn& progress);
  // Empties the named projections (all when `names` is empty) and folds them again from
  // position 1 up to the head, with progress. kInvalidArgument names an unknown projection.
  Status Rebuild(const std::vector<std::string>& names, const engine::ProgressFn& progress);

  // Blocks until every projection has folded `position` or `timeout` passes; true if reached.
  bool WaitForPosition(uint64_t position, std::chrono::milliseconds timeout) const;
  // The position every projection has folded (the slowest).
  uint64_t AppliedPosition() const;
  LagReport Lag() const;
  Status status() const;
  // Projections Open() emptied to fold again from position 1: their version changed, their
  // checkpoint was past the log's head, or a row was damaged.
  const std::vector<std::string>& rebuilt_on_open() const { return rebuilt_on_open_; }

  // ---- Queries (each reads a consistent state under the shared lock) ----
  CasePage QueryCases(const CaseQuery& query, workflows::Day today) const;
  std::optional<CaseSummary> GetCase(const std::string& case_id, workflows::Day today) const;
  std::vector<CaseloadRow> QueryCaseload(const CaseloadQuery& query, workflows::Day today) const;
  // query.threshold <= 0 takes the programme's small_cell_threshold.
  DashboardView QueryDashboard(DashboardQuery query) const;
  std::vector<CooperativeRecord> QueryCooperatives(const CooperativeQuery& query) const;
  std::optional<CooperativeRecord> GetCooperative(const std::string& cooperative_id) const;

  // Calls fn(summary, dashboard, cooperatives) under the shared lock (tests, diagnostics).
  template <typename Fn>
  void Read(Fn fn) const {
    std::shared_lock lock(state_mu_);
    fn(*summary_, *dashboard_, *cooperatives_);
  }

 private:
  struct Slot {
    Projection* projection;  // owned by the typed members below
    uint64_t checkpoint = 0;
    uint64_t applied = 0;
  };

  explicit ProjectionRuntime(RuntimeOptions options);
  Status Load();
  bool OnEvent(const engine::RecordedEvent& event);
  Status Commit();
  void Fail(const Status& status);
  void Publish() EXCLUDES(progress_mu_);
  // Records `applied` as folded and wakes the waiters it satisfies.
  void Publish(uint64_t applied) EXCLUDES(progress_mu_);
  uint64_t MinApplied() const;  // REQUIRES: state_mu_ held, or the writer thread

  const RuntimeOptions options_;
  std::unique_ptr<ProjectionStore> store_;
  BatchSink* sink_;
  std::unique_ptr<CaseSummaryProjection> summary_;
  std::unique_ptr<DashboardProjection> dashboard_;
  std::unique_ptr<CooperativeRegistry> cooperatives_;
  std::vector<std::string> rebuilt_on_open_;

  // The fold: written by the subscription's thread (or the owner while it is stopped).
  mutable std::shared_mutex state_mu_;
  StreamIndex streams_ GUARDED_BY(state_mu_);
  std::vector<Slot> slots_ GUARDED_BY(state_mu_);
  EventDecoder decoder_ GUARDED_BY(state_mu_);
  uint64_t since_commit_ = 0;                          // subscription thread only
  std::chrono::steady_clock::time_point last_commit_;  // subscription thread only

  mutable std::mutex progress_mu_;
  mutable std::condition_variable progress_cv_;
  uint64_t published_ GUARDED_BY(progress_mu_) = 0;  // MinApplied() as last published
  mutable std::multiset<uint64_t> waiting_for_
      GUARDED_BY(progress_mu_);  // positions WaitForPosition waits for

  mutable std::mutex status_mu_;
  Status status_ GUARDED_BY(status_mu_);
  std::atomic<bool> failed_{false};
  std::atomic<bool> running_{false};  // a subscription was started and not stopped

  std::unique_ptr<engine::CatchUpSubscription> subscription_;  // owner thread only
};

}  // namespace piseruma::projections
