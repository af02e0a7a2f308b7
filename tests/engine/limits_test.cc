#include "engine/limits.h"

#include <gtest/gtest.h>

#include "tests/support/log_helpers.h"

namespace piseruma::engine {
namespace {

using testing::Single;

TEST(LimitsTest, StreamIdRules) {
  Limits l;
  EXPECT_TRUE(ValidateStreamId("case-17", l).ok());
  EXPECT_TRUE(ValidateStreamId("coop:rabat/3", l).ok());
  EXPECT_EQ(ValidateStreamId("", l).violations().at(0).rule, "required");
  EXPECT_EQ(ValidateStreamId(std::string(201, 'a'), l).violations().at(0).rule, "max_length");
  EXPECT_EQ(ValidateStreamId(std::string("a\0b", 3), l).violations().at(0).rule, "charset");
  EXPECT_EQ(ValidateStreamId("case 1", l).violations().at(0).rule, "charset");
}

TEST(LimitsTest, AppendReportsEveryProblemAtOnce) {
  AppendRequest req = Single("", "", ExpectedVersion::Any(), {""});
  req.actor.clear_user_id();
  Status s = ValidateAppend(req, Limits());
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : s.violations()) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"command_id", "actor.user_id", "writes[0].stream_id",
                                              "writes[0].events[0].type"}));
}

TEST(LimitsTest, SizeLimits) {
  Limits l;
  l.max_event_bytes = 100;
  AppendRequest req = Single("c", "s", ExpectedVersion::Any(), {"T"});
  req.writes[0].events[0].payload = std::string(101, 'x');
  EXPECT_EQ(ValidateAppend(req, l).violations().at(0).rule, "max_size");
  req.writes[0].events[0].payload = std::string(50, 'x');
  req.writes[0].events[0].personal["name"] = "n";
  EXPECT_EQ(ValidateAppend(req, l).violations().at(0).field, "writes[0].events[0].subject")
      << "personal fields need a subject";
  AppendRequest empty = Single("c", "s", ExpectedVersion::Any(), {});
  EXPECT_EQ(ValidateAppend(empty, l).violations().at(0).rule, "required");
  AppendRequest twice = Single("c", "s", ExpectedVersion::Any(), {"T"});
  twice.writes.push_back(twice.writes[0]);
  EXPECT_EQ(ValidateAppend(twice, l).violations().at(0).rule, "unique");
}

TEST(LimitsTest, ExpectedVersionParsing) {
  EXPECT_EQ(ExpectedVersion::Parse("any")->kind(), ExpectedVersion::Kind::kAny);
  EXPECT_EQ(ExpectedVersion::Parse("no_stream")->kind(), ExpectedVersion::Kind::kNoStream);
  EXPECT_EQ(ExpectedVersion::Parse("12")->version(), 12u);
  for (const char* bad : {"", "0", "-1", "1x", "latest", "99999999999999999999999"}) {
    EXPECT_EQ(ExpectedVersion::Parse(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace piseruma::engine
