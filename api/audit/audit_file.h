// Audit files: one self-contained JSON file per case that a separate verifier can check
// without the server — the case's events (readable, and as length-delimited Protobuf), the
// canonical bytes of every other event between them and the signed checkpoint, and the
// checkpoint itself. The byte layout is the grammar at the top of audit_file.cc.
//
// What a verified file proves: every event in it is, byte for byte, the event the server's
// log held at its position; the case's stream is complete (dense versions, none hidden) up
// to the checkpoint; and the log's head at the checkpoint is the one the server's Ed25519
// key signed. It proves nothing about events after the checkpoint (they are reported).
//
// Thread-safety: pure functions over a thread-safe EventLog.
//
//   PSR_ASSIGN_OR_RETURN(boost::json::object file, BuildAuditFile(log, "case-7K2M", checkpoint,
//   "u-audit")); PSR_ASSIGN_OR_RETURN(FileVerification v, VerifyAuditFile(text, ""));
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/audit/checkpoint_signer.h"
#include "engine/event_log.h"

namespace piseruma::api::audit {

inline constexpr const char* kAuditFileFormat = "piseruma-audit-file-v1";

// The file for `case_id` (its stream and the cooperatives it joined). `checkpoint` may be
// nullopt (the file then proves internal consistency only) or older than the case's last
// events. kNotFound for an unknown case.
Result<boost::json::object> BuildAuditFile(const engine::EventLog& log, const std::string& case_id,
                                           const std::optional<Checkpoint>& checkpoint,
                                           const std::string& exported_by);

struct FileVerification {
  bool intact = false;   // every hash recomputed and chained, the signature valid
  bool covered = false;  // … and every case event is at or before the checkpoint
  uint64_t events = 0;   // case (and cooperative) events checked
  uint64_t chained = 0;  // positions recomputed in all
  uint64_t first_broken_position = 0;
  std::string problem;  // the first thing wrong, in plain words
  uint64_t checkpoint_position = 0;
  std::string public_key_hex;
  std::vector<std::string> notes;  // what is not proven
};

// Checks a file's text. `expected_public_key_hex` ("" = any) is the server's published key.
// kInvalidArgument when the text is not an audit file at all; a file that is one but does
// not verify is a FileVerification with intact = false.
Result<FileVerification> VerifyAuditFile(const std::string& text,
                                         const std::string& expected_public_key_hex);

}  // namespace piseruma::api::audit
