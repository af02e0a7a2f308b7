// Canonical bytes of an envelope, the input of its hash (version tag "PSR1"):
//
//   canonical := "PSR1" field[15]
//   field     := tag:u8 length:fixed32be bytes[length]
//   tags, in this order: 1 event_id, 2 stream_id, 3 stream_version (fixed64be),
//     4 position (fixed64be), 5 recorded_at_us (fixed64be, two's complement),
//     6 actor.user_id, 7 actor.role, 8 command_id, 9 correlation_id, 10 causation_id,
//     11 event_type, 12 schema_version (fixed64be), 13 payload, 14 subject,
//     15 sealed := count:fixed32be (path-field ciphertext-field)[count]
//   The hashed message is prev_hash[32] ‖ canonical.
//
// Protobuf's own serialization is not promised to be stable across versions, so the hash
// never depends on it: a verifier in any language can rebuild these bytes from the fields.
#include "engine/hash_chain.h"

#include <openssl/sha.h>

#include "engine/keys.h"

namespace piseruma::engine {
namespace {

void PutFixed32BE(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xFF));
}

void PutField(std::string* out, uint8_t tag, std::string_view bytes) {
  out->push_back(static_cast<char>(tag));
  PutFixed32BE(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

void PutU64Field(std::string* out, uint8_t tag, uint64_t v) {
  PutField(out, tag, keys::EncodeFixed64BE(v));
}

}  // namespace

const std::string& GenesisHash() {
  static const std::string* zero = new std::string(kHashSize, '\0');
  return *zero;
}

std::string CanonicalBytes(const Envelope& env) {
  std::string out;
  out.reserve(128 + env.payload().size() + env.sealed_size() * 64);
  out.append("PSR1");
  PutField(&out, 1, env.event_id());
  PutField(&out, 2, env.stream_id());
  PutU64Field(&out, 3, env.stream_version());
  PutU64Field(&out, 4, env.position());
  PutU64Field(&out, 5, static_cast<uint64_t>(env.recorded_at_us()));
  PutField(&out, 6, env.actor().user_id());
  PutField(&out, 7, env.actor().role());
  PutField(&out, 8, env.command_id());
  PutField(&out, 9, env.correlation_id());
  PutField(&out, 10, env.causation_id());
  PutField(&out, 11, env.event_type());
  PutU64Field(&out, 12, env.schema_version());
  PutField(&out, 13, env.payload());
  PutField(&out, 14, env.subject());
  out.push_back(static_cast<char>(15));
  PutFixed32BE(&out, static_cast<uint32_t>(env.sealed_size()));
  for (const auto& f : env.sealed()) {
    PutField(&out, 1, f.path());
    PutField(&out, 2, f.ciphertext());
  }
  return out;
}

std::string ComputeEventHash(const Envelope& env) {
  std::string message = env.prev_hash() + CanonicalBytes(env);
  std::string out(kHashSize, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

}  // namespace piseruma::engine
