// Many writers at once: versions stay dense, positions strictly increase, every lost-update
// attempt is caught as a conflict, and every acknowledged event is there.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "engine/event_log.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::engine {
namespace {

using testing::OpenLog;
using testing::Single;
using testing::TempDir;

TEST(EventLogConcurrencyTest, OptimisticWritersOnSharedAndOwnStreams) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  constexpr int kThreads = 16;
  constexpr int kAppendsPerThread = 150;
  std::atomic<uint64_t> acked_shared{0}, conflicts{0}, acked_events{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        const bool shared = i % 2 == 0;
        const std::string stream = shared ? "shared-" + std::to_string(i % 3) : "own-" + std::to_string(t);
        // Read-decide-write with the version read: the classic lost-update race.
        auto info = log->GetStream(stream);
        const uint64_t seen = info.ok() ? info->meta.version() : 0;
        auto expected = seen == 0 ? ExpectedVersion::NoStream() : ExpectedVersion::Exactly(seen);
        const std::string cmd = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = log->Append(Single(cmd, stream, expected, {"Step", "Step"}));
        if (r.ok()) {
          EXPECT_EQ(r->streams[0].first_version, seen + 1);
          acked_events += 2;
          if (shared) ++acked_shared;
        } else {
          EXPECT_EQ(r.status().code(), StatusCode::kAborted) << r.status().ToString();
          EXPECT_GT(*r.status().actual_version(), seen);
          ++conflicts;
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(log->HeadPosition(), acked_events.load()) << "every acknowledged event, nothing else";
  uint64_t shared_versions = 0;
  for (int s = 0; s < 3; ++s) shared_versions += log->GetStream("shared-" + std::to_string(s))->meta.version();
  EXPECT_EQ(shared_versions, 2 * acked_shared.load()) << "no update was lost";
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(log->GetStream("own-" + std::to_string(t))->meta.version(), 2u * kAppendsPerThread / 2)
        << "uncontended streams never conflict";
  }
  EXPECT_GT(conflicts.load(), 0u) << "the shared streams should have seen contention";

  // Positions are 1..head with no gap; each stream's versions are 1..n in position order.
  std::map<std::string, uint64_t> last_version;
  uint64_t expect_pos = 1;
  for (uint64_t from = 1;;) {
    auto page = log->ReadAll({.from_position = from});
    ASSERT_OK(page);
    if (page->events.empty()) break;
    for (const auto& e : page->events) {
      EXPECT_EQ(e.envelope.position(), expect_pos++);
      EXPECT_EQ(e.envelope.stream_version(), ++last_version[e.envelope.stream_id()]);
    }
    from = page->next_position;
  }
  EXPECT_EQ(expect_pos - 1, log->HeadPosition());
  auto v = log->Verify(1, 0, nullptr);
  ASSERT_OK(v);
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_GT(log->GetWriterStats().largest_batch, 1u) << "concurrent appends should share a sync";
}

TEST(EventLogConcurrencyTest, ConcurrentRetriesOfOneCommandWriteOnce) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  std::vector<std::thread> threads;
  std::atomic<int> fresh{0};
  std::atomic<uint64_t> position{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto r = log->Append(Single("same-cmd", "case-1", ExpectedVersion::Any(), {"Registered"}));
      ASSERT_OK(r);
      if (!r->replayed) ++fresh;
      uint64_t expected = 0;
      position.compare_exchange_strong(expected, r->first_position);
      EXPECT_EQ(position.load(), r->first_position);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(log->HeadPosition(), 1u);
}

}  // namespace
}  // namespace piseruma::engine
