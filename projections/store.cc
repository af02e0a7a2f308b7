// The projections' RocksDB layout (<data_dir>/projections, default column family). Every
// key and value the projections write:
//
//   "format_version"                    -> fixed32le(kFormatVersion)
//   "meta" 0x00 name                    -> ProjectionMeta (protobuf: code version, checkpoint)
//   "row" 0x00 name 0x00 row            -> the projection's row; row := kind id
//     case_summary  'c' case_id         -> CaseRow
//                   'k' cooperative_id  -> CooperativeStatus
//     dashboard     'p' case_id         -> DashCase
//                   'q' cooperative_id  -> DashCooperative
//                   't' table 0x00 row 0x00 col -> fixed64be(count, two's complement)
//     cooperatives  'o' cooperative_id  -> CooperativeRecord
//                   'm' case_id         -> participant code
//
// name, ids and table labels never contain 0x00. A projection's rows and its meta record
// are written in one WriteBatch; a rebuild is one batch of DeleteRange over
// ["row" 0x00 name 0x00, "row" 0x00 name 0x01) and a meta with checkpoint 0.
#include "projections/store.h"

#include <filesystem>

namespace piseruma::projections {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kFormatVersion = 1;
constexpr std::string_view kFormatKey = "format_version";

std::string MetaKey(std::string_view name) {
  return "meta" + std::string(1, '\0') + std::string(name);
}
std::string RowPrefix(std::string_view name) {
  std::string p = "row" + std::string(1, '\0') + std::string(name);
  p.push_back('\0');
  return p;
}
std::string RowLimit(std::string_view name) {
  std::string p = RowPrefix(name);
  p.back() = '\1';
  return p;
}

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  const std::string detail = what + ": " + s.ToString();
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::Unavailable(what +
                               ": the projections are in use by another process (is a piseruma "
                               "server running?); stop it first");
  }
  if (s.IsCorruption())
    return Status::DataLoss(detail + " — delete the projections directory and rebuild");
  if (s.IsNoSpace()) return Status::ResourceExhausted(detail + " — the disk is full");
  return Status::Internal(detail);
}

}  // namespace

std::string ProjectionsPath(const std::string& data_dir) {
  return (fs::path(data_dir) / "projections").string();
}

const std::string& RowWriter::Key(char kind, std::string_view id) {
  key_.assign(prefix_);
  if (kind != '\0') key_.push_back(kind);
  key_.append(id);
  return key_;
}

void RowWriter::Put(char kind, std::string_view id, std::string_view value) {
  batch_->Put(Key(kind, id), rocksdb::Slice(value.data(), value.size())).PermitUncheckedError();
}

void RowWriter::Delete(std::string_view key) {
  batch_->Delete(Key('\0', key)).PermitUncheckedError();
}

Result<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(const std::string& data_dir) {
  if (data_dir.empty()) return Status::InvalidArgument("the data directory path is empty");
  std::unique_ptr<ProjectionStore> store(new ProjectionStore());
  store->path_ = ProjectionsPath(data_dir);
  std::error_code ec;
  fs::create_directories(store->path_, ec);
  if (ec) return Status::Internal("cannot create " + store->path_ + ": " + ec.message());
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 5;
  options.compression = rocksdb::kLZ4Compression;
  rocksdb::DB* raw = nullptr;
  PSR_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(options, store->path_, &raw), "cannot open " + store->path_));
  store->db_.reset(raw);
  PSR_RETURN_IF_ERROR(store->CheckFormat());
  return store;
}

ProjectionStore::~ProjectionStore() {
  if (db_) db_->Close().PermitUncheckedError();
}

Status ProjectionStore::CheckFormat() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), std::string(kFormatKey), &value);
  if (s.IsNotFound()) {
    std::string v(4, '\0');
    for (int i = 0; i < 4; ++i) v[i] = static_cast<char>((kFormatVersion >> (8 * i)) & 0xFF);
    return FromRocks(db_->Put(rocksdb::WriteOptions(), std::string(kFormatKey), v),
                     "cannot initialise " + path_);
  }
  PSR_RETURN_IF_ERROR(FromRocks(s, "cannot read " + path_));
  if (value.size() != 4) return Status::DataLoss(path_ + ": the format version record is damaged");
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(value[i]);
  if (v > kFormatVersion) {
    return Status::FailedPrecondition(path_ + " was written by a newer piseruma (format " +
                                      std::to_string(v) +
                                      "): upgrade piseruma, or delete the directory to rebuild it");
  }
  return Status::Ok();
}

Result<std::optional<ProjectionMeta>> ProjectionStore::LoadMeta(std::string_view name) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), MetaKey(name), &value);
  if (s.IsNotFound()) return std::optional<ProjectionMeta>();
  PSR_RETURN_IF_ERROR(FromRocks(s, "cannot read the checkpoint of " + std::string(name)));
  ProjectionMeta meta;
  if (!meta.ParseFromString(value)) {
    return Status::DataLoss("the checkpoint of projection " + std::string(name) +
                            " is damaged; rebuild it");
  }
  return std::optional<ProjectionMeta>(std::move(meta));
}

Status ProjectionStore::Scan(const std::string& from, const std::string& to, size_t strip,
                             const RowVisitor& visit) const {
  rocksdb::ReadOptions ro;
  rocksdb::Slice upper(to);
  if (!to.empty()) ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  for (it->Seek(from); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    const rocksdb::Slice v = it->value();
    PSR_RETURN_IF_ERROR(visit(std::string_view(k.data() + strip, k.size() - strip),
                              std::string_view(v.data(), v.size())));
  }
  return FromRocks(it->status(), "cannot read " + path_);
}

Status ProjectionStore::ScanRows(std::string_view name, const RowVisitor& visit) const {
  const std::string prefix = RowPrefix(name);
  return Scan(prefix, RowLimit(name), prefix.size(), visit);
}

Status ProjectionStore::ScanAll(const RowVisitor& visit) const { return Scan("", "", 0, visit); }

Status ProjectionStore::Write(rocksdb::WriteBatch* batch) {
  return FromRocks(db_->Write(rocksdb::WriteOptions(), batch), "cannot write " + path_);
}

RowWriter ProjectionStore::Rows(rocksdb::WriteBatch* batch, std::string_view name) {
  return RowWriter(batch, RowPrefix(name));
}

void ProjectionStore::StageMeta(rocksdb::WriteBatch* batch, std::string_view name,
                                const ProjectionMeta& meta) {
  batch->Put(MetaKey(name), meta.SerializeAsString()).PermitUncheckedError();
}

void ProjectionStore::StageReset(rocksdb::WriteBatch* batch, std::string_view name,
                                 uint32_t version, int64_t now_us) {
  batch->DeleteRange(RowPrefix(name), RowLimit(name)).PermitUncheckedError();
  ProjectionMeta meta;
  meta.set_version(version);
  meta.set_checkpoint(0);
  meta.set_updated_at_us(now_us);
  StageMeta(batch, name, meta);
}

}  // namespace piseruma::projections
