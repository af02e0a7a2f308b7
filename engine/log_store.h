// LogStore: the open RocksDB database of an EventLog and typed access to its column
// families (layout in keys.cc). Internal to engine/; callers use EventLog.
//
// Thread-safety: RocksDB reads are thread-safe; writes go only through the group-commit
// writer thread (engine/group_commit.h).
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/log_types.h"
#include "engine/proto/envelope.pb.h"
#include "engine/status.h"

namespace piseruma::engine {

class LogStore {
 public:
  // Opens <data_dir>/db. See EventLog::Open for the error contract.
  static Result<std::unique_ptr<LogStore>> Open(const std::string& data_dir, bool create_if_missing,
                                                bool read_only);
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;
  ~LogStore();

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* meta() const { return cf_[0]; }
  rocksdb::ColumnFamilyHandle* events() const { return cf_[1]; }
  rocksdb::ColumnFamilyHandle* stream_index() const { return cf_[2]; }
  rocksdb::ColumnFamilyHandle* streams() const { return cf_[3]; }
  rocksdb::ColumnFamilyHandle* commands() const { return cf_[4]; }
  rocksdb::ColumnFamilyHandle* data_keys() const { return cf_[5]; }
  rocksdb::ColumnFamilyHandle* erasures() const { return cf_[6]; }
  rocksdb::ColumnFamilyHandle* snapshots() const { return cf_[7]; }
  bool read_only() const { return read_only_; }
  const std::string& data_dir() const { return data_dir_; }

  // Point reads; nullopt when absent, an error on I/O failure or an unparsable record.
  Result<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* cf, const std::string& key) const;
  Result<std::optional<Envelope>> GetEvent(uint64_t position) const;
  Result<std::optional<StreamMeta>> GetStreamMeta(const std::string& stream_id) const;
  Result<std::optional<std::string>> GetDataKey(const std::string& subject) const;
  Result<std::optional<ErasureRecord>> GetErasure(const std::string& subject) const;

  // The durable head: (0, genesis) for an empty log.
  Status LoadHead(uint64_t* position, std::string* hash) const;

 private:
  LogStore() = default;
  Status CheckFormat();

  std::string data_dir_;
  bool read_only_ = false;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cf_;  // owned; destroyed before db_
};

// Maps a RocksDB status to ours, with `what` saying what we were doing.
Status FromRocks(const rocksdb::Status& s, const std::string& what);

// The answer a command record stores, marked as a replay.
AppendResult AppendResultFromRecord(const CommandRecord& record);

// <data_dir>/db
std::string DbPath(const std::string& data_dir);

}  // namespace piseruma::engine
