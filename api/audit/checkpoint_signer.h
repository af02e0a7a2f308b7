// Signed checkpoints: the log's head (position and hash) signed with the server's Ed25519
// key, so an auditor holding a checkpoint can later prove the log was only appended to.
//
// The key lives with the data, in <data_dir>/checkpoint-key.pem (PKCS#8, mode 0600),
// created on first use. Checkpoints are events "CheckpointSigned" in stream "checkpoints";
// their payload is the JSON object
//   {"position": N, "head_hash": hex, "signature": hex, "public_key": hex, "signed_at": RFC3339}
// and the signed message is the ASCII text "piseruma-checkpoint-v1\n<position>\n<head_hash hex>".
//
// Thread-safety: CheckpointSigner is thread-safe (the key is read-only after Open);
// VerifyCheckpointSignature is a pure function.
//
//   PSR_ASSIGN_OR_RETURN(auto signer, CheckpointSigner::Open(data_dir));
//   PSR_ASSIGN_OR_RETURN(Checkpoint cp, signer->Sign(&log, actor));
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>

#include "engine/event_log.h"

namespace piseruma::api::audit {

inline constexpr const char* kCheckpointStream = "checkpoints";
inline constexpr const char* kCheckpointType = "CheckpointSigned";

struct Checkpoint {
  uint64_t position = 0;
  std::string head_hash_hex;
  std::string signature_hex;   // 64 bytes
  std::string public_key_hex;  // 32 bytes, raw Ed25519
  std::string signed_at;
  uint64_t stored_at = 0;  // position of the CheckpointSigned event (0: not stored)

  boost::json::object ToJson() const;
  static Result<Checkpoint> FromJson(const boost::json::value& v);
};

// The message an Ed25519 signature of a checkpoint covers.
std::string CheckpointMessage(uint64_t position, const std::string& head_hash_hex);

// True when `signature_hex` is the Ed25519 signature by `public_key_hex` of the checkpoint.
bool VerifyCheckpointSignature(const Checkpoint& cp);

class CheckpointSigner {
 public:
  // Loads <data_dir>/checkpoint-key.pem, creating it (0600) when missing and `create`.
  static Result<std::unique_ptr<CheckpointSigner>> Open(const std::string& data_dir,
                                                        bool create = true);
  ~CheckpointSigner();
  CheckpointSigner(const CheckpointSigner&) = delete;
  CheckpointSigner& operator=(const CheckpointSigner&) = delete;

  // Verifies the chain since the last checkpoint, signs the head and appends the
  // checkpoint to stream "checkpoints" as `actor`. kDataLoss when the chain is broken.
  Result<Checkpoint> SignHead(engine::EventLog* log, const engine::Actor& actor) const;
  const std::string& public_key_hex() const { return public_key_hex_; }

 private:
  struct Key;
  explicit CheckpointSigner(std::unique_ptr<Key> key, std::string public_key_hex);
  std::unique_ptr<Key> key_;
  std::string public_key_hex_;
};

// The latest checkpoint in the log whose position is ≤ `at_or_before` (0: any), or nullopt.
Result<std::optional<Checkpoint>> LatestCheckpoint(const engine::EventLog& log,
                                                   uint64_t at_or_before = 0);

}  // namespace piseruma::api::audit
