#include "projections/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::projections {
namespace {

using testing::TempDir;

std::map<std::string, std::string> Rows(const ProjectionStore& store, std::string_view name) {
  std::map<std::string, std::string> out;
  EXPECT_OK(store.ScanRows(name, [&](std::string_view k, std::string_view v) {
    out.emplace(std::string(k), std::string(v));
    return Status::Ok();
  }));
  return out;
}

ProjectionMeta Meta(uint32_t version, uint64_t checkpoint) {
  ProjectionMeta m;
  m.set_version(version);
  m.set_checkpoint(checkpoint);
  return m;
}

TEST(StoreTest, RowsAndCheckpointCommitTogether) {
  TempDir dir;
  auto store = ProjectionStore::Open(dir.path());
  ASSERT_OK(store);
  EXPECT_FALSE((*store)->LoadMeta("dashboard")->has_value());
  rocksdb::WriteBatch batch;
  RowWriter rows = ProjectionStore::Rows(&batch, "dashboard");
  rows.Put('p', "case-1", "one");
  rows.Put("tx", "cell");
  ProjectionStore::StageMeta(&batch, "dashboard", Meta(1, 42));
  ASSERT_OK((*store)->Write(&batch));
  EXPECT_EQ(Rows(**store, "dashboard"),
            (std::map<std::string, std::string>{{"pcase-1", "one"}, {"tx", "cell"}}));
  auto meta = (*store)->LoadMeta("dashboard");
  ASSERT_OK(meta);
  EXPECT_EQ((*meta)->checkpoint(), 42u);
  EXPECT_EQ((*meta)->version(), 1u);
}

TEST(StoreTest, ResetEmptiesOneProjectionOnly) {
  TempDir dir;
  auto store = std::move(ProjectionStore::Open(dir.path()).value());
  rocksdb::WriteBatch batch;
  ProjectionStore::Rows(&batch, "case_summary").Put('c', "case-1", "a");
  ProjectionStore::Rows(&batch, "case_summary_old")
      .Put('c', "case-1", "b");  // a name sharing the prefix
  ProjectionStore::Rows(&batch, "dashboard").Put('p', "case-1", "c");
  ASSERT_OK(store->Write(&batch));
  rocksdb::WriteBatch reset;
  ProjectionStore::StageReset(&reset, "case_summary", 2, 0);
  ASSERT_OK(store->Write(&reset));
  EXPECT_TRUE(Rows(*store, "case_summary").empty());
  EXPECT_EQ(Rows(*store, "case_summary_old").size(), 1u);
  EXPECT_EQ(Rows(*store, "dashboard").size(), 1u);
  EXPECT_EQ(store->LoadMeta("case_summary")->value().checkpoint(), 0u);
  EXPECT_EQ(store->LoadMeta("case_summary")->value().version(), 2u);
}

TEST(StoreTest, RefusesANewerFormatAndASecondOpener) {
  TempDir dir;
  {
    auto store = ProjectionStore::Open(dir.path());
    ASSERT_OK(store);
    auto again = ProjectionStore::Open(dir.path());
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().code(), StatusCode::kUnavailable) << again.status().ToString();
  }
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), ProjectionsPath(dir.path()), &raw).ok());
    ASSERT_TRUE(
        raw->Put(rocksdb::WriteOptions(), "format_version", std::string("\x09\0\0\0", 4)).ok());
    delete raw;
  }
  auto store = ProjectionStore::Open(dir.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition) << store.status().ToString();
}

}  // namespace
}  // namespace piseruma::projections
