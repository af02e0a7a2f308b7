// The tamper-evident hash chain over the global log.
//
//   hash(e) = SHA-256(prev_hash ‖ Canonical(e))
//
// where prev_hash is the hash of the event at position-1 (32 zero bytes at position 1) and
// Canonical is the byte grammar at the top of hash_chain.cc. The hash covers sealed
// ciphertexts, not clear values, so destroying a data key never breaks the chain.
//
// Thread-safety: pure functions.
//
//   env.set_prev_hash(head_hash);
//   env.set_hash(ComputeEventHash(env));
//   bool intact = ComputeEventHash(stored) == stored.hash();
#pragma once

#include <string>
#include <string_view>

#include "engine/proto/envelope.pb.h"

namespace piseruma::engine {

inline constexpr size_t kHashSize = 32;

// 32 zero bytes: the previous hash of the first event.
const std::string& GenesisHash();

// The canonical bytes of `env` without its hash field (prev_hash is included).
std::string CanonicalBytes(const Envelope& env);

// SHA-256(env.prev_hash ‖ Canonical(env)). Ignores env.hash.
std::string ComputeEventHash(const Envelope& env);

// Lowercase hex, for people and JSON.
std::string HexEncode(std::string_view bytes);

}  // namespace piseruma::engine
