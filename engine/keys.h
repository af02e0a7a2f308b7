// The RocksDB layout of the event log: column family names and key encoders.
// The grammar of every key and value is at the top of engine/keys.cc.
//
// Thread-safety: pure functions.
//
//   std::string k = keys::EventKey(42);                 // 8 bytes, big-endian
//   std::string s = keys::StreamIndexKey("case-7", 3);  // "case-7" 0x00 fixed64be(3)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace piseruma::engine::keys {

// Column families, in the order they are opened.
inline constexpr const char* kMetaCf = "default";
inline constexpr const char* kEventsCf = "events";
inline constexpr const char* kStreamIndexCf = "stream_index";
inline constexpr const char* kStreamsCf = "streams";
inline constexpr const char* kCommandsCf = "commands";
inline constexpr const char* kDataKeysCf = "data_keys";
inline constexpr const char* kErasuresCf = "erasures";
inline constexpr const char* kSnapshotsCf = "snapshots";

// Keys of the meta (default) column family.
inline constexpr std::string_view kFormatVersionKey = "format_version";
inline constexpr std::string_view kHeadKey = "head";
inline constexpr std::string_view kStreamCountKey = "stream_count";

// The on-disk format this build writes and reads. Bump on any incompatible change.
inline constexpr uint32_t kFormatVersion = 1;

std::string EncodeFixed64BE(uint64_t v);
uint64_t DecodeFixed64BE(std::string_view s);  // REQUIRES: s.size() >= 8

std::string EventKey(uint64_t position);
std::string StreamIndexKey(std::string_view stream_id, uint64_t version);
// The prefix every index key of `stream_id` starts with.
std::string StreamIndexPrefix(std::string_view stream_id);
// Splits a stream index key; nullopt when malformed.
std::optional<std::pair<std::string, uint64_t>> ParseStreamIndexKey(std::string_view key);

// head value: fixed64be(position) ‖ hash[32]
std::string EncodeHead(uint64_t position, std::string_view hash);
bool DecodeHead(std::string_view value, uint64_t* position, std::string* hash);

}  // namespace piseruma::engine::keys
