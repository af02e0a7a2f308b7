// Online backup and restore with RocksDB's BackupEngine.
//
// A backup directory holds BackupEngine's files plus erasure-register.log, the union of the
// registers of every directory backed up into it. Restoring replaces <data_dir>/db, merges
// the backup's register into the data directory's, and reopens the log once, which forgets
// again every subject the register names (EventLog::Open reconciles).
#include <rocksdb/utilities/backup_engine.h>

#include <filesystem>
#include <set>

#include "engine/erasure_register.h"
#include "engine/event_log.h"
#include "engine/log_store.h"

namespace piseruma::engine {
namespace fs = std::filesystem;
namespace {

// Appends to `to_dir`'s register the records of `from_path` it does not hold yet.
Status MergeRegister(const std::string& from_path, const std::string& to_path) {
  PSR_ASSIGN_OR_RETURN(auto from, ErasureRegister::ReadAll(from_path));
  PSR_ASSIGN_OR_RETURN(auto to, ErasureRegister::ReadAll(to_path));
  std::set<std::string> have;
  for (const auto& r : to) have.insert(ErasureRegister::EncodeLine(r));
  std::vector<ErasureRecord> missing;
  for (const auto& r : from) {
    if (have.insert(ErasureRegister::EncodeLine(r)).second) missing.push_back(r);
  }
  if (missing.empty()) return Status::Ok();
  PSR_ASSIGN_OR_RETURN(auto reg, ErasureRegister::Open(to_path));
  return reg->Append(missing);
}

}  // namespace

Status EventLog::Backup(const std::string& backup_dir, const ProgressFn& progress) {
  std::error_code ec;
  fs::create_directories(backup_dir, ec);
  if (ec) return Status::InvalidArgument("cannot create backup directory " + backup_dir + ": " + ec.message());
  rocksdb::BackupEngine* raw = nullptr;
  PSR_RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngine::Open(rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir), &raw),
      "cannot open backup directory " + backup_dir));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  uint64_t steps = 0;
  rocksdb::CreateBackupOptions cbo;
  cbo.flush_before_backup = true;
  cbo.progress_callback = [&] {
    if (progress) progress(++steps, 0);
  };
  PSR_RETURN_IF_ERROR(FromRocks(engine->CreateNewBackup(cbo, store_->db()),
                                "backup into " + backup_dir + " failed"));
  return MergeRegister(ErasureRegisterPath(options_.data_dir), ErasureRegisterPath(backup_dir));
}

Status RestoreBackup(const std::string& backup_dir, const std::string& data_dir,
                     const ProgressFn& progress) {
  std::error_code ec;
  if (!fs::is_directory(backup_dir, ec)) return Status::NotFound("no backup directory at " + backup_dir);
  if (fs::exists(fs::path(DbPath(data_dir)) / "CURRENT", ec)) {
    // Refuse to overwrite a directory another process has open.
    auto probe = LogStore::Open(data_dir, false, false);
    if (!probe.ok()) return probe.status();
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  PSR_RETURN_IF_ERROR(FromRocks(rocksdb::BackupEngineReadOnly::Open(
                                    rocksdb::Env::Default(), rocksdb::BackupEngineOptions(backup_dir), &raw),
                                "cannot open backup directory " + backup_dir));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return Status::NotFound(backup_dir + " holds no backup");
  fs::create_directories(DbPath(data_dir), ec);
  if (ec) return Status::Internal("cannot create " + DbPath(data_dir) + ": " + ec.message());
  if (progress) progress(0, 2);
  PSR_RETURN_IF_ERROR(FromRocks(engine->RestoreDBFromLatestBackup(DbPath(data_dir), DbPath(data_dir)),
                                "restore from " + backup_dir + " failed"));
  PSR_RETURN_IF_ERROR(MergeRegister(ErasureRegisterPath(backup_dir), ErasureRegisterPath(data_dir)));
  if (progress) progress(1, 2);
  // Opening once re-applies every erasure the restored database predates.
  Options options;
  options.data_dir = data_dir;
  options.create_if_missing = false;
  auto log = EventLog::Open(options);
  if (progress) progress(2, 2);
  return log.status();
}

}  // namespace piseruma::engine
