// Sealing of personal fields with a per-subject data key (AES-256-GCM, OpenSSL EVP).
//
// A sealed value is nonce[12] ‖ ciphertext ‖ tag[16]; the additional authenticated data is
// subject ‖ 0x00 ‖ path, so a ciphertext copied onto another person or field fails to open.
// Destroying a subject's key (EventLog::Forget) makes every sealed value of theirs
// unreadable for good: crypto-shredding.
//
// Thread-safety: pure functions; `rng` must be thread-safe (all RandomSources are).
//
//   std::string key = NewDataKey(rng);
//   std::string sealed = SealField(key, "p-17", "participant.phone", "+212600000000", rng);
//   Result<std::string> clear = OpenField(key, "p-17", "participant.phone", sealed);
#pragma once

#include <string>
#include <string_view>

#include "engine/random.h"
#include "engine/status.h"

namespace piseruma::engine {

inline constexpr size_t kDataKeySize = 32;

std::string NewDataKey(RandomSource& rng);

// REQUIRES: key.size() == kDataKeySize.
std::string SealField(std::string_view key, std::string_view subject, std::string_view path,
                 std::string_view clear, RandomSource& rng);

// kDataLoss when the value was altered, or sealed for another subject, path or key.
Result<std::string> OpenField(std::string_view key, std::string_view subject, std::string_view path,
                         std::string_view sealed);

}  // namespace piseruma::engine
