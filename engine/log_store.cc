#include "engine/log_store.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <cstring>
#include <filesystem>

#include "engine/hash_chain.h"
#include "engine/keys.h"

namespace piseruma::engine {
namespace fs = std::filesystem;

std::string DbPath(const std::string& data_dir) { return (fs::path(data_dir) / "db").string(); }

AppendResult AppendResultFromRecord(const CommandRecord& rec) {
  AppendResult r;
  r.first_position = rec.first_position();
  r.last_position = rec.last_position();
  r.replayed = true;
  for (const auto& s : rec.streams())
    r.streams.push_back({s.stream_id(), s.first_version(), s.new_version()});
  return r;
}

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  const std::string detail = what + ": " + s.ToString();
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::Unavailable(what +
                               ": the data directory is in use by another process (is a "
                               "piseruma server running?); stop it or choose another --data");
  }
  if (s.IsCorruption()) return Status::DataLoss(detail + " — restore the directory from a backup");
  if (s.IsNotFound()) return Status::NotFound(detail);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return Status::Unavailable(detail);
  if (s.IsNoSpace()) return Status::ResourceExhausted(detail + " — the disk is full");
  return Status::Internal(detail);
}

namespace {

// The stream id of a stream index key, with its 0x00 separator (keys.cc).
class StreamIdPrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "piseruma.StreamIdPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const auto* zero = static_cast<const char*>(std::memchr(key.data(), 0, key.size()));
    return rocksdb::Slice(key.data(), static_cast<size_t>(zero - key.data()) + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), 0, key.size()) != nullptr;
  }
};

// How a column family's keys arrive, which decides how its memtable inserts them. Every
// append writes one key of each: events in position order (the skiplist's own sequential
// hint fits); stream index entries and stream metadata at streams scattered over the key
// space, so the memtable keeps a hint per stream — where that stream's last key went — and
// an insert lands beside it without a search from the top; command ids at random, so a
// hash of skiplist buckets takes them without searching one big skiplist.
enum class Arrival { kInOrder, kPerStream, kPerKey, kRandom };

// Buckets of the command ids' hashed memtable (8 bytes each).
constexpr size_t kCommandBuckets = 1 << 16;

rocksdb::ColumnFamilyOptions CfOptions(bool point_lookups, Arrival arrival = Arrival::kInOrder) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = nullptr;  // default 8 MiB LRU per CF; enough for a caseload
  if (point_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    // Most lookups (command ids, stream metadata) miss or hit fresh keys: a memtable bloom
    // filter answers them without walking the skiplist.
    cf.memtable_prefix_bloom_size_ratio = 0.05;
    cf.memtable_whole_key_filtering = true;
  }
  switch (arrival) {
    case Arrival::kInOrder:
      break;
    case Arrival::kPerStream:
      cf.memtable_insert_with_hint_prefix_extractor = std::make_shared<StreamIdPrefix>();
      break;
    case Arrival::kPerKey:
      cf.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewNoopTransform());
      break;
    case Arrival::kRandom:
      // The whole key is the "prefix": every bucket holds one id (and its rewrites). The
      // memtable bloom filter then holds each id once, as its prefix. An iterator over this
      // column family (none today) must set ReadOptions::total_order_seek, or it sees
      // nothing of the memtable.
      cf.prefix_extractor.reset(rocksdb::NewNoopTransform());
      cf.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory(kCommandBuckets));
      cf.memtable_whole_key_filtering = false;
      break;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.compression = rocksdb::kLZ4Compression;
  return cf;
}

std::vector<rocksdb::ColumnFamilyDescriptor> Descriptors() {
  return {
      {keys::kMetaCf, CfOptions(true)},
      {keys::kEventsCf, CfOptions(true)},
      {keys::kStreamIndexCf, CfOptions(false, Arrival::kPerStream)},
      {keys::kStreamsCf, CfOptions(true, Arrival::kPerKey)},
      {keys::kCommandsCf, CfOptions(true, Arrival::kRandom)},
      {keys::kDataKeysCf, CfOptions(true)},
      {keys::kErasuresCf, CfOptions(true)},
      {keys::kSnapshotsCf, CfOptions(true)},
  };
}

}  // namespace

Result<std::unique_ptr<LogStore>> LogStore::Open(const std::string& data_dir,
                                                 bool create_if_missing, bool read_only) {
  if (data_dir.empty()) return Status::InvalidArgument("the data directory path is empty");
  const std::string db_path = DbPath(data_dir);
  std::error_code ec;
  const bool exists = fs::exists(fs::path(db_path) / "CURRENT", ec);
  if (!exists && (read_only || !create_if_missing)) {
    if (fs::exists(data_dir, ec) && !fs::is_directory(data_dir, ec)) {
      return Status::InvalidArgument(data_dir + " is a file, not a piseruma data directory");
    }
    return Status::NotFound(
        "no piseruma data directory at " + data_dir +
        " (create one with `piseruma serve` or `piseruma demo`, or pass --data)");
  }
  if (!exists) {
    fs::create_directories(db_path, ec);
    if (ec) return Status::Internal("cannot create " + db_path + ": " + ec.message());
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = create_if_missing;
  db_options.create_missing_column_families = !read_only;
  db_options.max_background_jobs = 2;
  db_options.bytes_per_sync = 1 << 20;
  db_options.keep_log_file_num = 5;
  db_options.max_manifest_file_size = 64 << 20;
  // Hashed memtables (the command ids') take no concurrent inserts. Appends have a single
  // writer thread; the few other writes (snapshots) are inserted in turn by RocksDB.
  db_options.allow_concurrent_memtable_write = false;

  std::unique_ptr<LogStore> store(new LogStore());
  store->data_dir_ = data_dir;
  store->read_only_ = read_only;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, db_path, Descriptors(), &store->cf_, &raw)
          : rocksdb::DB::Open(db_options, db_path, Descriptors(), &store->cf_, &raw);
  if (!s.ok()) return FromRocks(s, "cannot open " + data_dir);
  store->db_.reset(raw);
  PSR_RETURN_IF_ERROR(store->CheckFormat());
  return store;
}

LogStore::~LogStore() {
  for (auto* h : cf_) {
    if (db_) db_->DestroyColumnFamilyHandle(h);
  }
  cf_.clear();
  if (db_) db_->Close().PermitUncheckedError();
}

Status LogStore::CheckFormat() {
  PSR_ASSIGN_OR_RETURN(auto stored, Get(meta(), std::string(keys::kFormatVersionKey)));
  if (!stored) {
    PSR_ASSIGN_OR_RETURN(auto head, Get(meta(), std::string(keys::kHeadKey)));
    if (head) {
      return Status::DataLoss(data_dir_ +
                              " has events but no format version: not a piseruma "
                              "log, or damaged");
    }
    if (read_only_) return Status::Ok();
    std::string v(4, '\0');
    for (int i = 0; i < 4; ++i) v[i] = static_cast<char>((keys::kFormatVersion >> (8 * i)) & 0xFF);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db_->Put(wo, meta(), std::string(keys::kFormatVersionKey), v),
                     "cannot initialise " + data_dir_);
  }
  if (stored->size() != 4)
    return Status::DataLoss(data_dir_ + ": the format version record is damaged");
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>((*stored)[i]);
  if (v > keys::kFormatVersion) {
    return Status::FailedPrecondition(data_dir_ + " was written by a newer piseruma (format " +
                                      std::to_string(v) + "; this build reads up to " +
                                      std::to_string(keys::kFormatVersion) + "): upgrade piseruma");
  }
  return Status::Ok();
}

Result<std::optional<std::string>> LogStore::Get(rocksdb::ColumnFamilyHandle* cf,
                                                 const std::string& key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf, key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "read failed");
  return std::optional<std::string>(std::move(value));
}

namespace {
template <typename Proto>
Result<std::optional<Proto>> ParseOptional(Result<std::optional<std::string>> raw,
                                           const std::string& what) {
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<Proto>();
  Proto p;
  if (!p.ParseFromString(**raw)) return Status::DataLoss(what + " is unreadable (damaged record)");
  return std::optional<Proto>(std::move(p));
}
}  // namespace

Result<std::optional<Envelope>> LogStore::GetEvent(uint64_t position) const {
  return ParseOptional<Envelope>(Get(events(), keys::EventKey(position)),
                                 "event at position " + std::to_string(position));
}

Result<std::optional<StreamMeta>> LogStore::GetStreamMeta(const std::string& stream_id) const {
  return ParseOptional<StreamMeta>(Get(streams(), stream_id), "metadata of stream " + stream_id);
}

Result<std::optional<std::string>> LogStore::GetDataKey(const std::string& subject) const {
  return Get(data_keys(), subject);
}

Result<std::optional<ErasureRecord>> LogStore::GetErasure(const std::string& subject) const {
  return ParseOptional<ErasureRecord>(Get(erasures(), subject), "erasure record of " + subject);
}

Status LogStore::LoadHead(uint64_t* position, std::string* hash) const {
  PSR_ASSIGN_OR_RETURN(auto raw, Get(meta(), std::string(keys::kHeadKey)));
  if (!raw) {
    *position = 0;
    *hash = GenesisHash();
    return Status::Ok();
  }
  if (!keys::DecodeHead(*raw, position, hash))
    return Status::DataLoss("the log head record is damaged");
  return Status::Ok();
}

}  // namespace piseruma::engine
