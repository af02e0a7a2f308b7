#include "engine/subscription.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::engine {
namespace {

using testing::OpenLog;
using testing::Single;
using testing::TempDir;

// Waits (bounded) until `pred` holds; the bound only guards against a hang.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 1000 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return pred();
}

TEST(SubscriptionTest, DeliversHistoryThenLiveInOrderWithoutGapsOrDuplicates) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  for (int i = 0; i < 50; ++i) {
    ASSERT_OK(log->Append(Single("h" + std::to_string(i), "case-" + std::to_string(i % 5),
                                 ExpectedVersion::Any(), {"E"})));
  }
  std::mutex mu;
  std::vector<uint64_t> seen;
  CatchUpSubscription sub(*log, {.from_position = 1}, [&](const RecordedEvent& e) {
    std::lock_guard lock(mu);
    seen.push_back(e.envelope.position());
    return true;
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        EXPECT_OK(log->Append(Single("l" + std::to_string(t) + "-" + std::to_string(i),
                                     "live-" + std::to_string(t), ExpectedVersion::Any(), {"E", "F"})));
      }
    });
  }
  for (auto& w : writers) w.join();
  const uint64_t head = log->HeadPosition();
  EXPECT_EQ(head, 50u + 8 * 100 * 2);
  ASSERT_TRUE(Eventually([&] { return sub.next_position() > head; }));
  sub.Stop();
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), head);
  for (uint64_t i = 0; i < head; ++i) ASSERT_EQ(seen[i], i + 1);
  EXPECT_OK(sub.status());
}

TEST(SubscriptionTest, FiltersAndStartsMidway) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::Any(), {"Registered", "Noted"})));
  ASSERT_OK(log->Append(Single("c2", "coop-1", ExpectedVersion::Any(), {"Founded"})));
  ASSERT_OK(log->Append(Single("c3", "case-2", ExpectedVersion::Any(), {"Registered"})));
  std::vector<std::string> got;
  std::mutex mu;
  CatchUpSubscription sub(*log, {.from_position = 2, .stream_prefix = "case-"},
                          [&](const RecordedEvent& e) {
                            std::lock_guard lock(mu);
                            got.push_back(e.envelope.stream_id() + ":" + e.envelope.event_type());
                            return true;
                          });
  ASSERT_TRUE(Eventually([&] { return sub.next_position() == 5; }));
  sub.Stop();
  EXPECT_EQ(got, (std::vector<std::string>{"case-1:Noted", "case-2:Registered"}));
}

TEST(SubscriptionTest, ASlowSubscriberNeverBlocksAppends) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  std::atomic<bool> release{false};
  std::atomic<int> handled{0};
  CatchUpSubscription sub(*log, {.from_position = 1}, [&](const RecordedEvent&) {
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++handled;
    return true;
  });
  // The subscriber is stuck on event 1; appends must still complete.
  for (int i = 0; i < 200; ++i) ASSERT_OK(log->Append(Single("c" + std::to_string(i), "s", ExpectedVersion::Any(), {"E"})));
  EXPECT_EQ(log->HeadPosition(), 200u);
  EXPECT_LE(handled.load(), 1);
  release = true;
  ASSERT_TRUE(Eventually([&] { return handled.load() == 200; }));
}

TEST(SubscriptionTest, HandlerReturningFalseStops) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "s", ExpectedVersion::Any(), {"A", "B", "C"})));
  std::atomic<int> n{0};
  CatchUpSubscription sub(*log, {}, [&](const RecordedEvent&) { return ++n < 2; });
  ASSERT_TRUE(Eventually([&] { return !sub.running(); }));
  EXPECT_EQ(n.load(), 2);
  EXPECT_EQ(sub.next_position(), 2u);
}

}  // namespace
}  // namespace piseruma::engine
