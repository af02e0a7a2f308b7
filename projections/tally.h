// TallyBook: named two-dimensional tables of signed 64-bit counts — the dashboard's
// precomputed numbers — kept in memory, with the cells changed since the last
// WriteChanges(). Labels (row and column names) are interned to small integers, and every
// cell of every table lives in one open-addressed hash table keyed by (table, row, column)
// packed in 64 bits: an Add is a multiply, a shift and (usually) one cache line — the fold
// adds a dozen counts per event. A cell back at zero is deleted from the database and skipped
// when read. Limits: 65,536 tables, 16.7 million distinct labels.
//
// Thread-safety: not thread-safe; const methods may run concurrently with each other.
//
//   TallyBook book;
//   auto t = book.Table("placements");
//   book.Add(t, book.Intern("tahfiz_eligible"), book.Intern("2026-05"), +1);
//   book.ForEachCell(t, [&](Label row, Label col, int64_t n) { … });
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/status.h"
#include "projections/store.h"

namespace piseruma::projections {

class TallyBook {
 public:
  using Label = uint32_t;    // an interned row or column label
  using TableId = uint32_t;  // a table, dense from 0

  // The id of a label, interning it on first use. Ids are stable for the book's lifetime.
  Label Intern(std::string_view label);
  const std::string& Name(Label label) const { return labels_[label]; }
  // The id of a table, creating it (empty) on first use.
  TableId Table(std::string_view name);
  // The table's id, or -1 when no cell was ever added to a table of that name.
  int64_t FindTable(std::string_view name) const;
  const std::string& TableName(TableId table) const { return tables_[table].name; }
  size_t table_count() const { return tables_.size(); }

  void Add(TableId table, Label row, Label col, int64_t delta);
  int64_t Get(TableId table, Label row, Label col) const;
  // fn(Label row, Label col, int64_t value) for every nonzero cell, in the order they were
  // first counted.
  template <typename Fn>
  void ForEachCell(TableId table, Fn fn) const {
    for (uint64_t cell : tables_[table].cells) {
      const int64_t v = slots_[Find(Pack(table, cell))].value;
      if (v != 0) fn(static_cast<Label>(cell >> 24), static_cast<Label>(cell & kLabelMask), v);
    }
  }

  // Writes every changed cell under `kind` (puts; deletes for cells back at zero).
  void WriteChanges(char kind, RowWriter* out);
  // Restores one stored cell; `key` is the row key without its kind byte.
  Status LoadCell(std::string_view key, std::string_view value);
  void Clear();

  // Every nonzero cell as (table, row, col) → value: for tests and diagnostics.
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> Snapshot() const;

 private:
  static constexpr uint64_t kLabelMask = (uint64_t{1} << 24) - 1;
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {
    uint64_t key = kEmpty;  // table(16) row(24) col(24)
    int64_t value = 0;
    bool dirty = false;
  };
  struct TableData {
    std::string name;
    std::vector<uint64_t> cells;  // row(24) col(24) of every cell ever counted
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  static uint64_t Pack(TableId table, uint64_t cell) { return (uint64_t{table} << 48) | cell; }
  static uint64_t Cell(Label row, Label col) { return (uint64_t{row} << 24) | col; }
  // The slot of `key`, or the empty slot where it would go.
  size_t Find(uint64_t key) const;
  Slot& SlotFor(TableId table, uint64_t cell);  // creating the cell at 0
  void Grow();

  std::vector<std::string> labels_;
  std::unordered_map<std::string, Label, Hash, std::equal_to<>> label_ids_;
  std::vector<TableData> tables_;
  std::unordered_map<std::string, TableId, Hash, std::equal_to<>> table_ids_;
  std::vector<Slot> slots_ = std::vector<Slot>(4096);  // a power of two in size
  int shift_ = 64 - 12;                                // 64 - log2(slots_.size())
  size_t used_ = 0;
  std::vector<uint64_t> dirty_;  // keys of the cells changed since WriteChanges
};

}  // namespace piseruma::projections
