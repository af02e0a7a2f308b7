#include "workflows/deadline_scheduler.h"

#include <gtest/gtest.h>

#include "tests/workflows/harness.h"
#include "workflows/guidance.h"

namespace piseruma::workflows {
namespace {

using testing::WorkflowHarness;

TEST(DeadlineSchedulerTest, AnOverdueDeadlineFiresExactlyOnceAlsoAcrossRestarts) {
  WorkflowHarness h;
  const std::string id = h.NewCaseIn("employment");
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));  // ANAPEC should answer by 2026-06-30
  {
    DeadlineScheduler scheduler(&h.service());
    EXPECT_EQ(*scheduler.RunOnce(), 0u);
    EXPECT_EQ(scheduler.OpenCount(), 3u);  // anapec_answer, sri_month_6, sri_month_12
    h.AdvanceDays(15);                     // 2026-06-30: due today, not yet overdue
    EXPECT_EQ(*scheduler.RunOnce(), 0u);
    h.AdvanceDays(1);
    EXPECT_EQ(*scheduler.RunOnce(), 1u);
    EXPECT_EQ(*scheduler.RunOnce(), 0u) << "once";
  }
  const uint64_t head = h.log().HeadPosition();
  h.Restart();
  {
    DeadlineScheduler scheduler(&h.service());  // rebuilds its index from the log
    EXPECT_EQ(*scheduler.RunOnce(), 0u) << "a restart must not fire it again";
  }
  EXPECT_EQ(h.log().HeadPosition(), head);
  EXPECT_NE(h.History(id).find("AnapecReferralSent@9 DeadlineOverdue@10"), std::string::npos) << h.History(id);

  StreamState s = h.State(id);
  std::string overdue;
  for (const auto& d : s.deadlines()) overdue += d.overdue() ? d.name() + " " : "";
  EXPECT_EQ(overdue, "anapec_answer ");
  // The caseworker's screen shows it overdue on the steps that meet it.
  bool shown = false;
  for (const auto& step : NextSteps(h.registry(), s, id, testing::Caseworker(), h.service().Today())) {
    if (step.command == "ConfirmAnapecRegistration") {
      EXPECT_EQ(step.due_on, "2026-06-30");
      EXPECT_TRUE(step.overdue);
      shown = true;
    }
  }
  EXPECT_TRUE(shown);
  // Meeting the step late closes it.
  ASSERT_OK(h.RunValid(id, "ConfirmAnapecRegistration"));
  const StreamState after = h.State(id);
  for (const auto& d : after.deadlines()) EXPECT_NE(d.name(), "anapec_answer");
}

TEST(DeadlineSchedulerTest, AMetDeadlineNeverFires) {
  WorkflowHarness h;
  const std::string id = h.NewCaseIn("employment");
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));
  ASSERT_OK(h.RunValid(id, "RecordAnapecRefusal"));
  h.AdvanceDays(40);
  DeadlineScheduler scheduler(&h.service());
  EXPECT_EQ(*scheduler.RunOnce(), 0u);
  EXPECT_EQ(h.History(id).find("DeadlineOverdue"), std::string::npos);
}

TEST(DeadlineSchedulerTest, BackgroundLoopFiresWithoutBeingAsked) {
  WorkflowHarness h;
  const std::string id = h.NewCaseIn("employment");
  ASSERT_OK(h.RunValid(id, "SendAnapecReferral"));
  h.AdvanceDays(20);
  DeadlineScheduler scheduler(&h.service());
  scheduler.Start(std::chrono::milliseconds(20));
  bool fired = false;
  for (int i = 0; i < 500 && !fired; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    fired = h.History(id).find("DeadlineOverdue") != std::string::npos;
  }
  scheduler.Stop();
  EXPECT_TRUE(fired);
}

}  // namespace
}  // namespace piseruma::workflows
