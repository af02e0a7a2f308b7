// Command data from JSON: what protobuf's own JSON parser made of every valid command, with
// errors that name the field's path and the rule.
#include "workflows/command_json.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "tests/support/log_helpers.h"
#include "tests/workflows/command_fixtures.h"
#include "workflows/message_fields.h"
#include "workflows/proto/commands.pb.h"
#include "workflows/registry.h"

namespace piseruma::workflows {
namespace {

std::string Error(const std::string& command, const std::string& json) {
  auto r = ParseCommandJson(command, json);
  EXPECT_FALSE(r.ok()) << json;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

TEST(CommandJsonTest, EveryCommandFixtureReadsAsProtobufsJsonParserReadIt) {
  auto registry = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir());
  ASSERT_OK(registry);
  int checked = 0;
  for (const auto& definition : (*registry)->all()) {
    for (const auto& t : definition.transitions()) {
      const std::string json = testing::ValidJson(t.command(), "", "2026-06-01");
      auto ours = ParseCommandJson(t.command(), json);
      ASSERT_TRUE(ours.ok()) << t.command() << " " << json << ": " << ours.status().ToString();
      std::unique_ptr<google::protobuf::Message> theirs = NewCommandMessage(t.command());
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, theirs.get()).ok()) << json;
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(**ours, *theirs))
          << t.command() << "\nours:   " << (*ours)->ShortDebugString()
          << "\ntheirs: " << theirs->ShortDebugString();
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

// The other JSON forms protobuf's parser took for the same fields.
TEST(CommandJsonTest, OtherJsonFormsReadAsProtobufsJsonParserReadThem) {
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"RegisterParticipant",
       R"({"unhcrId":"MOR-1","householdSize":"4","languages":["ar"],"skills":null,)"
       R"("disability":{"selfCare":"a_lot_of_difficulty"},"phone":null})"},
      {"RegisterParticipant", R"({"household_size":2.0,"disability":{}})"},
      {"RecordPlacement", R"({"monthly_wage_mad":"3500.25","contract_type":"CDI"})"},
      {"RecordPlacement", R"({"monthlyWageMad":12000,"start_date":null})"},
      {"RecordEmploymentFollowUp", R"({"still_employed":false,"milestone":"month_3"})"},
  };
  for (const auto& [command, json] : bodies) {
    auto ours = ParseCommandJson(command, json);
    ASSERT_TRUE(ours.ok()) << json << ": " << ours.status().ToString();
    std::unique_ptr<google::protobuf::Message> theirs = NewCommandMessage(command);
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, theirs.get()).ok()) << json;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(**ours, *theirs))
        << json << "\nours:   " << (*ours)->ShortDebugString()
        << "\ntheirs: " << theirs->ShortDebugString();
  }
}

TEST(CommandJsonTest, EveryFieldTypeAndItsJsonForms) {
  auto reg = ParseCommandJson("RegisterParticipant", R"({
      "unhcr_id": "MOR-1", "householdSize": "4", "languages": ["ar", "fr"], "skills": null,
      "disability": {"seeing": "some_difficulty"}, "phone": null})");
  ASSERT_OK(reg);
  const auto& r = static_cast<const RegisterParticipant&>(**reg);
  EXPECT_EQ(r.household_size(), 4u) << "a whole number may come as a decimal string";
  EXPECT_EQ(r.languages_size(), 2);
  EXPECT_EQ(r.disability().seeing(), "some_difficulty");
  EXPECT_EQ(r.phone(), "") << "null leaves a field unset";

  auto placement = ParseCommandJson("RecordPlacement", R"({"monthly_wage_mad": "3500.5"})");
  ASSERT_OK(placement);
  EXPECT_EQ(static_cast<const RecordPlacement&>(**placement).monthly_wage_mad(), 3500.5);
  EXPECT_OK(ParseCommandJson("RegisterParticipant", R"({"household_size": 2.0})"));

  auto follow = ParseCommandJson("RecordEmploymentFollowUp", R"({"still_employed": false})");
  ASSERT_OK(follow);
  EXPECT_TRUE(static_cast<const RecordEmploymentFollowUp&>(**follow).has_still_employed())
      << "an optional false is present";
  EXPECT_OK(ParseCommandJson("AddNote", ""));
}

TEST(CommandJsonTest, BadDataNamesTheFieldAndTheRule) {
  EXPECT_EQ(Error("AddNote", R"({"text": 42})"), "data of AddNote: text must be a string");
  EXPECT_EQ(Error("AddNote", R"({"txt": "x"})"), "data of AddNote: txt is not a field of AddNote");
  EXPECT_EQ(Error("AddNote", "[1]"), "data of AddNote: the data must be an object");
  EXPECT_NE(Error("AddNote", "{nope").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(Error("Nope", "{}"), "unknown command 'Nope'");

  const std::string reg = "RegisterParticipant";
  EXPECT_EQ(Error(reg, R"({"household_size": -1})"),
            "data of RegisterParticipant: household_size must not be negative");
  EXPECT_EQ(Error(reg, R"({"household_size": 4294967296})"),
            "data of RegisterParticipant: household_size is out of range");
  for (const char* negative : {"-1.0", "\"-1\""}) {
    EXPECT_EQ(Error(reg, std::string(R"({"household_size": )") + negative + "}"),
              "data of RegisterParticipant: household_size must not be negative");
  }
  EXPECT_EQ(Error(reg, R"({"languages": ["ar", null]})"),
            "data of RegisterParticipant: languages[1] must not be null");
  EXPECT_EQ(Error(reg, R"({"household_size": 1.5})"),
            "data of RegisterParticipant: household_size must be a whole number");
  EXPECT_EQ(Error(reg, R"({"household_size": "4 people"})"),
            "data of RegisterParticipant: household_size must be a whole number");
  EXPECT_EQ(Error(reg, R"({"languages": "ar"})"),
            "data of RegisterParticipant: languages must be a list");
  EXPECT_EQ(Error(reg, R"({"languages": ["ar", 7]})"),
            "data of RegisterParticipant: languages[1] must be a string");
  EXPECT_EQ(Error(reg, R"({"disability": {"seeing": true}})"),
            "data of RegisterParticipant: disability.seeing must be a string");
  EXPECT_EQ(Error(reg, R"({"disability": "none"})"),
            "data of RegisterParticipant: disability must be an object");
  EXPECT_EQ(Error("RecordPlacement", R"({"monthly_wage_mad": "lots"})"),
            "data of RecordPlacement: monthly_wage_mad must be a number");
  for (const char* huge : {"1e999", "\"1e999\""}) {
    EXPECT_EQ(Error("RecordPlacement", std::string(R"({"monthly_wage_mad": )") + huge + "}"),
              "data of RecordPlacement: monthly_wage_mad must be a finite number");
  }
  EXPECT_EQ(Error("RecordEmploymentFollowUp", R"({"still_employed": "yes"})"),
            "data of RecordEmploymentFollowUp: still_employed must be true or false");
}

}  // namespace
}  // namespace piseruma::workflows
