// GroupCommitWriter: the single owner of every write to the event log.
//
// Callers' appends queue up; one writer thread takes everything queued, decides each append
// against the committed state plus the earlier appends of the same batch (idempotency,
// expected versions, erased subjects), chains and seals the events, and commits the whole
// batch with one RocksDB WriteBatch and one WAL sync. Only then are callers answered, so an
// acknowledged append is durable, and throughput grows with the number of concurrent callers.
// An append that fails its checks leaves nothing in the batch; a failed sync fails every
// append of the batch and changes no in-memory state.
//
// Thread-safety: Submit() may be called from any thread. Everything else is owned by the
// writer thread.
//
//   GroupCommitWriter writer(store, options, reg, head, on_commit);
//   Result<AppendResult> r = writer.Submit(std::move(request), std::nullopt);
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/committed_versions.h"
#include "engine/event_log.h"
#include "engine/thread_annotations.h"

namespace piseruma::engine {

class ErasureRegister;
class LogStore;

struct CommittedHead {
  uint64_t position = 0;
  std::string hash;
  uint64_t stream_count = 0;
};

class GroupCommitWriter {
 public:
  // `on_commit(head_position)` runs on the writer thread after each durable batch.
  GroupCommitWriter(LogStore* store, const Options& options, ErasureRegister* erasure_register,
                    CommittedHead head, std::function<void(uint64_t)> on_commit);
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  // Answers every queued append, then joins the writer thread.
  ~GroupCommitWriter();

  // Blocks until the append is durable or refused. With `erase`, the subject's data key is
  // destroyed and the record written in the same batch. REQUIRES: request is validated.
  Result<AppendResult> Submit(AppendRequest request, std::optional<ErasureRecord> erase)
      EXCLUDES(mu_);

  WriterStats stats() const EXCLUDES(mu_);
  // The stream's version as of the last batch that wrote it, if it was written lately
  // (engine/committed_versions.h). Any thread.
  std::optional<uint64_t> CommittedVersion(const std::string& stream_id) const {
    return versions_.Find(stream_id);
  }

 private:
  struct Job;
  struct Batch;

  void Run() EXCLUDES(mu_);
  void ProcessBatch(std::vector<Job*>& jobs);
  Result<AppendResult> Apply(Job& job, Batch& batch);
  Result<uint64_t> CurrentVersion(const std::string& stream_id, const Batch& batch,
                                  StreamMeta* meta);
  Status Commit(Batch& batch);

  LogStore* const store_;
  const Options& options_;
  ErasureRegister* const erasure_register_;
  const std::function<void(uint64_t)> on_commit_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Job*> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  WriterStats stats_ GUARDED_BY(mu_);

  // Owned by the writer thread: the committed state it decides against.
  CommittedHead head_;
  std::unordered_map<std::string, StreamMeta> stream_cache_;
  // What the writer publishes of it, for every thread.
  CommittedVersions versions_;

  std::thread thread_;  // last: starts after every field above is ready
};

}  // namespace piseruma::engine
