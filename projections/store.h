// ProjectionStore: the projections' own RocksDB database, <data_dir>/projections — separate
// from the event log's <data_dir>/db, which the projections only read. Each projection owns
// a range of rows and one meta record (its code version and checkpoint); a projection's
// rows and its checkpoint are always written together in one WriteBatch, so after a crash
// the rows are exactly the fold of the events up to the checkpoint. Key layout: store.cc.
//
// Thread-safety: all methods are safe to call concurrently (RocksDB is); the runtime has a
// single writer.
//
//   PSR_ASSIGN_OR_RETURN(auto store, ProjectionStore::Open("./data"));
//   rocksdb::WriteBatch batch;
//   ProjectionStore::Rows(&batch, "dashboard").Put("t...", value);
//   ProjectionStore::StageMeta(&batch, "dashboard", meta);
//   PSR_RETURN_IF_ERROR(store->Write(&batch));
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "projections/proto/rows.pb.h"

namespace piseruma::projections {

// Where a commit goes. The store is one; tests wrap it to inject a crash at a chosen commit
// (fault injection through a wrapper, like LevelDB's SpecialEnv).
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // Applies the whole batch or nothing.
  virtual Status Write(rocksdb::WriteBatch* batch) = 0;
};

// The rows of one projection inside a batch: keys are relative to the projection's range.
// Intentionally copyable; REQUIRES: the batch outlives it.
class RowWriter {
 public:
  RowWriter(rocksdb::WriteBatch* batch, std::string prefix)
      : batch_(batch), prefix_(std::move(prefix)) {}
  void Put(std::string_view key, std::string_view value) { Put('\0', key, value); }
  void Delete(std::string_view key);
  // The row `kind` ‖ id (kind 0: the id alone).
  void Put(char kind, std::string_view id, std::string_view value);

 private:
  const std::string& Key(char kind, std::string_view id);

  rocksdb::WriteBatch* batch_;
  std::string prefix_;
  std::string key_;  // reused
};

// Called for each row of a range, in key order; a non-OK status stops the scan.
using RowVisitor = std::function<Status(std::string_view key, std::string_view value)>;

class ProjectionStore final : public BatchSink {
 public:
  // Opens (creating if missing) <data_dir>/projections. kUnavailable when another process
  // holds it, kFailedPrecondition for a newer format, kDataLoss when damaged.
  static Result<std::unique_ptr<ProjectionStore>> Open(const std::string& data_dir);
  ProjectionStore(const ProjectionStore&) = delete;
  ProjectionStore& operator=(const ProjectionStore&) = delete;
  ~ProjectionStore() override;

  // The meta record of `name`; nullopt when the projection never committed.
  Result<std::optional<ProjectionMeta>> LoadMeta(std::string_view name) const;
  // Every row of `name` (keys relative to its range).
  Status ScanRows(std::string_view name, const RowVisitor& visit) const;
  // Every key and value of the database, raw (tests: proof that no personal byte is stored).
  Status ScanAll(const RowVisitor& visit) const;

  // Writes unsynced: a lost tail after a power cut loses rows and checkpoint together, and
  // the projection re-folds those events from the log.
  Status Write(rocksdb::WriteBatch* batch) override;

  // Batch builders. Rows(): the writer of `name`'s rows. StageMeta(): its meta record.
  // StageReset(): every row of `name` deleted and its checkpoint set to 0 (a rebuild).
  static RowWriter Rows(rocksdb::WriteBatch* batch, std::string_view name);
  static void StageMeta(rocksdb::WriteBatch* batch, std::string_view name,
                        const ProjectionMeta& meta);
  static void StageReset(rocksdb::WriteBatch* batch, std::string_view name, uint32_t version,
                         int64_t now_us);

 private:
  ProjectionStore() = default;
  Status CheckFormat();
  Status Scan(const std::string& from, const std::string& to, size_t strip,
              const RowVisitor& visit) const;

  std::unique_ptr<rocksdb::DB> db_;
  std::string path_;
};

// <data_dir>/projections
std::string ProjectionsPath(const std::string& data_dir);

}  // namespace piseruma::projections
