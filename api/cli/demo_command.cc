// `piseruma demo`: generates a synthetic programme into a new data directory (demo/demo.h).
#include <algorithm>
#include <cstdio>
#include <map>

#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "api/cli/progress.h"
#include "demo/demo.h"

namespace piseruma::cli {
namespace {

constexpr const char* kCommand = "demo";

// 1234567 → "1,234,567"
std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void PrintSummary(const demo::DemoOptions& options, const demo::DemoReport& r) {
  std::printf("piseruma demo: a synthetic programme in %s — every person in it is fictitious\n",
              options.data_dir.c_str());
  std::printf("  simulated      %s to %s (%u months, seed %llu)\n", r.first_day.c_str(),
              r.last_day.c_str(), options.months, (unsigned long long)options.seed);
  std::printf("  participants   %s registered, %s cooperatives founded\n",
              Thousands(r.participants).c_str(), Thousands(r.cooperatives).c_str());
  std::printf(
      "  commands       %s accepted, %s refused on purpose (a consent forgotten, a role "
      "overstepped)\n",
      Thousands(r.commands).c_str(), Thousands(r.expected_refusals).c_str());
  std::printf("  events         %s, head hash %s\n", Thousands(r.events).c_str(),
              r.head_hash.c_str());
  std::printf("  overdue        %s deadlines marked overdue\n",
              Thousands(r.overdue_marked).c_str());
  std::string closures;
  for (const auto& [outcome, n] : r.closures_by_outcome) {
    closures += (closures.empty() ? "" : ", ") + outcome + " " + Thousands(n);
  }
  std::printf("  closures       %s\n", closures.empty() ? "none" : closures.c_str());
  std::printf("  transfers      %s accepted; %s erasures on request\n",
              Thousands(r.transfers).c_str(), Thousands(r.erasures).c_str());
  std::printf("  elapsed        %.1f s\n", r.elapsed_seconds);

  std::map<std::string, std::vector<const demo::DemoUser*>> by_role;
  for (const auto& u : r.users) by_role[u.role].push_back(&u);
  std::printf("\nusers (%zu), by role:\n", r.users.size());
  for (const char* role : {"admin", "supervisor", "caseworker", "auditor", "committee"}) {
    const auto& users = by_role[role];
    std::printf("  %-11s %zu\n", role, users.size());
    for (const auto* u : users) {
      std::string cities;
      for (const auto& c : u->cities) cities += (cities.empty() ? "" : ", ") + c;
      std::printf("      %-26s %s%s%s\n", u->user_id.c_str(), u->display_name.c_str(),
                  cities.empty() ? "" : "  [", cities.empty() ? "" : (cities + "]").c_str());
    }
  }
}

}  // namespace

int RunDemoCommand(int argc, char** argv) {
  Flags f(
      kCommand,
      "Generate a realistic synthetic PISERUMA programme (participants, caseworkers, pathways,\n"
      "cooperatives, deadlines) into a new data directory, through the same command handling as\n"
      "real users. The same seed gives the same log, byte for byte. Names and phone numbers are\n"
      "synthetic (\"… Exemple-0042\", +212 000 …): never real people.");
  f.Add("participants", "how many participants enter the programme", "2000");
  f.Add("months", "how many months to simulate from programme_start", "24");
  f.Add("seed", "random seed", "1");
  f.Add("data", "the data directory to create (must be new or empty)", "./data", "PISERUMA_DATA");
  if (int rc = ParseOrExit(f, argc, argv, kCommand); rc >= 0) return rc;
  demo::DemoOptions options;
  for (const auto& [name, out] :
       {std::pair<const char*, uint64_t*>{"participants", &options.participants},
        {"seed", &options.seed}}) {
    auto v = f.GetUint(name);
    if (!v.ok()) return Fail(kCommand, v.status().message());
    *out = *v;
  }
  auto months = f.GetUint("months");
  if (!months.ok()) return Fail(kCommand, months.status().message());
  options.months = static_cast<uint32_t>(std::min<uint64_t>(*months, UINT32_MAX));
  options.data_dir = f.Get("data");

  Progress progress("demo (simulated days)");
  auto report = demo::RunDemo(options, progress.Callback());
  if (!report.ok()) return Fail(kCommand, report.status().message());
  progress.Done("done");
  PrintSummary(options, *report);
  if (report->unexpected_refusals > 0) {
    std::fprintf(
        stderr,
        "\npiseruma demo: %llu commands were refused unexpectedly — a bug of the demo generator; "
        "the first ones:\n",
        (unsigned long long)report->unexpected_refusals);
    for (const auto& e : report->unexpected_examples) std::fprintf(stderr, "  %s\n", e.c_str());
    return 1;
  }
  return 0;
}

}  // namespace piseruma::cli
