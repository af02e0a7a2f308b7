// Backups: consistent online copies; a restore brings the log back and re-forgets anyone
// erased after the backup was taken.
#include <gtest/gtest.h>

#include "engine/event_log.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::engine {
namespace {

using testing::LogHistory;
using testing::OpenLog;
using testing::Single;
using testing::TempDir;

AppendRequest WithPersonal(const std::string& cmd, const std::string& subject) {
  AppendRequest req = Single(cmd, "case-" + subject, ExpectedVersion::Any(), {"Registered"});
  req.writes[0].events[0].subject = subject;
  req.writes[0].events[0].personal["name"] = "Synthetic " + subject;
  return req;
}

TEST(BackupTest, OnlineBackupRestoresTheSameVerifiedLog) {
  TempDir dir;
  std::string before;
  {
    auto log = OpenLog(dir.Sub("live"));
    for (int i = 0; i < 30; ++i) ASSERT_OK(log->Append(WithPersonal("c" + std::to_string(i), "p-" + std::to_string(i))));
    uint64_t steps = 0;
    ASSERT_OK(log->Backup(dir.Sub("backups"), [&](uint64_t, uint64_t) { ++steps; }));
    before = LogHistory(*log);
    // Written after the backup: gone after the restore.
    ASSERT_OK(log->Append(Single("late", "case-late", ExpectedVersion::Any(), {"Registered"})));
  }
  ASSERT_OK(RestoreBackup(dir.Sub("backups"), dir.Sub("restored"), nullptr));
  auto log = OpenLog(dir.Sub("restored"));
  EXPECT_EQ(LogHistory(*log), before);
  EXPECT_TRUE(log->Verify(1, 0, nullptr)->intact);
  EXPECT_EQ(log->ReadAt(1, true)->personal.at("name"), "Synthetic p-0") << "keys are backed up";
  // Idempotency records came along: a retry of a backed-up command is not re-applied.
  EXPECT_TRUE(log->Append(WithPersonal("c3", "p-3"))->replayed);
}

TEST(BackupTest, RestoringAnOlderBackupForgetsAgain) {
  TempDir dir;
  {
    auto log = OpenLog(dir.Sub("live"));
    ASSERT_OK(log->Append(WithPersonal("c1", "p-1")));
    ASSERT_OK(log->Append(WithPersonal("c2", "p-2")));
    ASSERT_OK(log->Backup(dir.Sub("backups"), nullptr));
    ForgetRequest f{.subject = "p-1", .request_ref = "REQ-9", .command_id = "forget-p-1"};
    f.actor.set_user_id("u-admin");
    ASSERT_OK(log->Forget(f));
  }
  // Restore the pre-erasure backup over the live directory: its register survives.
  ASSERT_OK(RestoreBackup(dir.Sub("backups"), dir.Sub("live"), nullptr));
  auto log = OpenLog(dir.Sub("live"));
  auto ev = log->ReadAt(1, true);
  ASSERT_OK(ev);
  EXPECT_EQ(ev->personal_state, PersonalState::kErased) << "the restore must not resurrect p-1";
  EXPECT_EQ(log->ReadAt(2, true)->personal.at("name"), "Synthetic p-2");
  EXPECT_NE(LogHistory(*log).find("$erasures:$SubjectForgotten@1"), std::string::npos)
      << "the re-applied erasure is in the history";
  EXPECT_TRUE(log->Verify(1, 0, nullptr)->intact);
}

TEST(BackupTest, RestoreRefusesADirectoryInUse) {
  TempDir dir;
  auto log = OpenLog(dir.Sub("live"));
  ASSERT_OK(log->Append(Single("c1", "s", ExpectedVersion::Any(), {"E"})));
  ASSERT_OK(log->Backup(dir.Sub("backups"), nullptr));
  EXPECT_EQ(RestoreBackup(dir.Sub("backups"), dir.Sub("live"), nullptr).code(), StatusCode::kUnavailable);
  EXPECT_EQ(RestoreBackup(dir.Sub("nothing"), dir.Sub("x"), nullptr).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace piseruma::engine
