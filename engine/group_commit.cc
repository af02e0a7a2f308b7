#include "engine/group_commit.h"

#include <rocksdb/write_batch.h>

#include <future>
#include <set>
#include <unordered_set>

#include "engine/erasure_register.h"
#include "engine/hash_chain.h"
#include "engine/keys.h"
#include "engine/log_store.h"
#include "engine/sealer.h"

namespace piseruma::engine {
namespace {

// The most appends one batch takes; a bound on how long the first caller of a batch waits.
constexpr size_t kMaxJobsPerBatch = 2048;
// The stream metadata the writer keeps in memory; past this it forgets and re-reads.
constexpr size_t kMaxCachedStreams = 1 << 20;

CommandRecord ToRecord(const AppendResult& r) {
  CommandRecord rec;
  rec.set_first_position(r.first_position);
  rec.set_last_position(r.last_position);
  for (const auto& s : r.streams) {
    auto* out = rec.add_streams();
    out->set_stream_id(s.stream_id);
    out->set_first_version(s.first_version);
    out->set_new_version(s.new_version);
  }
  return rec;
}

}  // namespace

struct GroupCommitWriter::Job {
  AppendRequest request;
  std::optional<ErasureRecord> erase;
  std::promise<Result<AppendResult>> done;
  bool staged = false;  // its answer depends on this batch's commit
};

// What one batch has decided so far, on top of the committed state.
struct GroupCommitWriter::Batch {
  rocksdb::WriteBatch wb;
  uint64_t head = 0;
  std::string head_hash;
  uint64_t stream_count = 0;
  std::unordered_map<std::string, StreamMeta> streams;  // touched in this batch
  std::unordered_map<std::string, AppendResult> commands;
  std::unordered_map<std::string, std::string> new_keys;
  std::unordered_set<std::string> forgotten;
  std::vector<ErasureRecord> erasures;
  size_t events = 0;
};

GroupCommitWriter::GroupCommitWriter(LogStore* store, const Options& options,
                                     ErasureRegister* erasure_register, CommittedHead head,
                                     std::function<void(uint64_t)> on_commit)
    : store_(store),
      options_(options),
      erasure_register_(erasure_register),
      on_commit_(std::move(on_commit)),
      head_(std::move(head)),
      versions_(kMaxCachedStreams),
      thread_([this] { Run(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

Result<AppendResult> GroupCommitWriter::Submit(AppendRequest request,
                                               std::optional<ErasureRecord> erase) {
  Job job{std::move(request), std::move(erase), {}, false};
  auto future = job.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("the event log is closing; retry shortly");
    queue_.push_back(&job);
  }
  cv_.notify_one();
  return future.get();
}

WriterStats GroupCommitWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitWriter::Run() {
  std::vector<Job*> jobs;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was answered
      const size_t take = std::min(queue_.size(), kMaxJobsPerBatch);
      jobs.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    ProcessBatch(jobs);
    jobs.clear();
  }
}

void GroupCommitWriter::ProcessBatch(std::vector<Job*>& jobs) {
  Batch batch;
  batch.head = head_.position;
  batch.head_hash = head_.hash;
  batch.stream_count = head_.stream_count;

  std::vector<Result<AppendResult>> results;
  results.reserve(jobs.size());
  bool wrote = false;
  for (Job* job : jobs) {
    results.push_back(Apply(*job, batch));
    wrote = wrote || job->staged;
  }

  if (wrote) {
    Status s = Commit(batch);
    if (!s.ok()) {
      for (size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i]->staged) results[i] = s;
      }
    } else {
      head_.position = batch.head;
      head_.hash = batch.head_hash;
      head_.stream_count = batch.stream_count;
      if (stream_cache_.size() + batch.streams.size() > kMaxCachedStreams) stream_cache_.clear();
      for (auto& [id, meta] : batch.streams) {
        versions_.Publish(id, meta.version());
        stream_cache_[id] = std::move(meta);
      }
      on_commit_(head_.position);
    }
  }
  {
    std::lock_guard lock(mu_);
    stats_.batches += wrote ? 1 : 0;
    stats_.appends += jobs.size();
    stats_.events += batch.events;
    stats_.largest_batch = std::max<uint64_t>(stats_.largest_batch, jobs.size());
  }
  for (size_t i = 0; i < jobs.size(); ++i) jobs[i]->done.set_value(std::move(results[i]));
}

Status GroupCommitWriter::Commit(Batch& batch) {
  for (const auto& [id, meta] : batch.streams) {
    batch.wb.Put(store_->streams(), id, meta.SerializeAsString());
  }
  batch.wb.Put(store_->meta(), std::string(keys::kHeadKey),
               keys::EncodeHead(batch.head, batch.head_hash));
  batch.wb.Put(store_->meta(), std::string(keys::kStreamCountKey),
               keys::EncodeFixed64BE(batch.stream_count));
  // The register first: if we crash between the two, the next open finishes the erasure.
  if (!batch.erasures.empty()) PSR_RETURN_IF_ERROR(erasure_register_->Append(batch.erasures));
  rocksdb::WriteOptions wo;
  wo.sync = options_.durable_appends;
  PSR_RETURN_IF_ERROR(
      FromRocks(store_->db()->Write(wo, &batch.wb), "cannot write to the event log"));
  if (!batch.erasures.empty()) {
    // Push the deleted keys out of the memtable and compact them away, so no live file of
    // the database still holds them. (Backups still do; the register re-forgets on restore.)
    rocksdb::FlushOptions fo;
    store_->db()->Flush(fo, store_->data_keys()).PermitUncheckedError();
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    store_->db()->CompactRange(co, store_->data_keys(), nullptr, nullptr).PermitUncheckedError();
  }
  return Status::Ok();
}

Result<uint64_t> GroupCommitWriter::CurrentVersion(const std::string& stream_id, const Batch& batch,
                                                   StreamMeta* meta) {
  if (auto it = batch.streams.find(stream_id); it != batch.streams.end()) {
    *meta = it->second;
    return meta->version();
  }
  if (auto it = stream_cache_.find(stream_id); it != stream_cache_.end()) {
    *meta = it->second;
    return meta->version();
  }
  PSR_ASSIGN_OR_RETURN(auto stored, store_->GetStreamMeta(stream_id));
  *meta = stored ? *stored : StreamMeta();
  return meta->version();
}

Result<AppendResult> GroupCommitWriter::Apply(Job& job, Batch& batch) {
  const AppendRequest& req = job.request;

  // 1. A command id seen before gets its first answer back, and writes nothing.
  if (auto it = batch.commands.find(req.command_id); it != batch.commands.end()) {
    AppendResult r = it->second;
    r.replayed = true;
    job.staged = true;
    return r;
  }
  PSR_ASSIGN_OR_RETURN(auto seen, store_->Get(store_->commands(), req.command_id));
  if (seen) {
    CommandRecord rec;
    if (!rec.ParseFromString(*seen))
      return Status::DataLoss("command record " + req.command_id + " is damaged");
    return AppendResultFromRecord(rec);
  }

  // 2. Every check before any change, so a refused append leaves the batch untouched.
  std::vector<StreamMeta> metas(req.writes.size());
  for (size_t w = 0; w < req.writes.size(); ++w) {
    const StreamWrite& write = req.writes[w];
    PSR_ASSIGN_OR_RETURN(uint64_t actual, CurrentVersion(write.stream_id, batch, &metas[w]));
    if (!write.expected.Matches(actual)) {
      Status s = Status::Aborted("stream " + write.stream_id + " is at version " +
                                 std::to_string(actual) + ", but the command expected " +
                                 write.expected.ToString() + ": reload and try again");
      s.SetConflict(write.stream_id, actual);
      return s;
    }
  }
  auto is_forgotten = [&](const std::string& subject) -> Result<bool> {
    if (batch.forgotten.count(subject)) return true;
    if (batch.new_keys.count(subject)) return false;
    PSR_ASSIGN_OR_RETURN(auto key, store_->GetDataKey(subject));
    if (key) return false;
    PSR_ASSIGN_OR_RETURN(auto erasure, store_->GetErasure(subject));
    return erasure.has_value();
  };
  std::map<std::string, std::string> keys_needed;  // subject → key (empty: create)
  for (const auto& write : req.writes) {
    for (const auto& ev : write.events) {
      if (ev.personal.empty() || keys_needed.count(ev.subject)) continue;
      PSR_ASSIGN_OR_RETURN(bool gone, is_forgotten(ev.subject));
      if (gone) {
        return Status::FailedPrecondition(
            "the personal data of " + ev.subject +
            " was erased at their request; it can no longer be recorded");
      }
      keys_needed[ev.subject] = "";
    }
  }
  if (job.erase) {
    PSR_ASSIGN_OR_RETURN(bool gone, is_forgotten(job.erase->subject()));
    if (gone)
      return Status::FailedPrecondition(job.erase->subject() + " has already been forgotten");
    if (keys_needed.count(job.erase->subject())) {
      return Status::InvalidArgument(
          "an erasure cannot record new personal data of the same subject");
    }
  }

  // 3. Resolve data keys: this batch's, the stored one, or a new one. New keys are staged
  // only after every subject resolved, so a failure here leaves the batch untouched.
  std::vector<std::string> created;
  for (auto& [subject, key] : keys_needed) {
    if (auto it = batch.new_keys.find(subject); it != batch.new_keys.end()) {
      key = it->second;
      continue;
    }
    PSR_ASSIGN_OR_RETURN(auto stored, store_->GetDataKey(subject));
    if (stored) {
      if (stored->size() != kDataKeySize)
        return Status::DataLoss("data key of " + subject + " is damaged");
      key = *stored;
    } else {
      key = NewDataKey(*options_.random);
      created.push_back(subject);
    }
  }
  for (const std::string& subject : created) {
    batch.new_keys[subject] = keys_needed[subject];
    batch.wb.Put(store_->data_keys(), subject, keys_needed[subject]);
  }

  // 4. Build, chain and stage the events.
  AppendResult result;
  std::vector<Envelope> written;
  const int64_t now = options_.clock->NowMicros();
  result.first_position = batch.head + 1;
  for (size_t w = 0; w < req.writes.size(); ++w) {
    const StreamWrite& write = req.writes[w];
    StreamMeta& meta = metas[w];
    StreamAppendResult sr{write.stream_id, 0, meta.version()};
    for (const NewEvent& ev : write.events) {
      Envelope env;
      env.set_event_id(NewUuid(*options_.random));
      env.set_stream_id(write.stream_id);
      env.set_stream_version(meta.version() + 1);
      env.set_position(batch.head + 1);
      env.set_recorded_at_us(now);
      *env.mutable_actor() = req.actor;
      env.set_command_id(req.command_id);
      env.set_correlation_id(req.correlation_id);
      env.set_causation_id(req.causation_id);
      env.set_event_type(ev.type);
      env.set_schema_version(ev.schema_version);
      env.set_payload(ev.payload);
      env.set_subject(ev.subject);
      for (const auto& [path, clear] : ev.personal) {
        auto* f = env.add_sealed();
        f->set_path(path);
        f->set_ciphertext(
            SealField(keys_needed[ev.subject], ev.subject, path, clear, *options_.random));
      }
      env.set_prev_hash(batch.head_hash);
      env.set_hash(ComputeEventHash(env));

      batch.wb.Put(store_->events(), keys::EventKey(env.position()), env.SerializeAsString());
      batch.wb.Put(store_->stream_index(),
                   keys::StreamIndexKey(write.stream_id, env.stream_version()),
                   keys::EncodeFixed64BE(env.position()));
      if (meta.version() == 0) {
        meta.set_created_at_us(now);
        meta.set_first_position(env.position());
        ++batch.stream_count;
      }
      meta.set_version(env.stream_version());
      meta.set_last_position(env.position());
      meta.set_last_hash(env.hash());
      if (sr.first_version == 0) sr.first_version = env.stream_version();
      batch.head = env.position();
      batch.head_hash = env.hash();
      ++batch.events;
      written.push_back(std::move(env));
    }
    sr.new_version = meta.version();
    if (!write.events.empty()) batch.streams[write.stream_id] = meta;
    result.streams.push_back(std::move(sr));
  }
  result.last_position = batch.head;

  if (job.erase) {
    ErasureRecord rec = *job.erase;
    rec.set_position(result.first_position);
    batch.wb.Delete(store_->data_keys(), rec.subject());
    batch.wb.Put(store_->erasures(), rec.subject(), rec.SerializeAsString());
    batch.forgotten.insert(rec.subject());
    batch.erasures.push_back(std::move(rec));
  }
  batch.wb.Put(store_->commands(), req.command_id, ToRecord(result).SerializeAsString());
  batch.commands[req.command_id] = result;  // a replay's answer carries no events
  result.events = std::move(written);
  job.staged = true;
  return result;
}

}  // namespace piseruma::engine
