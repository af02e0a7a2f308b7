#include "tests/projections/projection_harness.h"

#include <gtest/gtest.h>

#include "tests/workflows/command_fixtures.h"
#include "workflows/dates.h"
#include "workflows/registry.h"

namespace piseruma::testing {

ProjectionHarness::ProjectionHarness(bool start) {
  auto reg = workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir());
  EXPECT_TRUE(reg.ok()) << reg.status().ToString();
  registry_ = *reg;
  Open({}, start);
}

ProjectionHarness::~ProjectionHarness() { Close(); }

void ProjectionHarness::Open(projections::RuntimeOptions options, bool start) {
  Close();
  options.data_dir = wf.dir();
  options.log = &wf.log();
  options.registry = registry_;
  auto rt = projections::ProjectionRuntime::Open(options);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  runtime = std::move(*rt);
  if (start) ASSERT_OK(runtime->Start());
}

void ProjectionHarness::Close() { runtime.reset(); }

void ProjectionHarness::Sync() {
  ASSERT_TRUE(runtime->WaitForPosition(wf.log().HeadPosition(), std::chrono::seconds(30)))
      << "the projections did not reach the head: " << runtime->status().ToString();
}

workflows::Day ProjectionHarness::Today() const { return *workflows::ParseDate(wf.Today()); }

std::string ProjectionHarness::FoundCooperative(const std::vector<std::string>& members) {
  char id[32];
  std::snprintf(id, sizeof id, "coop-T%03d", ++next_coop_);
  std::string list;
  for (const auto& m : members) list += (list.empty() ? "\"" : ",\"") + m + "\"";
  const std::string json = R"({"proposed_name":"Coop Synthétique )" + std::to_string(next_coop_) +
                           R"(","city":"Rabat","activity":"couture","founded_on":")" + wf.Today() +
                           R"(","member_case_ids":[)" + list + "]}";
  EXPECT_OK(wf.Run(id, "FoundCooperative", json));
  return id;
}

std::string ProjectionHarness::Body(
    const std::string& command,
    std::initializer_list<std::pair<const char*, boost::json::value>> fields) const {
  boost::json::object o = boost::json::parse(ValidJson(command, "", wf.Today())).as_object();
  for (const auto& [name, value] : fields) o[name] = value;
  return boost::json::serialize(o);
}

void ProjectionHarness::RunAndSync(const std::string& stream, const std::string& command,
                                   const std::string& json, const workflows::UserContext& user) {
  auto r = wf.Run(stream, command, json, user);
  ASSERT_TRUE(r.ok()) << command << ": " << r.status().ToString();
  ASSERT_TRUE(runtime->WaitForPosition(r->append.last_position, std::chrono::seconds(30)));
}

}  // namespace piseruma::testing
