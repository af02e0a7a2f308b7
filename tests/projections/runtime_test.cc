// The runtime: exactly once across crashes and restarts, rebuilds, version changes,
// read-your-writes (WaitForPosition) and lag.
#include "projections/runtime.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "tests/projections/model.h"
#include "tests/projections/projection_harness.h"
#include "tests/projections/random_programme.h"

namespace piseruma::projections {
namespace {

using testing::Difference;
using testing::FoldModel;
using testing::Observe;
using testing::ProjectionHarness;
using testing::RandomProgramme;

// Forwards commits to the store until the armed one, which "crashes" the process: either
// before the batch reaches RocksDB, or just after (the batch is durable, the process dies
// before it can note that). Every later commit fails, as a dead process writes nothing.
class CrashingSink : public BatchSink {
 public:
  enum class When { kBeforeWrite, kAfterWrite };
  void Arm(int commit, When when) {
    crash_at_ = commits_ + commit;
    when_ = when;
  }
  Status Write(rocksdb::WriteBatch* batch) override {
    ++commits_;
    if (crashed_ || commits_ == crash_at_) {
      if (!crashed_ && when_ == When::kAfterWrite) EXPECT_OK(store->Write(batch));
      crashed_ = true;
      return Status::Unavailable("injected crash");
    }
    return store->Write(batch);
  }
  BatchSink* store = nullptr;
  bool crashed() const { return crashed_; }

 private:
  int commits_ = 0;
  int crash_at_ = -1;
  When when_ = When::kBeforeWrite;
  bool crashed_ = false;
};

uint64_t Checkpoint(const ProjectionRuntime& rt) {
  const LagReport lag = rt.Lag();
  for (const auto& p : lag.projections)
    EXPECT_EQ(p.checkpoint, lag.projections[0].checkpoint) << p.name;
  return lag.projections[0].checkpoint;
}

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RandomProgramme programme(&h, 5);
    programme.Run(150);
  }
  void RemoveProjections() {
    h.Close();
    std::filesystem::remove_all(ProjectionsPath(h.wf.dir()));
  }

  ProjectionHarness h{/*start=*/false};
};

TEST_F(RuntimeTest, ACrashBetweenEventsAndCheckpointNeitherLosesNorDoubleCounts) {
  const testing::Model want = FoldModel(h.wf.log());
  ASSERT_GT(want.tallies.size(), 40u);
  for (auto when : {CrashingSink::When::kBeforeWrite, CrashingSink::When::kAfterWrite}) {
    for (int crash_at : {1, 3}) {
      SCOPED_TRACE(std::string(when == CrashingSink::When::kBeforeWrite ? "before" : "after") +
                   " the write of commit " + std::to_string(crash_at));
      RemoveProjections();
      CrashingSink sink;
      h.Open({.checkpoint_every = 29,
              .wrap_sink =
                  [&](BatchSink* store) {
                    sink.store = store;
                    return &sink;
                  }},
             /*start=*/false);
      sink.Arm(crash_at, when);
      EXPECT_FALSE(h.runtime->CatchUp(nullptr).ok());  // the injected crash
      ASSERT_TRUE(sink.crashed());
      EXPECT_FALSE(h.runtime->Start().ok()) << "a runtime whose commit failed must not go on";
      h.Close();  // dies: nothing more is written

      // What survived is exactly the fold of the events up to the checkpoint it survived with…
      h.Open({}, /*start=*/false);
      const uint64_t checkpoint = Checkpoint(*h.runtime);
      if (when == CrashingSink::When::kBeforeWrite && crash_at == 1) {
        EXPECT_EQ(checkpoint, 0u);  // the first checkpoint never made it: nothing was kept
        EXPECT_TRUE(Observe(*h.runtime).cases.empty());
      } else {
        EXPECT_GT(checkpoint, 0u);
        EXPECT_EQ(Difference(FoldModel(h.wf.log(), checkpoint), Observe(*h.runtime)), "");
      }
      // …and resuming from there folds every later event once.
      ASSERT_OK(h.runtime->CatchUp(nullptr));
      EXPECT_EQ(Difference(want, Observe(*h.runtime)), "");
    }
  }
}

TEST_F(RuntimeTest, ARestartResumesFromTheCheckpoint) {
  h.Open({}, /*start=*/true);
  h.Sync();
  h.Close();
  const uint64_t head = h.wf.log().HeadPosition();
  RandomProgramme more(&h, 6);
  more.Run(60);
  h.Open({}, /*start=*/false);
  EXPECT_EQ(Checkpoint(*h.runtime), head);
  EXPECT_EQ(h.runtime->Lag().behind, h.wf.log().HeadPosition() - head);
  ASSERT_OK(h.runtime->CatchUp(nullptr));
  EXPECT_EQ(Difference(FoldModel(h.wf.log()), Observe(*h.runtime)), "");
}

TEST_F(RuntimeTest, RebuildFoldsAgainFromTheStartWithProgress) {
  h.Open({}, /*start=*/true);
  h.Sync();
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  ASSERT_OK(h.runtime->Rebuild(
      {"dashboard"}, [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); }));
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(h.wf.log().HeadPosition(), h.wf.log().HeadPosition()));
  EXPECT_EQ(Difference(FoldModel(h.wf.log()), Observe(*h.runtime)), "");
  ASSERT_OK(h.runtime->Rebuild({}, nullptr));
  EXPECT_EQ(Difference(FoldModel(h.wf.log()), Observe(*h.runtime)), "");
  EXPECT_TRUE(h.runtime->Lag().running) << "a running runtime keeps running after a rebuild";
  const Status unknown = h.runtime->Rebuild({"caseloads"}, nullptr);
  EXPECT_EQ(unknown.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("case_summary, dashboard, cooperatives"), std::string::npos);
}

TEST_F(RuntimeTest, AChangedVersionACheckpointPastTheHeadOrADamagedRowRebuildsOnOpen) {
  h.Open({}, /*start=*/false);
  ASSERT_OK(h.runtime->CatchUp(nullptr));
  h.Close();
  {
    auto store = ProjectionStore::Open(h.wf.dir());
    ASSERT_OK(store);
    rocksdb::WriteBatch batch;
    ProjectionMeta old = (*store)->LoadMeta("dashboard")->value();
    old.set_version(old.version() + 1);  // rows written by another version of the fold
    ProjectionStore::StageMeta(&batch, "dashboard", old);
    ProjectionMeta ahead = (*store)->LoadMeta("cooperatives")->value();
    ahead.set_checkpoint(h.wf.log().HeadPosition() + 100);  // a log restored from an older backup
    ProjectionStore::StageMeta(&batch, "cooperatives", ahead);
    ProjectionStore::Rows(&batch, "case_summary").Put('c', "case-T0001", "\x0f damaged");
    ASSERT_OK((*store)->Write(&batch));
  }
  h.Open({}, /*start=*/false);
  EXPECT_EQ(h.runtime->rebuilt_on_open(),
            (std::vector<std::string>{"case_summary", "dashboard", "cooperatives"}));
  for (const auto& p : h.runtime->Lag().projections) EXPECT_EQ(p.checkpoint, 0u) << p.name;
  ASSERT_OK(h.runtime->CatchUp(nullptr));
  EXPECT_EQ(Difference(FoldModel(h.wf.log()), Observe(*h.runtime)), "");
}

TEST_F(RuntimeTest, WaitForPositionWaitsForTheFoldAndTimesOut) {
  h.Open({}, /*start=*/false);
  ASSERT_OK(h.runtime->CatchUp(nullptr));
  EXPECT_TRUE(h.runtime->WaitForPosition(h.wf.log().HeadPosition(), std::chrono::milliseconds(0)));
  auto r = h.wf.Run("case-W0001", "RegisterParticipant", h.Body("RegisterParticipant"));
  ASSERT_OK(r);
  const uint64_t position = r->append.last_position;
  // Not following the log: the wait times out, and says so.
  EXPECT_FALSE(h.runtime->WaitForPosition(position, std::chrono::milliseconds(20)));
  EXPECT_FALSE(h.runtime->GetCase("case-W0001", h.Today()));
  // A waiter is released when the fold reaches the position.
  auto waiter = std::async(std::launch::async, [&] {
    return h.runtime->WaitForPosition(position, std::chrono::seconds(60));
  });
  ASSERT_OK(h.runtime->Start());
  EXPECT_TRUE(waiter.get());
  EXPECT_TRUE(h.runtime->GetCase("case-W0001", h.Today()));
  EXPECT_FALSE(h.runtime->WaitForPosition(position + 1000, std::chrono::milliseconds(20)));
}

TEST_F(RuntimeTest, ReadYourWrites) {
  h.Open({}, /*start=*/true);
  const std::string id = h.wf.NewCaseIn("employment");
  for (const char* step : {"SendAnapecReferral", "ConfirmAnapecRegistration",
                           "RecordWorkshopAttendance", "RecordPlacement"}) {
    auto r = h.wf.Run(id, step, h.Body(step));
    ASSERT_OK(r);
    // The caseworker's next screen: wait (bounded) for the command's position, then read.
    ASSERT_TRUE(h.runtime->WaitForPosition(r->append.last_position, std::chrono::seconds(2)));
    const auto c = h.runtime->GetCase(id, h.Today());
    ASSERT_TRUE(c);
    bool found = false;
    h.runtime->Read([&](const CaseSummaryProjection& s, const auto&, const auto&) {
      s.ForEachCase(
          [&](const CaseRow& row) { found |= row.case_id() == id && row.version() == r->version; });
    });
    EXPECT_TRUE(found) << step << " is not on the caseworker's screen";
  }
  EXPECT_EQ(h.runtime->GetCase(id, h.Today())->pathways[0].second, "placed");
}

TEST_F(RuntimeTest, LagInPositionsAndSeconds) {
  h.Open({}, /*start=*/false);
  ASSERT_OK(h.runtime->CatchUp(nullptr));
  EXPECT_EQ(h.runtime->Lag().behind, 0u);
  EXPECT_EQ(h.runtime->Lag().seconds_behind, 0);
  ASSERT_OK(h.wf.RunValid("case-L0001", "RegisterParticipant"));
  const int64_t recorded =
      h.wf.log().ReadAt(h.wf.log().HeadPosition(), false)->envelope.recorded_at_us();
  engine::ManualClock clock(recorded + 90'000'000);  // 90 s later
  h.Open({.clock = &clock}, /*start=*/false);
  const LagReport lag = h.runtime->Lag();
  EXPECT_EQ(lag.behind, 1u);
  EXPECT_EQ(lag.head, h.wf.log().HeadPosition());
  EXPECT_DOUBLE_EQ(lag.seconds_behind, 90.0);
  EXPECT_FALSE(lag.running);
  ASSERT_EQ(lag.projections.size(), 3u);
  EXPECT_EQ(lag.projections[0].name, "case_summary");
  EXPECT_EQ(lag.projections[0].behind, 1u);
  h.Close();
}

}  // namespace
}  // namespace piseruma::projections
