#include "projections/tally.h"

#include <gtest/gtest.h>

#include "tests/support/log_helpers.h"

namespace piseruma::projections {
namespace {

// What a batch asks RocksDB to do, in order: "put key" / "delete key".
class Recorder : public rocksdb::WriteBatch::Handler {
 public:
  rocksdb::Status PutCF(uint32_t, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    ops.push_back("put " + Printable(key));
    values[Printable(key)] = value.ToString();
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t, const rocksdb::Slice& key) override {
    ops.push_back("delete " + Printable(key));
    return rocksdb::Status::OK();
  }
  static std::string Printable(const rocksdb::Slice& s) {
    std::string out = s.ToString();
    std::replace(out.begin(), out.end(), '\0', '|');
    return out;
  }
  std::vector<std::string> ops;
  std::map<std::string, std::string> values;
};

TEST(TallyTest, CountsWritesChangesAndRemovesZeros) {
  TallyBook book;
  const auto t = book.Table("placements.month");
  const auto row = book.Intern("tahfiz_eligible"), col = book.Intern("2026-05");
  book.Add(t, row, col, 2);
  book.Add(t, row, col, 1);
  EXPECT_EQ(book.Get(t, row, col), 3);
  rocksdb::WriteBatch batch;
  RowWriter out(&batch, "");
  book.WriteChanges('t', &out);
  Recorder r;
  ASSERT_TRUE(batch.Iterate(&r).ok());
  EXPECT_EQ(r.ops, std::vector<std::string>{"put tplacements.month|tahfiz_eligible|2026-05"});

  // Loaded into a fresh book, the cell reads the same.
  TallyBook loaded;
  ASSERT_OK(loaded.LoadCell("placements.month" + std::string(1, '\0') + "tahfiz_eligible" +
                                std::string(1, '\0') + "2026-05",
                            r.values.begin()->second));
  EXPECT_EQ(loaded.Snapshot(), book.Snapshot());

  book.Add(t, row, col, -3);
  rocksdb::WriteBatch second;
  RowWriter out2(&second, "");
  book.WriteChanges('t', &out2);
  Recorder r2;
  ASSERT_TRUE(second.Iterate(&r2).ok());
  EXPECT_EQ(r2.ops, std::vector<std::string>{"delete tplacements.month|tahfiz_eligible|2026-05"});
  EXPECT_TRUE(book.Snapshot().empty());

  rocksdb::WriteBatch third;  // nothing changed since: nothing written
  RowWriter out3(&third, "");
  book.WriteChanges('t', &out3);
  EXPECT_EQ(third.Count(), 0u);
}

TEST(TallyTest, DamagedCellsAreRefused) {
  TallyBook book;
  EXPECT_EQ(book.LoadCell("no separators", "12345678").code(), StatusCode::kDataLoss);
  EXPECT_EQ(book.LoadCell(std::string("t\0r\0c", 5), "short").code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace piseruma::projections
