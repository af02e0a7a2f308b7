// Crash durability of the event log: a child process (crash_appender) appends from several
// threads and acknowledges each append on stdout once EventLog::Append returned; the test
// SIGKILLs it at a random moment, reopens the log and checks that
//   (a) every acknowledged append is there, with its command id and stream versions,
//   (b) retrying an acknowledged command id replays the first answer and writes nothing,
//   (c) every command in the log was written whole (no half-written append),
//   (d) the hash chain verifies, and
//   (e) global positions are gapless and stream versions dense.
// The same data directory is reused for every cycle, so later cycles crash a bigger log.
//
// Reproduce a run's kill times with PISERUMA_CRASH_SEED=<seed printed on failure>.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/event_log.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::engine {
namespace {

constexpr int kCycles = 24;
constexpr int kMinRunMs = 50;
constexpr int kMaxRunMs = 400;
// The child is also killed once it has acknowledged this many appends, so the log, and the
// time each cycle spends verifying it, stay bounded however fast the disk syncs.
constexpr size_t kMaxAcksPerCycle = 1500;

struct StreamAck {
  std::string stream_id;
  uint64_t first_version = 0;
  uint64_t new_version = 0;
};

// One "ACK" line of crash_appender (its grammar is at the top of crash_appender.cc).
struct Ack {
  std::string command_id;
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  uint64_t events = 0;
  std::vector<StreamAck> streams;
};

// A whole decimal number, or nullopt.
std::optional<uint64_t> ParseNumber(std::string_view text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// nullopt when the line does not follow the grammar.
std::optional<Ack> ParseAck(const std::string& line) {
  std::istringstream in(line);
  std::string tag;
  Ack ack;
  if (!(in >> tag >> ack.command_id >> ack.first_position >> ack.last_position >> ack.events) ||
      tag != "ACK") {
    return std::nullopt;
  }
  std::string field;
  while (in >> field) {
    const size_t a = field.find(':');
    const size_t b = a == std::string::npos ? a : field.find(':', a + 1);
    if (b == std::string::npos) return std::nullopt;
    const std::string_view f = field;
    const std::optional<uint64_t> first = ParseNumber(f.substr(a + 1, b - a - 1));
    const std::optional<uint64_t> last = ParseNumber(f.substr(b + 1));
    if (!first || !last) return std::nullopt;
    ack.streams.push_back({field.substr(0, a), *first, *last});
  }
  if (ack.streams.empty()) return std::nullopt;
  return ack;
}

// The event count the child encoded in the command id's "-n<count>" suffix; 0 when absent.
uint64_t IntendedCount(std::string_view command_id) {
  const size_t at = command_id.rfind("-n");
  if (at == std::string_view::npos) return 0;
  return ParseNumber(command_id.substr(at + 2)).value_or(0);
}

struct ChildRun {
  std::vector<std::string> lines;  // complete lines the child wrote before it died
  std::string unterminated;        // bytes after the last newline; empty unless a write tore
  int wait_status = 0;
};

// Starts crash_appender on `data_dir`, drains its stdout (so a full pipe never stalls its
// appends) for `run_for` or until it has acknowledged `max_acks` appends, SIGKILLs it and
// reads what it wrote before dying. Lines written before the kill stay in the pipe, so they
// are all read.
ChildRun RunAndKill(const std::string& data_dir, uint64_t child_seed,
                    std::chrono::milliseconds run_for, size_t max_acks) {
  ChildRun run;
  // Built before fork(): the child may only make async-signal-safe calls until it execs.
  std::string path = PISERUMA_CRASH_APPENDER;
  std::string dir = data_dir;
  std::string seed = std::to_string(child_seed);
  char* argv[] = {path.data(), dir.data(), seed.data(), nullptr};

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return run;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);  // the duplicate does not inherit O_CLOEXEC
    execv(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    close(fds[0]);
    return run;
  }

  std::string buffer;
  char chunk[1 << 16];
  // The random delay runs from the child's first acknowledgement, so a slow start (a loaded
  // machine, a sanitizer build) does not turn a cycle into a kill before any append.
  constexpr auto kStartupBudget = std::chrono::seconds(30);
  auto kill_at = std::chrono::steady_clock::now() + kStartupBudget;
  bool killed = false;
  bool started = false;
  size_t acks = 0;
  while (true) {
    if (!killed) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          kill_at - std::chrono::steady_clock::now());
      if (left.count() <= 0 || acks >= max_acks) {
        kill(pid, SIGKILL);
        killed = true;
        continue;
      }
      pollfd p{fds[0], POLLIN, 0};
      // Timed out or interrupted: go back and re-check the deadline rather than block in read.
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    }
    const ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child is gone and the pipe is drained
    buffer.append(chunk, static_cast<size_t>(n));
    acks += static_cast<size_t>(std::count(chunk, chunk + n, '\n'));
    if (!started && acks > 0) {
      started = true;
      kill_at = std::chrono::steady_clock::now() + run_for;
    }
  }
  close(fds[0]);
  if (!killed) kill(pid, SIGKILL);  // it closed stdout early; make sure it is gone
  while (waitpid(pid, &run.wait_status, 0) < 0 && errno == EINTR) continue;

  size_t start = 0;
  for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
    run.lines.push_back(buffer.substr(start, nl - start));
  }
  run.unterminated = buffer.substr(start);
  return run;
}

// What the log says about one command.
struct CommandInLog {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  uint64_t events = 0;
};

// What the test has learnt from the log in earlier cycles. Each cycle scans only the events
// past `head` (the log is append-only, and the prefix is pinned by `head_hash` and Verify),
// so the test's cost grows with the log, not with its square.
struct LogModel {
  uint64_t head = 0;
  std::string head_hash;  // the stored hash of the event at `head`
  std::map<std::string, uint64_t> stream_versions;
  std::map<std::string, CommandInLog> commands;
};

// Reads the events past model->head page by page and checks (c) and (e): positions continue
// without a gap up to the head, every stream's versions stay dense, and each command's events
// are contiguous and exactly as many as the child intended. Returns the new commands' ids.
std::vector<std::string> ScanNewEvents(const EventLog& log, LogModel* model) {
  std::vector<std::string> new_commands;
  LogReadOptions options{.from_position = model->head + 1, .limit = 10'000};
  while (true) {
    Result<LogPage> page = log.ReadAll(options);
    EXPECT_OK(page);
    if (!page.ok() || page->events.empty()) break;
    for (const RecordedEvent& ev : page->events) {
      const Envelope& env = ev.envelope;
      EXPECT_EQ(env.position(), ++model->head) << "a gap in global positions";
      uint64_t& version = model->stream_versions[env.stream_id()];
      EXPECT_EQ(env.stream_version(), ++version) << "stream " << env.stream_id() << " at position "
                                                 << env.position() << " skips a version";
      auto [it, inserted] = model->commands.try_emplace(env.command_id());
      CommandInLog& c = it->second;
      if (inserted) {
        c.first_position = env.position();
        new_commands.push_back(env.command_id());
      }
      EXPECT_EQ(env.position(), c.first_position + c.events)
          << "command " << env.command_id() << " is interleaved with another at position "
          << env.position();
      c.last_position = env.position();
      ++c.events;
      model->head_hash = env.hash();
    }
    options.from_position = page->next_position;
  }
  EXPECT_EQ(model->head, log.HeadPosition()) << "ReadAll returned fewer events than the head says";
  for (const std::string& id : new_commands) {
    EXPECT_EQ(model->commands[id].events, IntendedCount(id))
        << "command " << id << " was half-written";
  }
  return new_commands;
}

// The events the previous cycles checked are still there, byte for byte: the event at the old
// head keeps its hash, and Verify (run after this) proves everything before it chains to it.
void CheckPrefixUnchanged(const EventLog& log, const LogModel& model) {
  if (model.head == 0) return;
  ASSERT_GE(log.HeadPosition(), model.head) << "the log lost events it had before the crash";
  Result<RecordedEvent> old_head = log.ReadAt(model.head, /*open_personal=*/false);
  ASSERT_OK(old_head);
  EXPECT_EQ(old_head->envelope.hash(), model.head_hash)
      << "the event at position " << model.head << " changed after a restart";
}

// (a): the acknowledged append's events are where the child was told they are.
void CheckAckedEvents(const EventLog& log, const Ack& ack) {
  ASSERT_EQ(ack.events, IntendedCount(ack.command_id)) << ack.command_id;
  ASSERT_EQ(ack.last_position - ack.first_position + 1, ack.events) << ack.command_id;
  uint64_t position = ack.first_position;
  for (const StreamAck& s : ack.streams) {
    for (uint64_t v = s.first_version; v <= s.new_version; ++v, ++position) {
      Result<RecordedEvent> ev = log.ReadAt(position, /*open_personal=*/false);
      ASSERT_OK(ev);
      EXPECT_EQ(ev->envelope.command_id(), ack.command_id) << "position " << position;
      EXPECT_EQ(ev->envelope.stream_id(), s.stream_id) << "position " << position;
      EXPECT_EQ(ev->envelope.stream_version(), v) << "position " << position;
    }
    Result<StreamInfo> info = log.GetStream(s.stream_id);
    ASSERT_OK(info);
    EXPECT_GE(info->meta.version(), s.new_version) << "stream " << s.stream_id << " went back";
  }
  EXPECT_EQ(position, ack.last_position + 1) << ack.command_id;
}

// (b): a retry of a durable command id gets the first answer back and writes nothing, even
// with a different body.
void CheckReplay(EventLog& log, const std::string& command_id, const CommandInLog& in_log) {
  const uint64_t head = log.HeadPosition();
  AppendRequest retry =
      testing::Single(command_id, "replay-probe", ExpectedVersion::Any(), {"ShouldNotBeWritten"});
  Result<AppendResult> r = log.Append(std::move(retry));
  ASSERT_OK(r);
  EXPECT_TRUE(r->replayed) << command_id;
  EXPECT_EQ(r->first_position, in_log.first_position) << command_id;
  EXPECT_EQ(r->last_position, in_log.last_position) << command_id;
  EXPECT_EQ(log.HeadPosition(), head) << "a retry of " << command_id << " wrote events";
}

uint64_t SeedFromEnvironment() {
  if (const char* s = std::getenv("PISERUMA_CRASH_SEED"); s && *s) {
    return std::strtoull(s, nullptr, 10);
  }
  return std::random_device{}();
}

TEST(CrashTest, AcknowledgedAppendsSurviveSigkill) {
  const uint64_t seed = SeedFromEnvironment();
  SCOPED_TRACE("PISERUMA_CRASH_SEED=" + std::to_string(seed));
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::uniform_int_distribution<int> run_ms(kMinRunMs, kMaxRunMs);
  ::piseruma::testing::TempDir dir;

  LogModel model;
  uint64_t acked_total = 0, unacked_but_durable = 0;
  for (int cycle = 1; cycle <= kCycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    const uint64_t child_seed = seed * 1000 + static_cast<uint64_t>(cycle);
    ChildRun run = RunAndKill(dir.path(), child_seed, std::chrono::milliseconds(run_ms(rng)),
                              kMaxAcksPerCycle);
    ASSERT_TRUE(WIFSIGNALED(run.wait_status) && WTERMSIG(run.wait_status) == SIGKILL)
        << "crash_appender ended on its own (wait status " << run.wait_status
        << "); see its stderr above";
    EXPECT_EQ(run.unterminated, "") << "a torn ACK line: one write(2) per line must be atomic";

    std::map<std::string, Ack> acks;
    for (const std::string& line : run.lines) {
      std::optional<Ack> ack = ParseAck(line);
      ASSERT_TRUE(ack.has_value()) << "unreadable line from crash_appender: " << line;
      const bool inserted = acks.emplace(ack->command_id, std::move(*ack)).second;
      ASSERT_TRUE(inserted) << "command id acknowledged twice: " << line;
    }
    acked_total += acks.size();

    auto log = testing::OpenLog(dir.path());
    ASSERT_NE(log, nullptr);
    CheckPrefixUnchanged(*log, model);
    for (const auto& [id, ack] : acks) {
      CheckAckedEvents(*log, ack);
      ASSERT_FALSE(::testing::Test::HasFailure()) << "acknowledged " << id;
    }

    const std::vector<std::string> new_commands = ScanNewEvents(*log, &model);
    ASSERT_FALSE(::testing::Test::HasFailure());
    const std::string cycle_prefix = "c" + std::to_string(child_seed) + "-";
    for (const std::string& id : new_commands) {
      EXPECT_EQ(id.rfind(cycle_prefix, 0), 0u) << "command " << id << " is not this cycle's";
      auto ack = acks.find(id);
      if (ack == acks.end()) {
        ++unacked_but_durable;  // the kill fell between its commit and its ACK line
        continue;
      }
      EXPECT_EQ(model.commands[id].first_position, ack->second.first_position) << id;
      EXPECT_EQ(model.commands[id].last_position, ack->second.last_position) << id;
      acks.erase(ack);
    }
    for (const auto& [id, ack] : acks) ADD_FAILURE() << "acknowledged command " << id << " is gone";
    ASSERT_FALSE(::testing::Test::HasFailure());

    // Retry every command this cycle made durable, acknowledged or not.
    for (const std::string& id : new_commands) {
      CheckReplay(*log, id, model.commands[id]);
      ASSERT_FALSE(::testing::Test::HasFailure()) << "retry of " << id;
    }

    Result<VerifyReport> report = log->Verify(1, 0, nullptr);
    ASSERT_OK(report);
    EXPECT_TRUE(report->intact) << "position " << report->first_broken_position << ": "
                                << report->problem;
    EXPECT_EQ(report->checked, log->HeadPosition());
    ASSERT_FALSE(::testing::Test::HasFailure());
    log.reset();  // releases the directory lock for the next child
  }
  // A run in which the child never got to append would test nothing.
  EXPECT_GT(acked_total, 0u);
  std::printf(
      "crash test: %d cycles, %llu events, %llu acknowledged appends, %llu durable but "
      "unacknowledged\n",
      kCycles, static_cast<unsigned long long>(model.head),
      static_cast<unsigned long long>(acked_total),
      static_cast<unsigned long long>(unacked_but_durable));
}

}  // namespace
}  // namespace piseruma::engine
