#include "workflows/versioned_cache.h"

#include <gtest/gtest.h>

namespace piseruma::workflows {
namespace {

std::shared_ptr<const StreamState> At(const std::string& id, uint64_t version) {
  auto s = std::make_shared<StreamState>();
  s->set_stream_id(id);
  s->set_version(version);
  return s;
}

uint64_t VersionOf(StreamStateCache& cache, const std::string& id) {
  auto s = cache.Find(id);
  return s ? s->version() : 0;
}

TEST(VersionedCacheTest, KeepsTheNewestStateOffered) {
  StreamStateCache cache(8);
  EXPECT_EQ(cache.Find("case-A"), nullptr);
  cache.Offer(At("case-A", 3));
  EXPECT_EQ(VersionOf(cache, "case-A"), 3u);
  cache.Offer(At("case-A", 2));  // a slower reader's older fold never replaces a newer one
  EXPECT_EQ(VersionOf(cache, "case-A"), 3u);
  cache.Offer(At("case-A", 5));
  EXPECT_EQ(VersionOf(cache, "case-A"), 5u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(VersionedCacheTest, AStreamWithNoEventsIsNotKept) {
  StreamStateCache cache(8);
  cache.Offer(At("case-A", 0));
  EXPECT_EQ(cache.Find("case-A"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VersionedCacheTest, EvictsTheLeastRecentlyUsed) {
  StreamStateCache cache(3);
  cache.Offer(At("case-A", 1));
  cache.Offer(At("case-B", 1));
  cache.Offer(At("case-C", 1));
  ASSERT_NE(cache.Find("case-A"), nullptr);  // A is now the most recently used
  cache.Offer(At("case-D", 1));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Find("case-B"), nullptr) << "B was the least recently used";
  EXPECT_NE(cache.Find("case-A"), nullptr);
  EXPECT_NE(cache.Find("case-C"), nullptr);
  EXPECT_NE(cache.Find("case-D"), nullptr);
}

TEST(VersionedCacheTest, NeverHoldsMoreThanItsCapacity) {
  StreamStateCache cache(256);
  for (int i = 0; i < 10000; ++i) {
    cache.Offer(At("case-" + std::to_string(i), 1));
    ASSERT_LE(cache.size(), cache.capacity());
  }
  EXPECT_GT(cache.size(), 128u) << "the shards together use most of the capacity";
}

TEST(VersionedCacheTest, CapacityZeroCachesNothing) {
  StreamStateCache cache(0);
  cache.Offer(At("case-A", 1));
  EXPECT_EQ(cache.Find("case-A"), nullptr);
}

TEST(VersionedCacheTest, AHeldStateOutlivesItsEviction) {
  StreamStateCache cache(1);
  cache.Offer(At("case-A", 4));
  auto held = cache.Find("case-A");
  cache.Offer(At("case-B", 1));
  EXPECT_EQ(cache.Find("case-A"), nullptr);
  EXPECT_EQ(held->version(), 4u) << "a reader's state stays valid after eviction";
}

}  // namespace
}  // namespace piseruma::workflows
