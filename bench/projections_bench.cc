// Projection benchmarks, on a synthetic programme of 1,000,000 events (about 37,000 cases
// and their cooperatives over two simulated years):
//
//   BM_RebuildAll          fold the whole log into every projection from position 1 —
//                          read, decode, fold, checkpoint — as `piseruma rebuild` does
//   BM_DashboardCommittee  the committee's dashboard: every table, with suppression
//   BM_DashboardSupervisor the same without suppression
//   BM_CaseList            one caseworker's overdue cases, first page
//   BM_Caseload            every caseworker's caseload in one city
//
// The log is bench/synthetic_programme.h's, written once (PISERUMA_BENCH_LOG=<dir> keeps it
// for later runs). Results, targets and the exact commands: docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/synthetic_programme.h"
#include "engine/clock.h"
#include "engine/event_log.h"
#include "projections/runtime.h"
#include "workflows/dates.h"
#include "workflows/registry.h"

namespace piseruma::projections {
namespace {

using bench::Registry;

using namespace workflows;  // Day, FormatDate

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "projections_bench: %s\n", what.c_str());
  std::abort();
}

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& what) {
    std::string tmpl = "/tmp/piseruma-bench-" + what + "-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) Die("cannot create a directory under /tmp");
    path_ = tmpl;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// ---- The fixture: the log, written once; the projections, rebuilt once --------------------

constexpr uint64_t kEvents = 1'000'000;

// CPU seconds used by the whole process (every thread, RocksDB's background work included):
// on a shared machine, events per CPU-second is what one dedicated core would sustain.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void ReportRates(benchmark::State& state, uint64_t events, double cpu_seconds) {
  state.SetItemsProcessed(static_cast<int64_t>(events));
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events_per_cpu_s"] = static_cast<double>(events) / cpu_seconds;
}

// PISERUMA_BENCH_LOG=<dir> keeps the generated log in <dir> and reuses it on later runs.
class Fixture {
 public:
  Fixture() : scratch_log_("projections-log"), projections_dir_("projections") {
    const char* keep = std::getenv("PISERUMA_BENCH_LOG");
    const std::string dir = keep && *keep ? keep : scratch_log_.path();
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(dir) / "db" / "CURRENT", ec)) Generate(dir);
    auto log = engine::EventLog::Open({.data_dir = dir, .read_only = true});
    if (!log.ok()) Die(log.status().ToString());
    log_ = std::move(*log);
    runtime_ = OpenRuntime(projections_dir_.path());
    if (Status s = runtime_->CatchUp(nullptr); !s.ok()) Die(s.ToString());
  }

  // checkpoint_every = 0: the runtime's defaults.
  std::unique_ptr<ProjectionRuntime> OpenRuntime(const std::string& dir,
                                                 uint64_t checkpoint_every = 0) {
    RuntimeOptions options{.data_dir = dir, .log = log_.get(), .registry = Registry()};
    if (checkpoint_every > 0) options.checkpoint_every = checkpoint_every;
    auto rt = ProjectionRuntime::Open(options);
    if (!rt.ok()) Die(rt.status().ToString());
    return std::move(*rt);
  }
  engine::EventLog& log() { return *log_; }
  ProjectionRuntime& runtime() { return *runtime_; }

 private:
  static void Generate(const std::string& dir) {
    engine::ManualClock clock(0);
    auto log = engine::EventLog::Open({.data_dir = dir, .clock = &clock, .durable_appends = false});
    if (!log.ok()) Die(log.status().ToString());
    const auto start = std::chrono::steady_clock::now();
    const uint64_t written = bench::WriteSyntheticProgramme(**log, clock, 2024, kEvents);
    std::fprintf(stderr, "projections_bench: wrote %llu events in %.1f s\n",
                 (unsigned long long)written,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  ScratchDir scratch_log_;
  ScratchDir projections_dir_;
  std::unique_ptr<engine::EventLog> log_;
  std::unique_ptr<ProjectionRuntime> runtime_;
};

Fixture& TheFixture() {
  static Fixture* fixture = new Fixture();  // built once, kept to the end
  return *fixture;
}

void BM_RebuildAll(benchmark::State& state) {
  Fixture& f = TheFixture();
  uint64_t folded = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    ScratchDir dir("rebuild");
    auto rt = f.OpenRuntime(dir.path(), static_cast<uint64_t>(state.range(0)));
    if (Status s = rt->CatchUp(nullptr); !s.ok()) Die(s.ToString());
    folded += rt->AppliedPosition();
    rt.reset();  // the final checkpoint is part of a rebuild
  }
  ReportRates(state, folded, ProcessCpuSeconds() - cpu_start);
}
// Argument: events between checkpoints; 0 = the runtime's defaults (1,000,000 events or 10 s).
BENCHMARK(BM_RebuildAll)
    ->Arg(0)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// The floor under BM_RebuildAll: the same catch-up subscription over the same log, with a
// handler that does nothing (reading and parsing the envelopes only).
void BM_ReadLogOnly(benchmark::State& state) {
  Fixture& f = TheFixture();
  uint64_t read = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    std::atomic<uint64_t> seen{0};
    engine::CatchUpSubscription sub(f.log(), {.from_position = 1},
                                    [&](const engine::RecordedEvent& e) {
                                      seen.store(e.envelope.position(), std::memory_order_release);
                                      return true;
                                    });
    while (seen.load(std::memory_order_acquire) < f.log().HeadPosition())
      f.log().WaitForPosition(UINT64_MAX, std::chrono::milliseconds(20));
    sub.Stop();
    read += seen.load();
  }
  ReportRates(state, read, ProcessCpuSeconds() - cpu_start);
}
BENCHMARK(BM_ReadLogOnly)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void Dashboard(benchmark::State& state, bool committee) {
  ProjectionRuntime& rt = TheFixture().runtime();
  size_t tables = 0;
  for (auto _ : state) {
    DashboardView v = rt.QueryDashboard({.suppress = committee, .threshold = 5});
    tables = v.tables.size();
    benchmark::DoNotOptimize(v);
  }
  state.counters["tables"] = static_cast<double>(tables);
}
void BM_DashboardCommittee(benchmark::State& state) { Dashboard(state, true); }
void BM_DashboardSupervisor(benchmark::State& state) { Dashboard(state, false); }
BENCHMARK(BM_DashboardCommittee)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DashboardSupervisor)->Unit(benchmark::kMillisecond);

void BM_CaseList(benchmark::State& state) {
  ProjectionRuntime& rt = TheFixture().runtime();
  const Day today = *ParseDate("2026-06-15");
  uint64_t total = 0;
  for (auto _ : state) {
    CasePage page =
        rt.QueryCases({.cities = {"Rabat"}, .caseworker_id = "u-cw-Rab-1", .limit = 50}, today);
    total = page.total;
    benchmark::DoNotOptimize(page);
  }
  state.counters["cases_matched"] = static_cast<double>(total);
}
BENCHMARK(BM_CaseList)->Unit(benchmark::kMillisecond);

void BM_Caseload(benchmark::State& state) {
  ProjectionRuntime& rt = TheFixture().runtime();
  const Day today = *ParseDate("2026-06-15");
  for (auto _ : state) {
    auto rows = rt.QueryCaseload({.group = CaseloadGroup::kCaseworker, .cities = {"Rabat"}}, today);
    benchmark::DoNotOptimize(rows);
  }
}
BENCHMARK(BM_Caseload)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace piseruma::projections
