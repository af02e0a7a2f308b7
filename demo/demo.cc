#include "demo/demo.h"

#include <chrono>
#include <filesystem>

#include "demo/simulation.h"
#include "workflows/registry.h"

namespace piseruma::demo {
namespace {

constexpr uint64_t kMaxParticipants = 10'000'000;  // tasks address participants with 32 bits
constexpr uint32_t kMaxMonths = 120;
// 08:00 in Morocco (UTC+1) on the programme's first day.
constexpr int64_t kStartOfDayUtcSeconds = 7 * 3600;

Result<std::shared_ptr<const workflows::WorkflowRegistry>> LoadRegistry(
    const DemoOptions& options) {
  const std::string dir = options.definitions_dir.empty() ? workflows::DefaultDefinitionsDir()
                                                          : options.definitions_dir;
  return workflows::WorkflowRegistry::LoadDirectory(dir);
}

Status RequireEmptyDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return Status::Ok();
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::FailedPrecondition(dir +
                                      " exists and is not a directory; choose another --data");
  }
  if (!std::filesystem::is_empty(dir, ec)) {
    return Status::FailedPrecondition(
        dir +
        " already holds data; the demo only writes into a new or empty "
        "directory (choose another --data, or remove it first)");
  }
  return Status::Ok();
}

// Opens the log at options.data_dir, lives through the programme, syncs, closes.
Result<DemoReport> Generate(const DemoOptions& options,
                            std::shared_ptr<const workflows::WorkflowRegistry> registry,
                            const DemoProgressFn& progress) {
  const auto start = workflows::ParseDate(registry->params().programme_start());
  if (!start) {
    return Status::InvalidArgument("programme_start is not a date: " +
                                   registry->params().programme_start());
  }
  DemoReport report;
  const auto& cities = registry->params().cities();
  report.users =
      DemoStaff(options.participants, std::vector<std::string>(cities.begin(), cities.end()));
  engine::ManualClock clock((*start * 86400 + kStartOfDayUtcSeconds) * 1'000'000);
  // Event ids, data keys and nonces come from the seed too: the same seed, the same bytes.
  engine::SeededRandom random(MixSeed(options.seed, "engine"));
  engine::Options log_options;
  log_options.data_dir = options.data_dir;
  log_options.clock = &clock;
  log_options.random = &random;
  log_options.durable_appends = false;  // one WAL sync at the end: a failed run starts over
  PSR_ASSIGN_OR_RETURN(auto log, engine::EventLog::Open(log_options));
  {
    Simulation simulation(options, log.get(), &clock, registry, report.users, &report);
    PSR_RETURN_IF_ERROR(simulation.Run(progress));
  }
  PSR_RETURN_IF_ERROR(log->SyncWal());
  PSR_ASSIGN_OR_RETURN(engine::LogStats stats, log->Stats());
  report.events = stats.events;
  report.head_hash = stats.head_hash;
  return report;
}

}  // namespace

Result<std::vector<DemoUser>> DemoUsers(const DemoOptions& options) {
  PSR_ASSIGN_OR_RETURN(auto registry, LoadRegistry(options));
  const auto& cities = registry->params().cities();
  return DemoStaff(options.participants, std::vector<std::string>(cities.begin(), cities.end()));
}

Result<DemoReport> RunDemo(const DemoOptions& options, const DemoProgressFn& progress) {
  const auto began = std::chrono::steady_clock::now();
  if (options.participants == 0 || options.participants > kMaxParticipants) {
    return Status::InvalidArgument("--participants must be between 1 and " +
                                   std::to_string(kMaxParticipants));
  }
  if (options.months == 0 || options.months > kMaxMonths) {
    return Status::InvalidArgument("--months must be between 1 and " + std::to_string(kMaxMonths));
  }
  PSR_ASSIGN_OR_RETURN(auto registry, LoadRegistry(options));
  PSR_RETURN_IF_ERROR(RequireEmptyDirectory(options.data_dir));
  auto report = Generate(options, registry, progress);
  if (!report.ok()) {
    // Leave the directory as it was found, so that the next attempt (or a server's first
    // start) does not mistake half a programme for data.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(options.data_dir, ec)) {
      std::filesystem::remove_all(entry.path(), ec);
    }
    return report.status();
  }
  report->elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return report;
}

}  // namespace piseruma::demo
