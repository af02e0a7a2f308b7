// The event log's RocksDB layout. Every key and value piseruma writes:
//
//   cf default      "format_version" -> fixed32le(kFormatVersion)
//                   "head"           -> fixed64be(last position) hash[32]
//                   "stream_count"   -> fixed64be(number of streams)
//   cf events       fixed64be(position)                -> Envelope (protobuf)
//   cf stream_index stream_id 0x00 fixed64be(version)  -> fixed64be(position)
//   cf streams      stream_id                          -> StreamMeta (protobuf)
//   cf commands     command_id                         -> CommandRecord (protobuf)
//   cf data_keys    subject                            -> key[32]   (AES-256; deleted by Forget)
//   cf erasures     subject                            -> ErasureRecord (protobuf)
//   cf snapshots    stream_id                          -> Snapshot (protobuf)
//
// Big-endian integers make RocksDB's bytewise order the numeric order, so a forward
// iterator walks positions and versions in sequence. Stream ids never contain 0x00.
#include "engine/keys.h"

namespace piseruma::engine::keys {

std::string EncodeFixed64BE(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
  return out;
}

uint64_t DecodeFixed64BE(std::string_view s) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

std::string EventKey(uint64_t position) { return EncodeFixed64BE(position); }

std::string StreamIndexPrefix(std::string_view stream_id) {
  std::string out(stream_id);
  out.push_back('\0');
  return out;
}

std::string StreamIndexKey(std::string_view stream_id, uint64_t version) {
  return StreamIndexPrefix(stream_id) + EncodeFixed64BE(version);
}

std::optional<std::pair<std::string, uint64_t>> ParseStreamIndexKey(std::string_view key) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return std::nullopt;
  return std::make_pair(std::string(key.substr(0, key.size() - 9)),
                        DecodeFixed64BE(key.substr(key.size() - 8)));
}

std::string EncodeHead(uint64_t position, std::string_view hash) {
  return EncodeFixed64BE(position) + std::string(hash);
}

bool DecodeHead(std::string_view value, uint64_t* position, std::string* hash) {
  if (value.size() != 8 + 32) return false;
  *position = DecodeFixed64BE(value);
  hash->assign(value.substr(8));
  return true;
}

}  // namespace piseruma::engine::keys
