#include "workflows/definition_loader.h"

#include <gtest/gtest.h>

#include "workflows/registry.h"

namespace piseruma::workflows {
namespace {

TEST(DefinitionLoaderTest, TheShippedDefinitionsLoad) {
  auto reg = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir());
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  std::vector<std::string> names;
  for (const auto* d : (*reg)->LatestDefinitions()) names.push_back(d->name());
  EXPECT_EQ(names, (std::vector<std::string>{"case", "cooperative", "cooperative_membership", "employment",
                                             "microproject", "training"}));
  EXPECT_EQ((*reg)->params().cities_size(), 10);
  EXPECT_EQ((*reg)->params().cooperative_min_members(), 5u);
  EXPECT_EQ((*reg)->MachineOf("RecordPlacement"), "employment");
}

// A small valid definition; each test breaks one line of it.
std::string Def(const std::string& extra_transition = "", const std::string& extra = "") {
  return "name: \"demo\"\n"                                         // line 1
         "version: 1\n"                                             // 2
         "initial_state: \"open\"\n"                                // 3
         "states { name: \"open\" }\n"                              // 4
         "states { name: \"done\" }\n"                              // 5
         "transitions {\n"                                          // 6
         "  command: \"AddNote\" from: \"open\" to: \"done\"\n"     // 7
         "  event: \"NoteAdded\" roles: \"caseworker\"\n"           // 8
         "  fields { field: \"text\" required: true }\n"            // 9
         "}\n" +                                                    // 10
         extra_transition + extra;
}

std::string ErrorOf(const std::string& text) {
  auto r = ParseDefinition(text, "demo.v1.textproto");
  return r.ok() ? "OK" : r.status().message();
}

TEST(DefinitionLoaderTest, AValidDefinitionParses) { EXPECT_EQ(ErrorOf(Def()), "OK"); }

TEST(DefinitionLoaderTest, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"AddNote\" from: \"nowhere\" event: \"E\" roles: \"caseworker\" }\n")),
            "demo.v1.textproto:12: command AddNote starts from unknown state 'nowhere'");
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"AddNote\" from: \"open\"\n to: \"limbo\" event: \"E\" roles: \"caseworker\" }\n")),
            "demo.v1.textproto:13: command AddNote leads to unknown state 'limbo' (a transition to nowhere)");
  EXPECT_EQ(ErrorOf(Def("", "states { name: \"orphan\" }\n")),
            "demo.v1.textproto:11: state 'orphan' cannot be reached from 'open'");
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"AddNote\" from: \"open\" event: \"E\" roles: \"caseworker\" handler: \"magic\" }\n")),
            "demo.v1.textproto:11: command AddNote names handler 'magic', which does not exist");
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"Teleport\" from: \"open\" event: \"E\" roles: \"caseworker\" }\n")),
            "demo.v1.textproto:11: command Teleport has no message in workflows/proto/commands.proto");
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"AddNote\" from: \"open\" event: \"E\" roles: \"caseworker\"\n"
                        " fields { field: \"colour\" } }\n")),
            "demo.v1.textproto:13: rule on field 'colour', which AddNote does not have");
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"AddNote\" from: \"open\" event: \"E\" roles: \"wizard\" }\n")),
            "demo.v1.textproto:11: unknown role 'wizard' (caseworker, supervisor, admin)");
  EXPECT_EQ(ErrorOf(Def("", "deadlines { name: \"d\" start_on { event: \"Nope\" } days: 3 met_by { event: \"NoteAdded\" } }\n")),
            "demo.v1.textproto:11: deadline d starts on event 'Nope', which no transition of this workflow records");
  EXPECT_EQ(ErrorOf(Def("transitions {\n command: \"AddNote\" from: \"open\" event: \"E\" roles: \"caseworker\"\n"
                        " preconditions { name: \"astrology\" } }\n")),
            "demo.v1.textproto:13: unknown precondition 'astrology'");
  EXPECT_EQ(ErrorOf("name: \"demo\"\nversion: 1\nstates { name: \"open\" \n"),
            "demo.v1.textproto:4:1: Expected identifier, got: ");
  EXPECT_EQ(ErrorOf("name: \"demo\"\nversion: 1\nstatez { }\n"),
            "demo.v1.textproto:3:8: Message type \"piseruma.workflows.WorkflowDefinition\" has no field named \"statez\".");
}

TEST(DefinitionLoaderTest, FileNameMustMatchNameAndVersion) {
  auto r = ParseDefinition(Def(), "other.v2.textproto");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "other.v2.textproto:1: the file of demo version 1 must be named demo.v1.textproto");
}

TEST(DefinitionLoaderTest, RegistryRefusesACommandInTwoWorkflows) {
  auto a = ParseDefinition(Def(), "demo.v1.textproto");
  ASSERT_TRUE(a.ok());
  WorkflowDefinition b = *a;
  b.set_name("other");
  auto reg = WorkflowRegistry::FromParts({*a, b}, ProgrammeParameters());
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.status().message(), "command AddNote belongs to both demo and other");
}

TEST(DefinitionLoaderTest, ProgrammeParametersAreChecked) {
  EXPECT_TRUE(ParseProgramme("cities: \"Rabat\" programme_start: \"2025-01-01\" tahfiz_window_start: \"2015-01-01\"\n"
                             "tahfiz_window_end: \"2022-12-31\" cooperative_min_members: 5 small_cell_threshold: 5",
                             "p").ok());
  auto bad = ParseProgramme("cities: \"Rabat\" programme_start: \"2025-13-01\"", "programme.textproto");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "programme.textproto:1: programme_start must be a date YYYY-MM-DD");
}

}  // namespace
}  // namespace piseruma::workflows
