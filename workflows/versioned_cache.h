// VersionedCache<T>: values derived from a stream at a version (its decoded state, a
// rendering of it), kept for recently used streams, so that work done for version v is not
// redone while the stream stays at v.
//
// A value is exact for "the stream after its first v events" forever: events never change
// once written, and everything cached is a pure function of them. The cache never decides
// what is current: the caller asks the log for the stream's version first (for states:
// folds the events after the cached version, if any) and uses a value only at that version.
//
// T provides `const std::string& stream_id() const` and `uint64_t version() const`.
// Bounded: at most capacity() values; the least recently used is evicted first.
//
// Thread-safety: every method is safe to call concurrently (one mutex per shard).
//
//   StreamStateCache cache(8192);
//   auto cached = cache.Find("case-7K2M9Q4A");   // null, or a state at some version
//   cache.Offer(std::make_shared<const StreamState>(folded));
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/thread_annotations.h"
#include "workflows/proto/state.pb.h"

namespace piseruma::workflows {

template <typename T>
class VersionedCache {
 public:
  // capacity = 0 caches nothing.
  explicit VersionedCache(size_t capacity)
      : capacity_(capacity), shards_(capacity >= 4 * kShards ? kShards : 1) {
    per_shard_ = capacity_ / shards_.size();
  }
  VersionedCache(const VersionedCache&) = delete;
  VersionedCache& operator=(const VersionedCache&) = delete;

  // The newest value held for the stream, or null. It may be older than the log.
  std::shared_ptr<const T> Find(const std::string& stream_id) {
    if (per_shard_ == 0) return nullptr;
    Shard& shard = ShardOf(stream_id);
    std::lock_guard lock(shard.mu);
    auto it = shard.index.find(stream_id);
    if (it == shard.index.end()) return nullptr;
    shard.order.splice(shard.order.begin(), shard.order, it->second);
    return *it->second;
  }

  // Keeps `value` unless a value at the same or a newer version is already held. Values
  // of version 0 (a stream with no events) are not kept.
  void Offer(std::shared_ptr<const T> value) {
    if (per_shard_ == 0 || !value || value->version() == 0) return;
    Shard& shard = ShardOf(value->stream_id());
    std::shared_ptr<const T> evicted;  // released after the lock
    std::lock_guard lock(shard.mu);
    auto it = shard.index.find(value->stream_id());
    if (it != shard.index.end()) {
      if ((*it->second)->version() >= value->version()) return;
      evicted = std::move(*it->second);
      *it->second = std::move(value);
      shard.order.splice(shard.order.begin(), shard.order, it->second);
      return;
    }
    if (shard.order.size() >= per_shard_) {
      evicted = std::move(shard.order.back());
      shard.index.erase(evicted->stream_id());
      shard.order.pop_back();
    }
    shard.order.push_front(std::move(value));
    shard.index.emplace(shard.order.front()->stream_id(), shard.order.begin());
  }

  size_t size() const {
    size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard lock(shard.mu);
      n += shard.order.size();
    }
    return n;
  }
  size_t capacity() const { return capacity_; }

 private:
  // Enough shards that 64 request threads rarely wait on one another; a small cache keeps
  // one shard so that its bound is exact.
  static constexpr size_t kShards = 16;

  struct Shard {
    mutable std::mutex mu;
    // Most recently used first.
    std::list<std::shared_ptr<const T>> order GUARDED_BY(mu);
    std::unordered_map<std::string, typename std::list<std::shared_ptr<const T>>::iterator> index
        GUARDED_BY(mu);
  };
  Shard& ShardOf(const std::string& stream_id) {
    return shards_[std::hash<std::string>()(stream_id) % shards_.size()];
  }

  const size_t capacity_;
  size_t per_shard_ = 0;
  std::vector<Shard> shards_;
};

// Decoded stream states: CommandService::Load folds the events after the cached version.
using StreamStateCache = VersionedCache<StreamState>;

}  // namespace piseruma::workflows
