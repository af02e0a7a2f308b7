// StreamStateCache: the decoded states of recently used streams, so that loading a stream
// folds only the events appended since it was last loaded instead of replaying it from its
// snapshot on every command and every read.
//
// An entry is a StreamState at the version it was folded to. It is never served as the
// current state by itself: CommandService::Load reads the stream's events after the
// entry's version from the log and folds them onto it, so the answer is exactly what a
// replay would give at that moment. Because evolve() is pure and an event, once written,
// never changes (its personal fields are not part of the state), a state at version v is
// valid forever for "the stream after its first v events".
//
// Bounded: at most capacity() entries; the least recently used entry is evicted first.
//
// Thread-safety: every method is safe to call concurrently (one mutex per shard).
//
//   StreamStateCache cache(8192);
//   auto cached = cache.Find("case-7K2M9Q4A");   // null, or a state at some version
//   cache.Offer(std::make_shared<const StreamState>(folded));
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/thread_annotations.h"
#include "workflows/proto/state.pb.h"

namespace piseruma::workflows {

class StreamStateCache {
 public:
  // capacity = 0 caches nothing.
  explicit StreamStateCache(size_t capacity);
  StreamStateCache(const StreamStateCache&) = delete;
  StreamStateCache& operator=(const StreamStateCache&) = delete;

  // The newest state held for the stream, or null. The state may be older than the log:
  // the caller folds the events after its version.
  std::shared_ptr<const StreamState> Find(const std::string& stream_id);
  // Keeps `state` (keyed by its stream_id()) unless a state at the same or a newer version
  // is already held. States of version 0 (no events) are not kept.
  void Offer(std::shared_ptr<const StreamState> state);

  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Shard {
    mutable std::mutex mu;
    // Most recently used first.
    std::list<std::shared_ptr<const StreamState>> order GUARDED_BY(mu);
    std::unordered_map<std::string, std::list<std::shared_ptr<const StreamState>>::iterator> index
        GUARDED_BY(mu);
  };
  Shard& ShardOf(const std::string& stream_id);

  const size_t capacity_;
  size_t per_shard_ = 0;
  std::vector<Shard> shards_;
};

}  // namespace piseruma::workflows
