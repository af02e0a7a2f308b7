// Subcommands that work on the event log itself: verify, stats, dump, backup, restore.
#include <cstdio>
#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "api/cli/progress.h"
#include "api/event_json.h"
#include "engine/event_log.h"

namespace piseruma::cli {
namespace {

constexpr const char* kDataHelp = "the data directory";

void AddDataFlag(Flags& f) { f.Add("data", kDataHelp, "./data", "PISERUMA_DATA"); }

std::string Human(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

int Fail(const char* command, const std::string& message) {
  std::fprintf(stderr, "piseruma %s: %s\n", command, message.c_str());
  return 2;
}

int ParseOrExit(Flags& f, int argc, char** argv, const char* command) {
  Status s = f.Parse(argc, argv);
  if (!s.ok()) return Fail(command, s.message());
  if (f.help_requested()) {
    std::fputs(f.Help().c_str(), stdout);
    return 0;
  }
  return -1;
}

Result<std::unique_ptr<engine::EventLog>> OpenReadOnly(const std::string& dir) {
  return engine::EventLog::Open({.data_dir = dir, .create_if_missing = false, .read_only = true});
}

int RunInit(int argc, char** argv) {
  Flags f("init", "Create an empty piseruma data directory (does nothing to an existing one).");
  AddDataFlag(f);
  if (int rc = ParseOrExit(f, argc, argv, "init"); rc >= 0) return rc;
  auto log = engine::EventLog::Open({.data_dir = f.Get("data")});
  if (!log.ok()) return Fail("init", log.status().message());
  const uint64_t head = (*log)->HeadPosition();
  if (head == 0) {
    std::printf("piseruma data directory ready at %s (empty)\n", f.Get("data").c_str());
  } else {
    std::printf("%s already holds a log of %llu events; left unchanged\n", f.Get("data").c_str(),
                (unsigned long long)head);
  }
  return 0;
}

int RunVerify(int argc, char** argv) {
  Flags f("verify",
          "Recompute the hash chain of the event log and report the first position where it "
          "breaks.\nExit code 0 when intact, 1 when broken.");
  AddDataFlag(f);
  f.Add("from", "first position to check", "1");
  f.Add("to", "last position to check (0 = the last event)", "0");
  f.Add("stream", "check one stream only (e.g. case-17)", "");
  if (int rc = ParseOrExit(f, argc, argv, "verify"); rc >= 0) return rc;
  auto from = f.GetUint("from");
  auto to = f.GetUint("to");
  if (!from.ok()) return Fail("verify", from.status().message());
  if (!to.ok()) return Fail("verify", to.status().message());
  auto log = OpenReadOnly(f.Get("data"));
  if (!log.ok()) return Fail("verify", log.status().message());

  Progress progress("verify");
  auto report = f.Get("stream").empty() ? (*log)->Verify(*from, *to, progress.Callback())
                                        : (*log)->VerifyStream(f.Get("stream"));
  if (!report.ok()) return Fail("verify", report.status().message());
  if (!report->intact) {
    progress.Done("BROKEN at position " + std::to_string(report->first_broken_position));
    std::printf("broken at position %llu: %s\n", (unsigned long long)report->first_broken_position,
                report->problem.c_str());
    return 1;
  }
  progress.Done("intact");
  if (report->checked == 0) {
    std::printf("intact: nothing to check (the log is empty)\n");
    return 0;
  }
  std::printf("intact: %llu events checked (positions %llu..%llu), head hash %s\n",
              (unsigned long long)report->checked, (unsigned long long)report->from,
              (unsigned long long)report->to, report->head_hash.c_str());
  return 0;
}

int RunStats(int argc, char** argv) {
  Flags f("stats", "Show the size of the event log: events, streams, last position, disk use.");
  AddDataFlag(f);
  f.AddSwitch("json", "print one JSON object instead of text");
  if (int rc = ParseOrExit(f, argc, argv, "stats"); rc >= 0) return rc;
  auto log = OpenReadOnly(f.Get("data"));
  if (!log.ok()) return Fail("stats", log.status().message());
  auto s = (*log)->Stats();
  if (!s.ok()) return Fail("stats", s.status().message());
  if (f.Has("json")) {
    boost::json::object o{{"events", s->events},
                          {"streams", s->streams},
                          {"head_position", s->head_position},
                          {"head_hash", s->head_hash},
                          {"disk_bytes", s->disk_bytes},
                          {"erased_subjects", s->erased_subjects}};
    std::cout << boost::json::serialize(o) << "\n";
    return 0;
  }
  std::printf("data directory   %s\n", f.Get("data").c_str());
  std::printf("events           %llu\n", (unsigned long long)s->events);
  std::printf("streams          %llu\n", (unsigned long long)s->streams);
  std::printf("last position    %llu\n", (unsigned long long)s->head_position);
  std::printf("head hash        %s\n", s->head_hash.c_str());
  std::printf("size on disk     %s\n", Human(s->disk_bytes).c_str());
  std::printf("erased subjects  %llu\n", (unsigned long long)s->erased_subjects);
  return 0;
}

int RunDump(int argc, char** argv) {
  Flags f("dump",
          "Print a stream's history as JSON lines, oldest first. Personal fields stay sealed.");
  AddDataFlag(f);
  f.Add("stream", "the stream to print (e.g. case-17); required", "");
  f.Add("limit", "print at most this many events (0 = all)", "0");
  if (int rc = ParseOrExit(f, argc, argv, "dump"); rc >= 0) return rc;
  if (f.Get("stream").empty()) return Fail("dump", "--stream is required (e.g. --stream case-17)");
  auto limit = f.GetUint("limit");
  if (!limit.ok()) return Fail("dump", limit.status().message());
  auto log = OpenReadOnly(f.Get("data"));
  if (!log.ok()) return Fail("dump", log.status().message());
  auto info = (*log)->GetStream(f.Get("stream"));
  if (!info.ok()) return Fail("dump", info.status().message());
  uint64_t printed = 0;
  for (uint64_t version = 1; version <= info->meta.version();) {
    auto page =
        (*log)->ReadStream({.stream_id = f.Get("stream"), .from_version = version, .limit = 1000});
    if (!page.ok()) return Fail("dump", page.status().message());
    if (page->empty()) break;
    for (const auto& ev : *page) {
      if (*limit != 0 && printed == *limit) return 0;
      std::cout << boost::json::serialize(api::EventToJson(ev, nullptr)) << "\n";
      ++printed;
    }
    version = page->back().envelope.stream_version() + 1;
  }
  return 0;
}

int RunBackup(int argc, char** argv) {
  Flags f("backup",
          "Take a consistent backup of the data directory into BACKUP_DIR (incremental: "
          "repeated backups into one directory share unchanged files).");
  AddDataFlag(f);
  f.AddPositional("BACKUP_DIR", "where to keep the backups");
  if (int rc = ParseOrExit(f, argc, argv, "backup"); rc >= 0) return rc;
  auto log = engine::EventLog::Open({.data_dir = f.Get("data"), .create_if_missing = false});
  if (!log.ok()) return Fail("backup", log.status().message());
  Progress progress("backup");
  uint64_t steps = 0;
  Status s = (*log)->Backup(f.Get("BACKUP_DIR"), [&](uint64_t done, uint64_t) {
    steps = done;
    if (done % 64 == 0) std::fprintf(stderr, ".");
  });
  if (!s.ok()) return Fail("backup", s.message());
  progress.Done("done: " + std::to_string((*log)->HeadPosition()) + " events backed up into " +
                f.Get("BACKUP_DIR"));
  return 0;
}

int RunRestore(int argc, char** argv) {
  Flags f("restore",
          "Restore the latest backup of BACKUP_DIR into the data directory, replacing its "
          "database. Subjects erased after the backup was taken are erased again.");
  AddDataFlag(f);
  f.AddPositional("BACKUP_DIR", "the directory `piseruma backup` wrote");
  if (int rc = ParseOrExit(f, argc, argv, "restore"); rc >= 0) return rc;
  Progress progress("restore");
  Status s = engine::RestoreBackup(f.Get("BACKUP_DIR"), f.Get("data"), progress.Callback());
  if (!s.ok()) return Fail("restore", s.message());
  progress.Done("restored into " + f.Get("data") + "; run `piseruma verify` to check it");
  return 0;
}

}  // namespace piseruma::cli
