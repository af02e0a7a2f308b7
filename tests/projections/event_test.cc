#include "projections/event.h"

#include <gtest/gtest.h>

#include "tests/workflows/harness.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::projections {
namespace {

engine::RecordedEvent Raw(const std::string& stream, const std::string& payload) {
  engine::RecordedEvent e;
  e.envelope.set_stream_id(stream);
  e.envelope.set_position(7);
  e.envelope.set_payload(payload);
  return e;
}

TEST(EventTest, DecodesADomainEventWithoutItsPersonalFields) {
  testing::WorkflowHarness h;
  ASSERT_OK(h.RunValid("case-E1", "RegisterParticipant"));
  auto page = h.log().ReadAll({.from_position = 1, .open_personal = true});  // even when opened…
  ASSERT_OK(page);
  StreamIndex streams;
  EventDecoder decoder(&streams);
  auto decoded = decoder.Decode(page->events.at(0));
  ASSERT_OK(decoded);
  const ProjectionEvent* e = *decoded;
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, StreamKind::kCase);
  EXPECT_EQ(streams.Name(e->stream), "case-E1");
  EXPECT_EQ(e->month, "2026-06");
  const auto* m = e->As<workflows::RegisterParticipant>();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->city(), "Rabat");
  EXPECT_EQ(m->participant_code(), "RAB-E1");
  EXPECT_EQ(m->full_name(), "");  // …the projections never see a personal field
  EXPECT_EQ(m->phone(), "");
  EXPECT_EQ(e->As<workflows::RecordConsent>(), nullptr);
  EXPECT_EQ(e->header->transition().to_state(), "registered");
}

TEST(EventTest, SkipsTheEnginesStreamsAndRefusesDamagedEvents) {
  StreamIndex streams;
  EventDecoder decoder(&streams);
  auto skipped = decoder.Decode(Raw("$erasures", "whatever"));
  ASSERT_OK(skipped);
  EXPECT_EQ(*skipped, nullptr);
  EXPECT_EQ(decoder.Decode(Raw("case-1", "\x0f")).status().code(), StatusCode::kDataLoss);
  workflows::DomainEvent unknown;
  unknown.mutable_data()->set_type_url("type.googleapis.com/piseruma.workflows.NoSuchCommand");
  EXPECT_EQ(decoder.Decode(Raw("coop-1", unknown.SerializeAsString())).status().code(),
            StatusCode::kDataLoss);
}

}  // namespace
}  // namespace piseruma::projections
