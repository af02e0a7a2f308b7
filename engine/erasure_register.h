// ErasureRegister: the append-only file <data_dir>/erasure-register.log naming every subject
// whose data key was destroyed (who asked, when, under which request; no personal data).
//
// It lives outside the RocksDB directory, so restoring an older backup does not roll it
// back: on open, every subject it names is forgotten again (EventLog::Open reconciles).
// Each record is fsynced before the RocksDB batch that destroys the key is written.
//
// Thread-safety: Append() is called only by the writer thread; ReadAll() is a free read.
//
//   PSR_ASSIGN_OR_RETURN(auto reg, ErasureRegister::Open(path));
//   PSR_RETURN_IF_ERROR(reg->Append({record}));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/proto/envelope.pb.h"
#include "engine/status.h"

namespace piseruma::engine {

class ErasureRegister {
 public:
  // Opens (creating if needed) the register file for appending.
  static Result<std::unique_ptr<ErasureRegister>> Open(const std::string& path);
  ErasureRegister(const ErasureRegister&) = delete;
  ErasureRegister& operator=(const ErasureRegister&) = delete;
  ~ErasureRegister();

  // Appends the records and fsyncs. On failure nothing may be assumed written.
  Status Append(const std::vector<ErasureRecord>& records);

  // Every complete record of the file at `path`; an absent file is an empty register and a
  // torn last line (a crash mid-append) is ignored.
  static Result<std::vector<ErasureRecord>> ReadAll(const std::string& path);

  // Line format: "v1 \t subject \t erased_at_us \t user_id \t role \t request_ref \t position \n",
  // with '%', '\t' and '\n' percent-escaped inside fields.
  static std::string EncodeLine(const ErasureRecord& record);

 private:
  explicit ErasureRegister(int fd) : fd_(fd) {}
  int fd_;
};

// <data_dir>/erasure-register.log
std::string ErasureRegisterPath(const std::string& data_dir);

}  // namespace piseruma::engine
