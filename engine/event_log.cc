// EventLog: opening, appending, erasure, snapshots and stats. Reads are in
// event_log_read.cc, verification in verify.cc, backups in backup.cc; the RocksDB layout is
// in keys.cc and the group-commit writer in group_commit.cc.
#include "engine/event_log.h"

#include <filesystem>

#include "engine/erasure_register.h"
#include "engine/group_commit.h"
#include "engine/hash_chain.h"
#include "engine/keys.h"
#include "engine/log_store.h"

namespace piseruma::engine {
namespace {

constexpr const char* kErasureStream = "$erasures";
constexpr const char* kForgottenEventType = "$SubjectForgotten";

// The events an erasure writes: the engine's own record, then the caller's.
AppendRequest ErasureAppend(const ErasureRecord& record, const std::string& command_id,
                            std::vector<StreamWrite> also_append) {
  AppendRequest req;
  req.command_id = command_id;
  req.actor = record.actor();
  NewEvent ev;
  ev.type = kForgottenEventType;
  ev.payload = record.SerializeAsString();
  req.writes.push_back({kErasureStream, ExpectedVersion::Any(), {std::move(ev)}});
  for (auto& w : also_append) req.writes.push_back(std::move(w));
  return req;
}

Status CheckNotReserved(const AppendRequest& request) {
  for (const auto& w : request.writes) {
    if (!w.stream_id.empty() && w.stream_id[0] == '$') {
      return Status::InvalidArgument("stream " + w.stream_id +
                                     ": ids starting with $ are reserved for the engine");
    }
  }
  return Status::Ok();
}

}  // namespace

EventLog::EventLog(Options options, std::unique_ptr<LogStore> store)
    : options_(std::move(options)), store_(std::move(store)) {}

EventLog::~EventLog() { writer_.reset(); }

Result<std::unique_ptr<EventLog>> EventLog::Open(const Options& options) {
  PSR_ASSIGN_OR_RETURN(auto store,
                       LogStore::Open(options.data_dir, options.create_if_missing, options.read_only));
  CommittedHead head;
  PSR_RETURN_IF_ERROR(store->LoadHead(&head.position, &head.hash));
  PSR_ASSIGN_OR_RETURN(auto count, store->Get(store->meta(), std::string(keys::kStreamCountKey)));
  if (count) {
    if (count->size() != 8) return Status::DataLoss("the stream count record is damaged");
    head.stream_count = keys::DecodeFixed64BE(*count);
  }
  std::unique_ptr<EventLog> log(new EventLog(options, std::move(store)));
  log->committed_head_.store(head.position);
  if (options.read_only) return log;

  PSR_ASSIGN_OR_RETURN(log->erasure_register_,
                       ErasureRegister::Open(ErasureRegisterPath(options.data_dir)));
  EventLog* raw = log.get();
  log->writer_ = std::make_unique<GroupCommitWriter>(
      log->store_.get(), log->options_, log->erasure_register_.get(), std::move(head),
      [raw](uint64_t position) { raw->PublishHead(position); });
  PSR_RETURN_IF_ERROR(log->ReconcileErasureRegister());
  return log;
}

Status EventLog::RequireWritable() const {
  if (!writer_) return Status::FailedPrecondition("the event log was opened read-only");
  return Status::Ok();
}

Result<AppendResult> EventLog::Append(AppendRequest request) {
  PSR_RETURN_IF_ERROR(RequireWritable());
  PSR_RETURN_IF_ERROR(ValidateAppend(request, options_.limits));
  PSR_RETURN_IF_ERROR(CheckNotReserved(request));
  return writer_->Submit(std::move(request), std::nullopt);
}

Result<AppendResult> EventLog::Forget(ForgetRequest request) {
  PSR_RETURN_IF_ERROR(RequireWritable());
  if (request.request_ref.empty()) {
    return Status::InvalidArgument("request_ref is required: name the data-subject request");
  }
  if (request.request_ref.size() > options_.limits.max_id_bytes) {
    return Status::InvalidArgument("request_ref is too long");
  }
  PSR_RETURN_IF_ERROR(ValidateId(request.subject, "subject", options_.limits));
  AppendRequest callers{.writes = request.also_append};
  PSR_RETURN_IF_ERROR(CheckNotReserved(callers));

  ErasureRecord record;
  record.set_subject(request.subject);
  record.set_erased_at_us(options_.clock->NowMicros());
  *record.mutable_actor() = request.actor;
  record.set_request_ref(request.request_ref);
  AppendRequest append = ErasureAppend(record, request.command_id, std::move(request.also_append));
  PSR_RETURN_IF_ERROR(ValidateAppend(append, options_.limits));
  return writer_->Submit(std::move(append), record);
}

Result<std::optional<ErasureRecord>> EventLog::GetErasure(const std::string& subject) const {
  return store_->GetErasure(subject);
}

Status EventLog::ReconcileErasureRegister() {
  PSR_ASSIGN_OR_RETURN(auto records,
                       ErasureRegister::ReadAll(ErasureRegisterPath(options_.data_dir)));
  for (const ErasureRecord& rec : records) {
    PSR_ASSIGN_OR_RETURN(auto key, store_->GetDataKey(rec.subject()));
    PSR_ASSIGN_OR_RETURN(auto erasure, store_->GetErasure(rec.subject()));
    if (!key && erasure) continue;  // already forgotten in this database
    // A restored backup (or a crash before the batch) predates this erasure: do it again.
    AppendRequest append = ErasureAppend(
        rec, "$erasure-replay:" + rec.subject() + ":" + std::to_string(rec.erased_at_us()), {});
    auto r = writer_->Submit(std::move(append), rec);
    if (!r.ok() && r.status().code() != StatusCode::kFailedPrecondition) return r.status();
  }
  return Status::Ok();
}

void EventLog::PublishHead(uint64_t position) {
  {
    std::lock_guard lock(head_mu_);
    committed_head_.store(position, std::memory_order_release);
  }
  head_cv_.notify_all();
}

bool EventLog::WaitForPosition(uint64_t position, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(head_mu_);
  return head_cv_.wait_for(lock, timeout, [&] { return HeadPosition() >= position; });
}

Status EventLog::SaveSnapshot(const Snapshot& snapshot) {
  PSR_RETURN_IF_ERROR(RequireWritable());
  PSR_RETURN_IF_ERROR(ValidateStreamId(snapshot.stream_id(), options_.limits));
  PSR_ASSIGN_OR_RETURN(auto meta, store_->GetStreamMeta(snapshot.stream_id()));
  const uint64_t version = meta ? meta->version() : 0;
  if (snapshot.version() == 0 || snapshot.version() > version) {
    return Status::InvalidArgument("snapshot of " + snapshot.stream_id() + " at version " +
                                   std::to_string(snapshot.version()) + ", but the stream is at " +
                                   std::to_string(version));
  }
  Snapshot stored = snapshot;
  stored.set_taken_at_us(options_.clock->NowMicros());
  // Snapshots are a cache: a lost one is rebuilt from the events, so no sync is needed.
  return FromRocks(store_->db()->Put(rocksdb::WriteOptions(), store_->snapshots(),
                                     snapshot.stream_id(), stored.SerializeAsString()),
                   "cannot save the snapshot of " + snapshot.stream_id());
}

Result<std::optional<Snapshot>> EventLog::LoadSnapshot(const std::string& stream_id) const {
  PSR_ASSIGN_OR_RETURN(auto raw, store_->Get(store_->snapshots(), stream_id));
  if (!raw) return std::optional<Snapshot>();
  Snapshot s;
  // A damaged snapshot is not data loss: the events are the truth. Ignore it.
  if (!s.ParseFromString(*raw)) return std::optional<Snapshot>();
  return std::optional<Snapshot>(std::move(s));
}

Result<LogStats> EventLog::Stats() const {
  LogStats stats;
  std::string hash;
  PSR_RETURN_IF_ERROR(store_->LoadHead(&stats.head_position, &hash));
  stats.events = stats.head_position;
  stats.head_hash = HexEncode(hash);
  PSR_ASSIGN_OR_RETURN(auto count, store_->Get(store_->meta(), std::string(keys::kStreamCountKey)));
  if (count && count->size() == 8) stats.streams = keys::DecodeFixed64BE(*count);
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), store_->erasures()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++stats.erased_subjects;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(options_.data_dir, ec)) {
    if (entry.is_regular_file(ec)) stats.disk_bytes += entry.file_size(ec);
  }
  return stats;
}

Status EventLog::SyncWal() {
  PSR_RETURN_IF_ERROR(RequireWritable());
  return FromRocks(store_->db()->FlushWAL(/*sync=*/true), "cannot sync the event log");
}

WriterStats EventLog::GetWriterStats() const { return writer_ ? writer_->stats() : WriterStats{}; }

}  // namespace piseruma::engine
