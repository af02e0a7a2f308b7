// crash_appender: the child process of tests/engine/crash_test.cc. It appends to an event log
// from several threads until it is killed, and acknowledges each append on stdout only after
// EventLog::Append returned OK, i.e. after the append is durable:
//
//   ack       := "ACK" ' ' command_id ' ' first_position ' ' last_position ' ' n_events
//                (' ' stream_id ':' first_version ':' new_version)+ '\n'
//   command_id := "c" seed "-t" thread "-" n "-n" n_events
//
// The "-n<n_events>" suffix tells the parent how many events the command writes, so it can
// check that a command it never saw acknowledged was written whole or not at all.
//
//   crash_appender <data_dir> <seed>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/event_log.h"

namespace piseruma::engine {
namespace {

constexpr int kThreads = 8;
constexpr int kStreamsPerThread = 4;
// Every kMultiStreamEvery-th append of a thread writes to two streams at once.
constexpr uint64_t kMultiStreamEvery = 5;
// Every kPersonalEvery-th event of a thread carries a personal field, so sealing runs too.
constexpr uint64_t kPersonalEvery = 10;

std::string StreamId(int thread, int k) {
  return "s-" + std::to_string(thread) + "-" + std::to_string(k);
}

// One write(2) per line: a pipe write of at most PIPE_BUF bytes is atomic, so the parent
// never sees half a line from a process killed mid-print, and lines of different threads
// never interleave.
void WriteLine(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(4);  // the parent went away; nobody is listening
    done += static_cast<size_t>(n);
  }
}

std::string FormatAck(const std::string& command_id, size_t n_events, const AppendResult& r) {
  std::string line = "ACK " + command_id + " " + std::to_string(r.first_position) + " " +
                     std::to_string(r.last_position) + " " + std::to_string(n_events);
  for (const auto& s : r.streams) {
    line += " " + s.stream_id + ":" + std::to_string(s.first_version) + ":" +
            std::to_string(s.new_version);
  }
  return line + "\n";
}

// Appends forever. Any failure is a bug the parent must see, so it ends the process with a
// non-kill exit status instead of retrying.
void AppendLoop(EventLog* log, uint64_t seed, int thread) {
  std::mt19937 rng(static_cast<uint32_t>(seed * 1000003 + static_cast<uint64_t>(thread)));
  uint64_t events_written = 0;
  for (uint64_t n = 1;; ++n) {
    std::vector<std::string> streams = {
        StreamId(thread, static_cast<int>(rng() % kStreamsPerThread))};
    if (n % kMultiStreamEvery == 0) {
      // The second stream belongs to the next thread, so streams are contended across threads.
      streams.push_back(
          StreamId((thread + 1) % kThreads, static_cast<int>(rng() % kStreamsPerThread)));
    }
    AppendRequest request;
    request.actor.set_user_id("crash-appender");
    request.actor.set_role("test");
    size_t n_events = 0;
    for (const std::string& stream : streams) {
      StreamWrite write{stream, ExpectedVersion::Any(), {}};
      const size_t count = 1 + rng() % 3;
      for (size_t e = 0; e < count; ++e) {
        NewEvent ev{.type = "Appended", .payload = "payload-" + std::to_string(n)};
        if (++events_written % kPersonalEvery == 0) {
          ev.type = "PersonRecorded";
          ev.subject = "subj-" + std::to_string(thread);
          ev.personal = {{"name", "Synthetic Person"}};
        }
        write.events.push_back(std::move(ev));
      }
      n_events += count;
      request.writes.push_back(std::move(write));
    }
    request.command_id = "c" + std::to_string(seed) + "-t" + std::to_string(thread) + "-" +
                         std::to_string(n) + "-n" + std::to_string(n_events);
    const std::string command_id = request.command_id;

    Result<AppendResult> r = log->Append(std::move(request));
    if (!r.ok()) {
      std::fprintf(stderr, "crash_appender: append %s failed: %s\n", command_id.c_str(),
                   r.status().ToString().c_str());
      std::_Exit(3);
    }
    WriteLine(FormatAck(command_id, n_events, *r));
  }
}

}  // namespace
}  // namespace piseruma::engine

int main(int argc, char** argv) {
  using piseruma::engine::EventLog;
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_appender <data_dir> <seed>\n");
    return 2;
  }
  const uint64_t seed = std::strtoull(argv[2], nullptr, 10);
  auto log = EventLog::Open({.data_dir = argv[1]});
  if (!log.ok()) {
    std::fprintf(stderr, "crash_appender: cannot open %s: %s\n", argv[1],
                 log.status().ToString().c_str());
    return 1;
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < piseruma::engine::kThreads; ++t) {
    threads.emplace_back(piseruma::engine::AppendLoop, log->get(), seed, t);
  }
  // The loops never return: the process ends by SIGKILL (or _Exit on a failure).
  for (auto& t : threads) t.join();
  return 0;
}
