// CommittedVersions: the version of each stream the writer committed to lately, readable
// from any thread without touching RocksDB.
//
// The writer publishes a batch's streams after the batch is durable and before it answers
// the batch's callers, so whoever saw an append acknowledged then finds at least that
// version here. A stream missing from the table (not written since the log opened, or
// forgotten to stay within capacity) is simply unknown: ask the log's metadata instead.
//
// Thread-safety: Find() from any thread; Publish() from the writer thread (it is also safe
// from several, but then two publishers could order one stream's versions either way).
//
//   CommittedVersions versions(1 << 20);
//   versions.Publish("case-7K2M9Q4A", 12);
//   std::optional<uint64_t> v = versions.Find("case-7K2M9Q4A");  // 12
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/thread_annotations.h"

namespace piseruma::engine {

class CommittedVersions {
 public:
  // Past `capacity` streams, a full shard is emptied before it takes a new one.
  explicit CommittedVersions(size_t capacity) : per_shard_(capacity / kShards + 1) {}
  CommittedVersions(const CommittedVersions&) = delete;
  CommittedVersions& operator=(const CommittedVersions&) = delete;

  std::optional<uint64_t> Find(const std::string& stream_id) const {
    const Shard& shard = ShardOf(stream_id);
    std::lock_guard lock(shard.mu);
    auto it = shard.versions.find(stream_id);
    if (it == shard.versions.end()) return std::nullopt;
    return it->second;
  }

  void Publish(const std::string& stream_id, uint64_t version) {
    Shard& shard = ShardOf(stream_id);
    std::lock_guard lock(shard.mu);
    auto it = shard.versions.find(stream_id);
    if (it != shard.versions.end()) {
      it->second = version;
      return;
    }
    if (shard.versions.size() >= per_shard_) shard.versions.clear();
    shard.versions.emplace(stream_id, version);
  }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, uint64_t> versions GUARDED_BY(mu);
  };
  Shard& ShardOf(const std::string& id) { return shards_[std::hash<std::string>()(id) % kShards]; }
  const Shard& ShardOf(const std::string& id) const {
    return shards_[std::hash<std::string>()(id) % kShards];
  }

  const size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace piseruma::engine
