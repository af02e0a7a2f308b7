// Personal data never reaches the projections: they read the log with personal fields
// sealed, and keep participant codes. The proof: register people with distinctive names,
// phones, dates of birth and addresses, write notes and reasons (all sealed fields), fold,
// then search every byte the projections database holds — its keys and values, and every
// file of its directory, WAL and tables included — for any of them; erase a person through
// ErasePersonalData and search again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "projections/runtime.h"
#include "tests/projections/projection_harness.h"
#include "tests/workflows/command_fixtures.h"

namespace piseruma::projections {
namespace {

using testing::Admin;
using testing::ProjectionHarness;

const std::vector<const char*> kPersonal = {
    "Zaynab Qx-Synthetique", "+212699887766",          "1988-07-19",         "17 rue Imaginaire",
    "note-private-7731",     "rationale-private-4410", "reason-private-2208"};

// Which of kPersonal appear in the raw bytes of `dir` (every file, recursively).
std::vector<std::string> FoundInFiles(const std::string& dir) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    for (const auto& p : kPersonal) {
      if (bytes.str().find(p) != std::string::npos)
        found.push_back(std::string(p) + " in " + entry.path().filename().string());
    }
  }
  return found;
}

std::vector<std::string> FoundInRows(const std::string& data_dir) {
  std::vector<std::string> found;
  auto store = ProjectionStore::Open(data_dir);
  EXPECT_OK(store);
  EXPECT_OK((*store)->ScanAll([&](std::string_view k, std::string_view v) {
    for (const auto& p : kPersonal) {
      if (k.find(p) != std::string_view::npos || v.find(p) != std::string_view::npos)
        found.push_back(p);
    }
    return Status::Ok();
  }));
  return found;
}

TEST(ErasureTest, NoPersonalFieldEverReachesTheProjections) {
  ProjectionHarness h;
  const std::string id = "case-Z0001";
  h.RunAndSync(id, "RegisterParticipant",
               h.Body("RegisterParticipant", {{"full_name", kPersonal[0]},
                                              {"phone", kPersonal[1]},
                                              {"date_of_birth", kPersonal[2]},
                                              {"address", kPersonal[3]}}));
  for (const auto& [purpose, recipient] : testing::AllConsents()) {
    h.RunAndSync(
        id, "RecordConsent",
        h.Body("RecordConsent", {{"purpose", purpose.c_str()}, {"recipient", recipient.c_str()}}));
  }
  h.RunAndSync(id, "RecordAssessment", h.Body("RecordAssessment"));
  h.RunAndSync(id, "OrientToPathway", h.Body("OrientToPathway", {{"rationale", kPersonal[5]}}));
  h.RunAndSync(id, "AddNote", h.Body("AddNote", {{"text", kPersonal[4]}}));
  h.RunAndSync(id, "ProposeClosure",
               h.Body("ProposeClosure", {{"outcome", "dropped_out"}, {"reason", kPersonal[6]}}));
  // The log holds them (sealed), so the search can find what is there:
  EXPECT_EQ(h.wf.log().ReadAt(1, true)->personal.at("full_name"), kPersonal[0]);

  EXPECT_EQ(h.runtime->GetCase(id, h.Today())->participant_code, "RAB-Z0001");
  h.Close();  // flushes nothing more than what was committed; the files are complete
  EXPECT_EQ(FoundInRows(h.wf.dir()), std::vector<std::string>{});
  EXPECT_EQ(FoundInFiles(ProjectionsPath(h.wf.dir())), std::vector<std::string>{});

  // Erasure: the case says so, and still nothing personal is anywhere.
  h.Open();
  h.RunAndSync(id, "ErasePersonalData", R"({"request_ref":"CNDP-2026-001"})", Admin());
  EXPECT_TRUE(h.runtime->GetCase(id, h.Today())->personal_data_erased);
  EXPECT_EQ(h.runtime->GetCase(id, h.Today())->unhcr_id, "");  // the list forgets the number
  ASSERT_OK(h.runtime->Rebuild({}, nullptr));
  EXPECT_TRUE(h.runtime->GetCase(id, h.Today())->personal_data_erased);
  EXPECT_EQ(h.runtime->GetCase(id, h.Today())->unhcr_id, "");
  h.Close();
  EXPECT_EQ(FoundInRows(h.wf.dir()), std::vector<std::string>{});
  EXPECT_EQ(FoundInFiles(ProjectionsPath(h.wf.dir())), std::vector<std::string>{});
}

}  // namespace
}  // namespace piseruma::projections
