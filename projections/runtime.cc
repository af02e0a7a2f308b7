#include "projections/runtime.h"

#include <algorithm>

namespace piseruma::projections {
namespace {

constexpr std::chrono::milliseconds kProgressEvery(100);
enum SlotIndex : size_t { kSummary = 0, kDashboard = 1, kCooperatives = 2 };

}  // namespace

std::vector<std::string> ProjectionRuntime::Names() {
  return {std::string(CaseSummaryProjection::kName), std::string(DashboardProjection::kName),
          std::string(CooperativeRegistry::kName)};
}

ProjectionRuntime::ProjectionRuntime(RuntimeOptions options)
    : options_(std::move(options)),
      summary_(std::make_unique<CaseSummaryProjection>(&streams_)),
      dashboard_(std::make_unique<DashboardProjection>(&streams_)),
      cooperatives_(std::make_unique<CooperativeRegistry>(&streams_)),
      decoder_(&streams_) {
  slots_ = {{summary_.get()}, {dashboard_.get()}, {cooperatives_.get()}};
}

Result<std::unique_ptr<ProjectionRuntime>> ProjectionRuntime::Open(RuntimeOptions options) {
  if (!options.log || !options.registry) {
    return Status::InvalidArgument("the projections need the event log and the workflow registry");
  }
  std::unique_ptr<ProjectionRuntime> rt(new ProjectionRuntime(std::move(options)));
  PSR_ASSIGN_OR_RETURN(rt->store_, ProjectionStore::Open(rt->options_.data_dir));
  rt->sink_ = rt->options_.wrap_sink ? rt->options_.wrap_sink(rt->store_.get()) : rt->store_.get();
  PSR_RETURN_IF_ERROR(rt->Load());
  return rt;
}

ProjectionRuntime::~ProjectionRuntime() { Stop(); }

Status ProjectionRuntime::Load() {
  const uint64_t head = options_.log->HeadPosition();
  rocksdb::WriteBatch resets;
  std::unique_lock lock(state_mu_);
  for (Slot& slot : slots_) {
    Projection& p = *slot.projection;
    PSR_ASSIGN_OR_RETURN(auto meta, store_->LoadMeta(p.name()));
    // A checkpoint past the head means the log was restored from an older backup.
    if (!meta || meta->version() != p.version() || meta->checkpoint() > head) {
      ProjectionStore::StageReset(&resets, p.name(), p.version(), options_.clock->NowMicros());
      if (meta) rebuilt_on_open_.emplace_back(p.name());
      continue;
    }
    Status loaded = store_->ScanRows(
        p.name(), [&](std::string_view k, std::string_view v) { return p.LoadRow(k, v); });
    if (loaded.code() == StatusCode::kDataLoss) {  // a damaged row: fold it again from the log
      p.Clear();
      ProjectionStore::StageReset(&resets, p.name(), p.version(), options_.clock->NowMicros());
      rebuilt_on_open_.emplace_back(p.name());
      continue;
    }
    PSR_RETURN_IF_ERROR(loaded);
    slot.checkpoint = slot.applied = meta->checkpoint();
  }
  lock.unlock();
  if (resets.Count() > 0) PSR_RETURN_IF_ERROR(sink_->Write(&resets));
  Publish();
  return Status::Ok();
}

uint64_t ProjectionRuntime::MinApplied() const {
  uint64_t min = UINT64_MAX;
  for (const Slot& s : slots_) min = std::min(min, s.applied);
  return min;
}

void ProjectionRuntime::Publish() {
  uint64_t applied;
  {
    std::shared_lock lock(state_mu_);
    applied = MinApplied();
  }
  Publish(applied);
}

void ProjectionRuntime::Publish(uint64_t applied) {
  bool wake;
  {
    std::lock_guard lock(progress_mu_);
    published_ = applied;
    // Waking a waiter per event would cost a context switch per event during a rebuild.
    wake = !waiting_for_.empty() && *waiting_for_.begin() <= applied;
  }
  if (wake) progress_cv_.notify_all();
}

bool ProjectionRuntime::OnEvent(const engine::RecordedEvent& event) {
  const uint64_t position = event.envelope.position();
  uint64_t applied;
  {
    std::unique_lock lock(state_mu_);
    auto decoded = decoder_.Decode(event);  // interns the stream: under the writer lock
    if (!decoded.ok()) {
      lock.unlock();
      Fail(decoded.status());
      return false;
    }
    for (Slot& slot : slots_) {
      if (slot.applied >= position) continue;  // already in its checkpoint
      if (*decoded) slot.projection->Apply(**decoded);
      slot.applied = position;
    }
    applied = MinApplied();
  }
  Publish(applied);
  ++since_commit_;
  const bool due = since_commit_ >= options_.checkpoint_every ||
                   (since_commit_ % 1024 == 0 && std::chrono::steady_clock::now() - last_commit_ >=
                                                     options_.checkpoint_interval);
  // At the head, a checkpoint at most every live_checkpoint_interval: under a stream of
  // commands that spares a write per event; queries read memory, not the checkpoint.
  const bool at_head = position >= options_.log->HeadPosition();
  if (due || (at_head &&
              std::chrono::steady_clock::now() - last_commit_ >= options_.live_checkpoint_interval))
    return Commit().ok();
  return true;
}

Status ProjectionRuntime::Commit() {
  if (failed_.load()) return status();
  rocksdb::WriteBatch batch;
  std::vector<std::pair<Slot*, uint64_t>> staged;
  {
    // Writing the changes clears the projections' change lists: the writer lock keeps
    // queries out while they do.
    std::unique_lock lock(state_mu_);
    for (Slot& slot : slots_) {
      if (slot.applied == slot.checkpoint) continue;
      RowWriter rows = ProjectionStore::Rows(&batch, slot.projection->name());
      slot.projection->WriteChanges(&rows);
      ProjectionMeta meta;
      meta.set_version(slot.projection->version());
      meta.set_checkpoint(slot.applied);
      meta.set_updated_at_us(options_.clock->NowMicros());
      ProjectionStore::StageMeta(&batch, slot.projection->name(), meta);
      staged.emplace_back(&slot, slot.applied);
    }
  }
  since_commit_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
  if (staged.empty()) return Status::Ok();
  if (Status s = sink_->Write(&batch); !s.ok()) {
    Fail(s);
    return s;
  }
  std::unique_lock lock(state_mu_);
  for (auto& [slot, position] : staged) slot->checkpoint = position;
  return Status::Ok();
}

void ProjectionRuntime::Fail(const Status& status) {
  std::lock_guard lock(status_mu_);
  if (status_.ok()) status_ = status;
  failed_.store(true);
}

Status ProjectionRuntime::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

Status ProjectionRuntime::Start() {
  if (failed_.load()) return status();
  if (subscription_) return Status::Ok();
  uint64_t from;
  {
    std::shared_lock lock(state_mu_);
    from = MinApplied() + 1;
  }
  since_commit_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
  subscription_ = std::make_unique<engine::CatchUpSubscription>(
      *options_.log, engine::LogReadOptions{.from_position = from, .open_personal = false},
      [this](const engine::RecordedEvent& e) { return OnEvent(e); });
  running_.store(true);
  return Status::Ok();
}

void ProjectionRuntime::Stop() {
  if (!subscription_) return;
  subscription_->Stop();
  if (Status s = subscription_->status(); !s.ok()) Fail(s);
  subscription_.reset();
  running_.store(false);
  (void)Commit();  // a failure is kept in status()
}

Status ProjectionRuntime::CatchUp(const engine::ProgressFn& progress) {
  const uint64_t target = options_.log->HeadPosition();
  const bool was_running = subscription_ != nullptr;
  PSR_RETURN_IF_ERROR(Start());
  while (true) {
    const uint64_t applied = AppliedPosition();
    if (progress) progress(std::min(applied, target), target);
    if (applied >= target || failed_.load() || !subscription_->running()) break;
    WaitForPosition(target, kProgressEvery);
  }
  if (!was_running) Stop();
  if (!status().ok()) return status();
  if (subscription_ && !subscription_->running()) return subscription_->status();
  return Status::Ok();
}

Status ProjectionRuntime::Rebuild(const std::vector<std::string>& names,
                                  const engine::ProgressFn& progress) {
  const std::vector<std::string> all = Names();
  for (const auto& n : names) {
    if (std::find(all.begin(), all.end(), n) == all.end()) {
      return Status::InvalidArgument(
          "unknown projection '" + n +
          "'; the projections are case_summary, dashboard, cooperatives");
    }
  }
  const bool was_running = subscription_ != nullptr;
  Stop();
  if (failed_.load()) return status();
  rocksdb::WriteBatch batch;
  {
    std::unique_lock lock(state_mu_);
    for (Slot& slot : slots_) {
      const std::string name(slot.projection->name());
      if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
      ProjectionStore::StageReset(&batch, name, slot.projection->version(),
                                  options_.clock->NowMicros());
    }
  }
  if (Status s = sink_->Write(&batch); !s.ok()) {
    Fail(s);
    return s;
  }
  {
    std::unique_lock lock(state_mu_);
    for (Slot& slot : slots_) {
      const std::string name(slot.projection->name());
      if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
      slot.projection->Clear();
      slot.checkpoint = slot.applied = 0;
    }
  }
  Publish();
  PSR_RETURN_IF_ERROR(CatchUp(progress));
  if (was_running) return Start();
  return Status::Ok();
}

bool ProjectionRuntime::WaitForPosition(uint64_t position,
                                        std::chrono::milliseconds timeout) const {
  std::unique_lock lock(progress_mu_);
  if (published_ >= position) return true;
  auto it = waiting_for_.insert(position);
  const bool reached = progress_cv_.wait_for(lock, timeout, [&] { return published_ >= position; });
  waiting_for_.erase(it);
  return reached;
}

uint64_t ProjectionRuntime::AppliedPosition() const {
  std::lock_guard lock(progress_mu_);
  return published_;
}

LagReport ProjectionRuntime::Lag() const {
  LagReport r;
  r.head = options_.log->HeadPosition();
  {
    std::shared_lock lock(state_mu_);
    for (const Slot& s : slots_) {
      r.projections.push_back({std::string(s.projection->name()), s.projection->version(),
                               s.checkpoint, s.applied,
                               r.head > s.applied ? r.head - s.applied : 0});
    }
    r.applied = MinApplied();
  }
  r.behind = r.head > r.applied ? r.head - r.applied : 0;
  if (r.behind > 0) {
    auto next = options_.log->ReadAt(r.applied + 1, false);
    if (next.ok()) {
      const int64_t waited = options_.clock->NowMicros() - next->envelope.recorded_at_us();
      r.seconds_behind = std::max<double>(0, static_cast<double>(waited) / 1e6);
    }
  }
  r.running = running_.load() && !failed_.load();
  r.status = status();
  return r;
}

CasePage ProjectionRuntime::QueryCases(const CaseQuery& query, workflows::Day today) const {
  std::shared_lock lock(state_mu_);
  return summary_->Query(query, today);
}

std::optional<CaseSummary> ProjectionRuntime::GetCase(const std::string& case_id,
                                                      workflows::Day today) const {
  std::shared_lock lock(state_mu_);
  return summary_->Get(case_id, today);
}

std::vector<CaseloadRow> ProjectionRuntime::QueryCaseload(const CaseloadQuery& query,
                                                          workflows::Day today) const {
  std::shared_lock lock(state_mu_);
  return Caseload(*summary_, query, today);
}

DashboardView ProjectionRuntime::QueryDashboard(DashboardQuery query) const {
  if (query.threshold <= 0)
    query.threshold = std::max<int64_t>(1, options_.registry->params().small_cell_threshold());
  std::shared_lock lock(state_mu_);
  return RenderDashboard(*dashboard_, *options_.registry, query, slots_[kDashboard].applied);
}

std::vector<CooperativeRecord> ProjectionRuntime::QueryCooperatives(
    const CooperativeQuery& query) const {
  std::shared_lock lock(state_mu_);
  return cooperatives_->List(query);
}

std::optional<CooperativeRecord> ProjectionRuntime::GetCooperative(
    const std::string& cooperative_id) const {
  std::shared_lock lock(state_mu_);
  return cooperatives_->Get(cooperative_id);
}

}  // namespace piseruma::projections
