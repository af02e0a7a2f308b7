// EventLog: piseruma's durable, hash-chained, append-only event store on RocksDB.
//
// Every event has a stream (a case, a cooperative, …), a dense 1-based version in that
// stream and a gapless 1-based global position. Appends are acknowledged only after their
// WAL record is synced; concurrent appends are group-committed by one writer thread into
// one WriteBatch and one sync. Each event's hash chains to the previous position's hash, so
// Verify() finds any altered byte. Personal fields are sealed per subject and can be
// crypto-shredded with Forget(). The RocksDB layout is documented in engine/keys.cc.
//
// Thread-safety: all methods are safe to call concurrently from any thread. Append and
// Forget block the caller until the write is durable (or failed).
//
//   PSR_ASSIGN_OR_RETURN(auto log, EventLog::Open({.data_dir = "./data"}));
//   PSR_ASSIGN_OR_RETURN(AppendResult r, log->Append(request));
//   PSR_ASSIGN_OR_RETURN(auto events, log->ReadStream({.stream_id = "case-17"}));
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/limits.h"
#include "engine/log_types.h"
#include "engine/random.h"
#include "engine/status.h"
#include "engine/thread_annotations.h"

namespace piseruma::engine {

class LogStore;
class GroupCommitWriter;
class ErasureRegister;

struct Options {
  // The data directory: RocksDB lives in <data_dir>/db, the erasure register beside it in
  // <data_dir>/erasure-register.log (outside the db, so restoring a backup keeps it).
  std::string data_dir = "./data";
  bool create_if_missing = true;
  // Read-only opens take no lock (a CLI may inspect a directory a server is writing) and
  // refuse every write with kFailedPrecondition.
  bool read_only = false;
  Clock* clock = SystemClock::Default();           // not owned; must outlive the log
  RandomSource* random = CryptoRandom::Default();  // not owned; must outlive the log
  Limits limits;
  // Sync the WAL before acknowledging each batch. Only a bulk generator that can start over
  // (`piseruma demo`) turns this off, and calls SyncWal() when done.
  bool durable_appends = true;
};

using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

struct StreamReadOptions {
  std::string stream_id;
  uint64_t from_version = 1;  // backward reads: the newest version to return (0 = the last)
  bool backward = false;
  size_t limit = 1000;
  bool open_personal = false;  // unseal personal fields (the caller must be allowed to)
};

struct LogReadOptions {
  uint64_t from_position = 1;
  size_t limit = 1000;
  std::vector<std::string> event_types;  // empty = every type
  std::string stream_prefix;             // empty = every stream
  bool open_personal = false;
};

struct LogPage {
  std::vector<RecordedEvent> events;
  uint64_t next_position = 1;  // where the next page starts (past filtered-out events too)
  uint64_t head_position = 0;  // the committed head when the page was read
};

struct VerifyReport {
  bool intact = true;
  uint64_t from = 0;
  uint64_t to = 0;
  uint64_t checked = 0;
  uint64_t first_broken_position = 0;  // 0 when intact
  std::string problem;                 // what is wrong there, in plain words
  std::string head_hash;               // hash at `to`, hex, when intact
};

struct ForgetRequest {
  std::string subject;
  Actor actor;
  std::string request_ref;  // the data-subject request this fulfils
  std::string command_id;   // idempotency key
  // Domain events written atomically with the erasure (e.g. a case's "data erased").
  std::vector<StreamWrite> also_append;
};

struct LogStats {
  uint64_t events = 0;
  uint64_t streams = 0;
  uint64_t head_position = 0;
  std::string head_hash;  // hex
  uint64_t disk_bytes = 0;
  uint64_t erased_subjects = 0;
};

struct WriterStats {
  uint64_t batches = 0;
  uint64_t appends = 0;
  uint64_t events = 0;
  uint64_t largest_batch = 0;  // appends in the largest batch so far
};

class EventLog {
 public:
  // Opens (or creates) the log. kNotFound for a missing directory with !create_if_missing,
  // kUnavailable when another process holds it, kFailedPrecondition for a newer format,
  // kDataLoss when it is not a piseruma log or is damaged. Every message is one line.
  static Result<std::unique_ptr<EventLog>> Open(const Options& options);

  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  // Drains queued appends, then closes the database.
  ~EventLog();

  // Appends atomically across the request's streams. kInvalidArgument on malformed input,
  // kAborted (with the actual version) on a version conflict, kFailedPrecondition for
  // personal data of an erased subject; nothing is written on any failure.
  Result<AppendResult> Append(AppendRequest request);

  // The answer recorded for a command id, or nullopt when it was never appended.
  Result<std::optional<AppendResult>> FindCommand(const std::string& command_id) const;

  Result<std::vector<RecordedEvent>> ReadStream(const StreamReadOptions& options) const;
  Result<LogPage> ReadAll(const LogReadOptions& options) const;
  // The same into `page`, whose events from an earlier read are parsed over in place, so a
  // reader that keeps its page (a subscription catching up) allocates almost nothing per
  // event. On failure the page's contents are unspecified.
  Status ReadAllInto(const LogReadOptions& options, LogPage* page) const;
  // The event at `position`; kNotFound past the head.
  Result<RecordedEvent> ReadAt(uint64_t position, bool open_personal) const;
  // kNotFound for a stream with no events.
  Result<StreamInfo> GetStream(const std::string& stream_id) const;
  // The stream's committed version (0: no events). From memory for the streams this
  // process wrote lately, else one point read of its metadata; never older than an append
  // already acknowledged.
  Result<uint64_t> StreamVersion(const std::string& stream_id) const;
  // Streams whose id starts with `prefix`, in id order, strictly after `after`.
  Result<std::vector<StreamInfo>> ListStreams(const std::string& prefix, const std::string& after,
                                              size_t limit) const;

  // Recomputes the chain over [from, to] (to = 0: the head). Reports the first break.
  Result<VerifyReport> Verify(uint64_t from, uint64_t to, const ProgressFn& progress) const;
  // Checks one stream: each event's own hash, its link to the global chain, dense versions.
  Result<VerifyReport> VerifyStream(const std::string& stream_id) const;

  // Destroys the subject's data key (crypto-shredding), records the erasure in the register
  // and the log. Afterwards the subject's personal fields read as kErased; the chain stays
  // intact. kFailedPrecondition when already forgotten. The register is written first: if
  // the database write then fails, the caller gets the error, yet the erasure is completed
  // on the next Open — once asked for, an erasure is never silently dropped.
  Result<AppendResult> Forget(ForgetRequest request);
  Result<std::optional<ErasureRecord>> GetErasure(const std::string& subject) const;

  // REQUIRES: snapshot.version() <= the stream's version. Replaces the stream's snapshot.
  // Snapshots must hold no personal fields in clear (they are not crypto-shredded).
  Status SaveSnapshot(const Snapshot& snapshot);
  Result<std::optional<Snapshot>> LoadSnapshot(const std::string& stream_id) const;

  // Makes every append so far durable (for logs opened with durable_appends = false).
  Status SyncWal();

  // A consistent online backup into `backup_dir` (RocksDB BackupEngine; incremental).
  Status Backup(const std::string& backup_dir, const ProgressFn& progress);

  uint64_t HeadPosition() const { return committed_head_.load(std::memory_order_acquire); }
  // Blocks until the committed head reaches `position` or `timeout` passes; true if reached.
  bool WaitForPosition(uint64_t position, std::chrono::milliseconds timeout) const;
  Result<LogStats> Stats() const;
  WriterStats GetWriterStats() const;
  const Options& options() const { return options_; }

 private:
  friend class GroupCommitWriter;
  EventLog(Options options, std::unique_ptr<LogStore> store);
  Status ReconcileErasureRegister();
  // Called by the writer after each durable batch.
  void PublishHead(uint64_t position) EXCLUDES(head_mu_);
  Status RequireWritable() const;
  // Opens (or marks erased, or leaves sealed) the personal fields of `event`.
  Status OpenPersonal(RecordedEvent* event, bool open_personal,
                      std::map<std::string, std::optional<std::string>>* key_cache) const;
  Result<RecordedEvent> ToRecorded(
      std::string_view bytes, uint64_t position, bool open_personal,
      std::map<std::string, std::optional<std::string>>* key_cache) const;

  const Options options_;
  std::unique_ptr<LogStore> store_;
  std::unique_ptr<ErasureRegister> erasure_register_;  // null when read-only
  std::unique_ptr<GroupCommitWriter> writer_;          // null when read-only; destroyed first

  std::atomic<uint64_t> committed_head_{0};
  mutable std::mutex head_mu_;
  mutable std::condition_variable head_cv_;
};

// Restores the latest backup in `backup_dir` into `data_dir` (replacing its database), then
// forgets again every subject named in either erasure register (the data directory's and
// the backup's). REQUIRES: no process has `data_dir` open.
Status RestoreBackup(const std::string& backup_dir, const std::string& data_dir,
                     const ProgressFn& progress);

}  // namespace piseruma::engine
