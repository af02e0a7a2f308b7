// Workflow benchmarks (issue 3): commands decided and appended per second on one case stream
// and across many, and loading a 500-event case with and without a snapshot.
// Results: docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "engine/event_log.h"
#include "workflows/command_service.h"

namespace piseruma::workflows {
namespace {

const UserContext kCaseworker{"u-bench", "caseworker", {"Rabat"}};

std::string Registration() {
  return R"({"unhcr_id":"MOR-1","full_name":"Bench Synthétique","sex":"female","date_of_birth":"1990-01-01",
             "nationality":"Syria","city":"Rabat","registered_on":"2026-01-02"})";
}

// A log in a temp directory with the real definitions; removed on destruction.
struct Fixture {
  explicit Fixture(bool durable = true) {
    dir = std::filesystem::temp_directory_path() / ("piseruma-wf-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto reg = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir());
    registry = *reg;
    log = std::move(*engine::EventLog::Open({.data_dir = dir.string(), .durable_appends = durable}));
    service = std::make_unique<CommandService>(log.get(), registry, engine::SystemClock::Default());
  }
  ~Fixture() {
    service.reset();
    log.reset();
    std::filesystem::remove_all(dir);
  }
  std::string NewCase(int n) {
    const std::string id = "case-B" + std::to_string(n);
    auto r = service->Execute({.stream_id = id, .command = "RegisterParticipant", .data_json = Registration(),
                               .command_id = "reg-" + id, .user = kCaseworker});
    if (!r.ok()) std::abort();
    return id;
  }
  std::filesystem::path dir;
  std::shared_ptr<const WorkflowRegistry> registry;
  std::unique_ptr<engine::EventLog> log;
  std::unique_ptr<CommandService> service;
};

std::unique_ptr<Fixture> shared;
std::atomic<uint64_t> command_counter{0};

void SetUpShared(const benchmark::State&) { shared = std::make_unique<Fixture>(); }
void TearDownShared(const benchmark::State&) { shared.reset(); }

// Each thread works its own cases: load, decide, seal, durable append — the full path.
void BM_CommandsAcrossCases(benchmark::State& state) {
  const int base = state.thread_index() * 1000;
  std::vector<std::string> cases;
  for (int i = 0; i < 20; ++i) cases.push_back(shared->NewCase(base + i));
  size_t i = 0;
  for (auto _ : state) {
    auto r = shared->service->Execute({.stream_id = cases[i++ % cases.size()], .command = "AddNote",
                                       .data_json = R"({"text":"Suivi téléphonique","noted_on":"2026-01-03"})",
                                       .command_id = "c" + std::to_string(command_counter++), .user = kCaseworker});
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CommandsAcrossCases)->Setup(SetUpShared)->Teardown(TearDownShared)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

// Every thread on one case: conflicts are retried by the service (reload, decide again).
void BM_CommandsOnOneCase(benchmark::State& state) {
  static std::string id;
  if (state.thread_index() == 0) id = shared->NewCase(999'999);
  for (auto _ : state) {
    auto r = shared->service->Execute({.stream_id = id, .command = "AddNote", .data_json = R"({"text":"n"})",
                                       .command_id = "o" + std::to_string(command_counter++), .user = kCaseworker});
    if (!r.ok() && r.status().code() != StatusCode::kAborted) state.SkipWithError(r.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CommandsOnOneCase)->Setup(SetUpShared)->Teardown(TearDownShared)->Threads(1)->Threads(16)->UseRealTime();

// Loading a 500-event case: replay from the start vs. the latest snapshot (at version 500).
void BM_Load500EventCase(benchmark::State& state) {
  const bool snapshot = state.range(0) == 1;
  Fixture f(/*durable=*/false);
  const std::string id = f.NewCase(1);
  for (int i = 0; i < 499; ++i) {
    auto r = f.service->Execute({.stream_id = id, .command = "AddNote", .data_json = R"({"text":"note"})",
                                 .command_id = "n" + std::to_string(i), .user = kCaseworker});
    if (!r.ok()) std::abort();
  }
  for (auto _ : state) {
    auto s = snapshot ? f.service->Load(id) : f.service->LoadAsOf(id, f.log->HeadPosition());
    if (!s.ok() || s->version() != 500) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(s);
  }
  state.SetLabel(snapshot ? "snapshot at 500" : "replay of 500 events");
}
BENCHMARK(BM_Load500EventCase)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace piseruma::workflows
