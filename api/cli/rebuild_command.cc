// `piseruma rebuild [NAME...]`: folds the read models (projections) again from the first
// event of the log — all of them, or the ones named — with progress. The log is opened
// read-only; the projections database is written, so the server must be stopped first (it
// holds that database; its projections also rebuild themselves on start when their code
// version changed).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "api/cli/progress.h"
#include "engine/event_log.h"
#include "projections/runtime.h"
#include "workflows/registry.h"

namespace piseruma::cli {
namespace {

// Flags takes required positionals only; NAMEs are optional, so they are taken out first.
// Returns argv without the NAMEs (argv[0] kept), and the NAMEs.
std::pair<std::vector<char*>, std::vector<std::string>> SplitNames(int argc, char** argv) {
  std::vector<char*> rest{argv[0]};
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--", 2) != 0 && std::strcmp(argv[i], "-h") != 0) {
      names.emplace_back(argv[i]);
      continue;
    }
    rest.push_back(argv[i]);
    const bool takes_value =
        std::strchr(argv[i], '=') == nullptr &&
        (std::strcmp(argv[i], "--data") == 0 || std::strcmp(argv[i], "--definitions") == 0);
    if (takes_value && i + 1 < argc) rest.push_back(argv[++i]);
  }
  return {rest, names};
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

int RunRebuild(int argc, char** argv) {
  const std::vector<std::string> all = projections::ProjectionRuntime::Names();
  Flags f("rebuild",
          "Fold the read models again from the first event of the log, with progress.\n"
          "Arguments: [NAME...] the read models to rebuild, among " +
              Join(all) +
              " (default: all).\n"
              "Stop the server first: it holds the read models' database.");
  f.Add("data", "the data directory", "./data", "PISERUMA_DATA");
  f.Add("definitions", "the workflow definitions directory", workflows::DefaultDefinitionsDir());
  auto [rest, names] = SplitNames(argc, argv);
  if (int rc = ParseOrExit(f, static_cast<int>(rest.size()), rest.data(), "rebuild"); rc >= 0)
    return rc;
  for (const auto& n : names) {
    if (std::find(all.begin(), all.end(), n) == all.end()) {
      return Fail("rebuild", "unknown read model '" + n + "'; choose among " + Join(all));
    }
  }
  auto registry = workflows::WorkflowRegistry::LoadDirectory(f.Get("definitions"));
  if (!registry.ok()) return Fail("rebuild", registry.status().message());
  auto log = OpenReadOnly(f.Get("data"));
  if (!log.ok()) return Fail("rebuild", log.status().message());
  auto runtime = projections::ProjectionRuntime::Open(
      {.data_dir = f.Get("data"), .log = log->get(), .registry = *registry});
  if (!runtime.ok()) return Fail("rebuild", runtime.status().message());

  Progress progress("rebuild " + (names.empty() ? Join(all) : Join(names)));
  const auto start = std::chrono::steady_clock::now();
  Status s = (*runtime)->Rebuild(names, progress.Callback());
  (*runtime).reset();  // closing writes the final checkpoint
  if (!s.ok()) return Fail("rebuild", s.message());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t events = (*log)->HeadPosition();
  char summary[160];
  std::snprintf(summary, sizeof summary, "done: %llu events in %.1f s (%.0f events/s)",
                (unsigned long long)events, seconds,
                seconds > 0 ? static_cast<double>(events) / seconds : 0.0);
  progress.Done(summary);
  return 0;
}

}  // namespace piseruma::cli
