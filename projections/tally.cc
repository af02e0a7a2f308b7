// Cells are stored (see store.cc) as: table 0x00 row 0x00 col -> fixed64be(value).
#include "projections/tally.h"

namespace piseruma::projections {
namespace {

std::string EncodeValue(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(u & 0xFF);
    u >>= 8;
  }
  return out;
}

uint64_t Key(TallyBook::Label row, TallyBook::Label col) { return (uint64_t{row} << 32) | col; }

}  // namespace

TallyBook::Label TallyBook::Intern(std::string_view label) {
  auto it = label_ids_.find(label);
  if (it != label_ids_.end()) return it->second;
  const Label id = static_cast<Label>(labels_.size());
  labels_.emplace_back(label);
  label_ids_.emplace(std::string(label), id);
  return id;
}

TallyBook::TableId TallyBook::Table(std::string_view name) {
  auto it = table_ids_.find(name);
  if (it != table_ids_.end()) return it->second;
  const TableId id = static_cast<TableId>(tables_.size());
  tables_.push_back({std::string(name), {}});
  table_ids_.emplace(std::string(name), id);
  return id;
}

int64_t TallyBook::FindTable(std::string_view name) const {
  auto it = table_ids_.find(name);
  return it == table_ids_.end() ? -1 : it->second;
}

void TallyBook::Add(TableId table, Label row, Label col, int64_t delta) {
  const uint64_t key = Key(row, col);
  Cell& cell = tables_[table].cells[key];
  cell.value += delta;
  if (!cell.dirty) {
    cell.dirty = true;
    dirty_.emplace_back(table, key);
  }
}

int64_t TallyBook::Get(TableId table, Label row, Label col) const {
  const auto& cells = tables_[table].cells;
  auto it = cells.find(Key(row, col));
  return it == cells.end() ? 0 : it->second.value;
}

void TallyBook::WriteChanges(char kind, RowWriter* out) {
  std::string key;
  for (const auto& [table, cell_key] : dirty_) {
    TableData& t = tables_[table];
    auto it = t.cells.find(cell_key);
    if (it == t.cells.end()) continue;
    key.assign(1, kind);
    key += t.name;
    key.push_back('\0');
    key += labels_[cell_key >> 32];
    key.push_back('\0');
    key += labels_[cell_key & 0xFFFFFFFF];
    if (it->second.value == 0) {
      out->Delete(key);
      t.cells.erase(it);
    } else {
      out->Put(key, EncodeValue(it->second.value));
      it->second.dirty = false;
    }
  }
  dirty_.clear();
}

Status TallyBook::LoadCell(std::string_view key, std::string_view value) {
  const size_t a = key.find('\0');
  const size_t b = a == std::string_view::npos ? a : key.find('\0', a + 1);
  if (b == std::string_view::npos || value.size() != 8)
    return Status::DataLoss("a dashboard count is damaged");
  uint64_t u = 0;
  for (char c : value) u = (u << 8) | static_cast<uint8_t>(c);
  const TableId table = Table(key.substr(0, a));
  const uint64_t cell_key = Key(Intern(key.substr(a + 1, b - a - 1)), Intern(key.substr(b + 1)));
  tables_[table].cells[cell_key].value = static_cast<int64_t>(u);
  return Status::Ok();
}

void TallyBook::Clear() {
  for (auto& t : tables_) t.cells.clear();
  dirty_.clear();
}

std::map<std::tuple<std::string, std::string, std::string>, int64_t> TallyBook::Snapshot() const {
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> out;
  for (TableId t = 0; t < tables_.size(); ++t) {
    ForEachCell(t, [&](Label row, Label col, int64_t v) {
      out[{tables_[t].name, labels_[row], labels_[col]}] = v;
    });
  }
  return out;
}

}  // namespace piseruma::projections
