// Event log benchmarks: what a caller of EventLog pays, next to what the same machine gives a
// plain RocksDB user, measured in one run so the ratio means something.
//
//   BM_DurableAppend/threads:N          N callers, each Append is one ~300-byte event,
//                                       acknowledged only after its group's WAL sync
//   BM_RawRocksDbSyncedWrite/threads:N  the peer baseline: one synced one-Put WriteBatch each
//   BM_ReadStream200                    ReadStream of a 200-event stream
//   BM_ScanLog/0                        ReadAll over a 1,000,000-event log, pages of 10,000
//   BM_ScanLog/1                        the same reading into one kept page (ReadAllInto), as
//                                       a catching-up subscription does
//
// Every log lives in a fresh directory under /tmp and is removed afterwards. Results, targets
// and the exact commands: docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "engine/event_log.h"

namespace piseruma::engine {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "event_log_bench: %s\n", what.c_str());
  std::abort();
}

// A fresh directory under /tmp, removed with its contents when destroyed.
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

std::unique_ptr<EventLog> OpenLog(const std::string& dir) {
  auto log = EventLog::Open({.data_dir = dir});
  if (!log.ok()) Die(log.status().ToString());
  return std::move(log).value();
}

// A serialized training-completion record, the size a workflow step typically writes.
const std::string& TrainingCompletedPayload() {
  static const std::string payload = [] {
    std::string p =
        R"({"participant":"P-000123","training":"OFPPT-couture","city":"Rabat","hours":120,)"
        R"("certificate":true,"note":")";
    p.append(300 - p.size() - 2, 'x');
    return p + "\"}";
  }();
  return payload;
}

NewEvent TrainingCompleted() {
  return NewEvent{.type = "TrainingCompleted", .payload = TrainingCompletedPayload()};
}

AppendRequest NewRequest(std::string command_id) {
  AppendRequest req;
  req.command_id = std::move(command_id);
  req.actor.set_user_id("u-bench");
  req.actor.set_role("caseworker");
  return req;
}

void AppendOrDie(EventLog& log, AppendRequest request) {
  auto r = log.Append(std::move(request));
  if (!r.ok()) Die(r.status().ToString());
}

// --- Durable appends ------------------------------------------------------------------------

// One log shared by every thread of a run: Setup opens it on the main thread before the
// workers start, Teardown closes and deletes it after they have all finished.
std::unique_ptr<ScratchDir> append_dir;
std::unique_ptr<EventLog> append_log;

void OpenAppendLog(const benchmark::State&) {
  append_dir = std::make_unique<ScratchDir>("append");
  append_log = OpenLog(append_dir->path());
}

void CloseAppendLog(const benchmark::State&) {
  append_log.reset();
  append_dir.reset();
}

void BM_DurableAppend(benchmark::State& state) {
  const std::string me = std::to_string(state.thread_index());
  const std::string stream_prefix = "case-" + me + "-";
  const std::string command_prefix = "cmd-" + me + "-";
  uint64_t i = 0;
  for (auto _ : state) {
    AppendRequest req = NewRequest(command_prefix + std::to_string(i));
    req.writes.push_back(
        {stream_prefix + std::to_string(i % 100), ExpectedVersion::Any(), {TrainingCompleted()}});
    auto r = append_log->Append(std::move(req));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    ++i;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  // Past the loop every thread has finished (the loop ends on a barrier); the log is fresh
  // for this run, so its writer stats are this run's. Only thread 0 reports them, as
  // counters are summed over threads.
  if (state.thread_index() == 0) {
    const WriterStats s = append_log->GetWriterStats();
    state.counters["events_per_sync"] =
        s.batches == 0 ? 0.0 : static_cast<double>(s.events) / static_cast<double>(s.batches);
    state.counters["largest_batch"] = static_cast<double>(s.largest_batch);
  }
}
BENCHMARK(BM_DurableAppend)
    ->Setup(OpenAppendLog)
    ->Teardown(CloseAppendLog)
    ->Threads(1)
    ->Threads(16)
    ->Threads(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// --- The peer baseline: raw synced RocksDB writes ---------------------------------------------

std::unique_ptr<ScratchDir> raw_dir;
std::unique_ptr<rocksdb::DB> raw_db;

void OpenRawDb(const benchmark::State&) {
  raw_dir = std::make_unique<ScratchDir>("rocksdb");
  rocksdb::Options options;  // RocksDB's defaults: what a user of the plain library gets
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, raw_dir->path(), &db);
  if (!s.ok()) Die(s.ToString());
  raw_db.reset(db);
}

void CloseRawDb(const benchmark::State&) {
  raw_db.reset();
  raw_dir.reset();
}

void BM_RawRocksDbSyncedWrite(benchmark::State& state) {
  const std::string key_prefix = "case-" + std::to_string(state.thread_index()) + "-";
  rocksdb::WriteOptions wo;
  wo.sync = true;
  uint64_t i = 0;
  for (auto _ : state) {
    rocksdb::WriteBatch wb;
    wb.Put(key_prefix + std::to_string(i++), TrainingCompletedPayload());
    rocksdb::Status s = raw_db->Write(wo, &wb);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_RawRocksDbSyncedWrite)
    ->Setup(OpenRawDb)
    ->Teardown(CloseRawDb)
    ->Threads(1)
    ->Threads(16)
    ->Threads(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// --- Reads ------------------------------------------------------------------------------------

// A log filled once, then closed and reopened, so reads come from table files and the block
// cache (as after a restart or once the memtable has flushed), not from the memtable.
class PreparedLog {
 public:
  PreparedLog(const std::string& what, const std::function<void(EventLog&)>& fill) : dir_(what) {
    fill(*OpenLog(dir_.path()));
    log_ = OpenLog(dir_.path());
  }
  EventLog& log() { return *log_; }

 private:
  ScratchDir dir_;  // outlives log_
  std::unique_ptr<EventLog> log_;
};

constexpr int kStreamEvents = 200;

// "case-read" gets one event per append, interleaved with 99 events of other streams, so its
// 200 events are spread over 20,000 positions as a long-lived case's are.
PreparedLog& StreamFixture() {
  static PreparedLog fixture("read", [](EventLog& log) {
    for (int i = 0; i < kStreamEvents; ++i) {
      AppendRequest req = NewRequest("prep-" + std::to_string(i));
      req.writes.push_back({"case-read", ExpectedVersion::Any(), {TrainingCompleted()}});
      StreamWrite other{"case-other-" + std::to_string(i % 50), ExpectedVersion::Any(), {}};
      other.events.assign(99, TrainingCompleted());
      req.writes.push_back(std::move(other));
      AppendOrDie(log, std::move(req));
    }
  });
  return fixture;
}

void BM_ReadStream200(benchmark::State& state) {
  EventLog& log = StreamFixture().log();
  for (auto _ : state) {
    auto events = log.ReadStream({.stream_id = "case-read", .limit = 1000});
    if (!events.ok() || events->size() != kStreamEvents) {
      state.SkipWithError("ReadStream did not return the 200 events");
      break;
    }
    benchmark::DoNotOptimize(events);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kStreamEvents);
}
BENCHMARK(BM_ReadStream200)->Unit(benchmark::kMicrosecond);

constexpr uint64_t kScanEvents = 1'000'000;
constexpr size_t kScanPage = 10'000;

// Reads the whole log in pages, each a new LogPage or (`reuse`) one page parsed over again;
// returns the number of events read.
uint64_t ScanAll(EventLog& log, bool reuse = false) {
  uint64_t read = 0;
  LogPage page;
  for (LogReadOptions o{.limit = kScanPage};; o.from_position = page.next_position) {
    if (reuse) {
      if (Status s = log.ReadAllInto(o, &page); !s.ok()) Die(s.ToString());
    } else {
      auto fresh = log.ReadAll(o);
      if (!fresh.ok()) Die(fresh.status().ToString());
      page = std::move(*fresh);
    }
    read += page.events.size();
    if (page.events.empty() || page.next_position > page.head_position) return read;
  }
}

// 1,000 appends of 1,000 events (50 streams × 20 events each) over 20,000 streams.
PreparedLog& ScanFixture() {
  static PreparedLog fixture("scan", [](EventLog& log) {
    constexpr int kAppends = kScanEvents / 1000;
    for (int i = 0; i < kAppends; ++i) {
      AppendRequest req = NewRequest("prep-" + std::to_string(i));
      for (int w = 0; w < 50; ++w) {
        StreamWrite write{
            "case-" + std::to_string((i * 50 + w) % 20'000), ExpectedVersion::Any(), {}};
        write.events.assign(20, TrainingCompleted());
        req.writes.push_back(std::move(write));
      }
      AppendOrDie(log, std::move(req));
    }
  });
  static const bool warmed = ScanAll(fixture.log()) == kScanEvents;  // fills the page cache
  if (!warmed) Die("the prepared log does not hold 1,000,000 events");
  return fixture;
}

void BM_ScanLog(benchmark::State& state) {
  EventLog& log = ScanFixture().log();
  uint64_t read = 0;
  for (auto _ : state) {
    const uint64_t n = ScanAll(log, state.range(0) == 1);
    if (n != kScanEvents) {
      state.SkipWithError("the scan did not read every event");
      break;
    }
    read += n;
  }
  state.SetItemsProcessed(static_cast<int64_t>(read));
}
BENCHMARK(BM_ScanLog)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace piseruma::engine
