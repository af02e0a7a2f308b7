// TallyBook: named two-dimensional tables of signed 64-bit counts — the dashboard's
// precomputed numbers — kept in memory, with the cells changed since the last
// WriteChanges(). Labels (table, row and column names) are interned to small integers so
// the fold hashes integers, not strings; a cell that returns to zero is removed.
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
  // fn(Label row, Label col, int64_t value) for every nonzero cell, in no particular order.
  template <typename Fn>
  void ForEachCell(TableId table, Fn fn) const {
    for (const auto& [key, cell] : tables_[table].cells) {
      if (cell.value != 0)
        fn(static_cast<Label>(key >> 32), static_cast<Label>(key & 0xFFFFFFFF), cell.value);
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
  struct Cell {
    int64_t value = 0;
    bool dirty = false;
  };
  struct TableData {
    std::string name;
    std::unordered_map<uint64_t, Cell> cells;  // (row << 32 | col) → cell
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  std::vector<std::string> labels_;
  std::unordered_map<std::string, Label, Hash, std::equal_to<>> label_ids_;
  std::vector<TableData> tables_;
  std::unordered_map<std::string, TableId, Hash, std::equal_to<>> table_ids_;
  std::vector<std::pair<TableId, uint64_t>> dirty_;
};

}  // namespace piseruma::projections
