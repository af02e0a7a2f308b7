#include "workflows/stream_state_cache.h"

#include <functional>

namespace piseruma::workflows {
namespace {

// Enough shards that 64 request threads rarely wait on one another; a small cache keeps
// one shard so that its bound is exact.
constexpr size_t kShards = 16;

}  // namespace

StreamStateCache::StreamStateCache(size_t capacity)
    : capacity_(capacity), shards_(capacity >= 4 * kShards ? kShards : 1) {
  per_shard_ = capacity_ / shards_.size();
}

StreamStateCache::Shard& StreamStateCache::ShardOf(const std::string& stream_id) {
  return shards_[std::hash<std::string>()(stream_id) % shards_.size()];
}

std::shared_ptr<const StreamState> StreamStateCache::Find(const std::string& stream_id) {
  if (per_shard_ == 0) return nullptr;
  Shard& shard = ShardOf(stream_id);
  std::lock_guard lock(shard.mu);
  auto it = shard.index.find(stream_id);
  if (it == shard.index.end()) return nullptr;
  shard.order.splice(shard.order.begin(), shard.order, it->second);
  return *it->second;
}

void StreamStateCache::Offer(std::shared_ptr<const StreamState> state) {
  if (per_shard_ == 0 || !state || state->version() == 0) return;
  Shard& shard = ShardOf(state->stream_id());
  std::shared_ptr<const StreamState> evicted;  // released outside the lock
  std::lock_guard lock(shard.mu);
  auto it = shard.index.find(state->stream_id());
  if (it != shard.index.end()) {
    if ((*it->second)->version() >= state->version()) return;
    evicted = std::move(*it->second);
    *it->second = std::move(state);
    shard.order.splice(shard.order.begin(), shard.order, it->second);
    return;
  }
  if (shard.order.size() >= per_shard_) {
    evicted = std::move(shard.order.back());
    shard.index.erase(evicted->stream_id());
    shard.order.pop_back();
  }
  shard.order.push_front(std::move(state));
  shard.index.emplace(shard.order.front()->stream_id(), shard.order.begin());
}

size_t StreamStateCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.order.size();
  }
  return n;
}

}  // namespace piseruma::workflows
