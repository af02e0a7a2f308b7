#include "engine/keys.h"

#include <gtest/gtest.h>

namespace piseruma::engine::keys {
namespace {

TEST(KeysTest, BigEndianKeysSortNumerically) {
  EXPECT_LT(EventKey(255), EventKey(256));
  EXPECT_LT(EventKey(1), EventKey(1ull << 40));
  EXPECT_EQ(DecodeFixed64BE(EncodeFixed64BE(0x0102030405060708ull)), 0x0102030405060708ull);
}

TEST(KeysTest, StreamIndexKeysGroupByStreamThenVersion) {
  // "case-1" must not interleave with "case-10": the 0x00 separator sorts first.
  EXPECT_LT(StreamIndexKey("case-1", 999), StreamIndexKey("case-10", 1));
  EXPECT_LT(StreamIndexKey("case-1", 2), StreamIndexKey("case-1", 10));
  auto parsed = ParseStreamIndexKey(StreamIndexKey("coop-3", 42));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "coop-3");
  EXPECT_EQ(parsed->second, 42u);
  EXPECT_FALSE(ParseStreamIndexKey("short"));
}

TEST(KeysTest, HeadRoundTrips) {
  uint64_t pos = 0;
  std::string hash;
  ASSERT_TRUE(DecodeHead(EncodeHead(77, std::string(32, 'h')), &pos, &hash));
  EXPECT_EQ(pos, 77u);
  EXPECT_EQ(hash, std::string(32, 'h'));
  EXPECT_FALSE(DecodeHead("too short", &pos, &hash));
}

}  // namespace
}  // namespace piseruma::engine::keys
