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

size_t TallyBook::Find(uint64_t key) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = (key * 0x9E3779B97F4A7C15ull) >> shift_;; i = (i + 1) & mask) {
    if (slots_[i].key == key || slots_[i].key == kEmpty) return i;
  }
}

void TallyBook::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  --shift_;
  for (const Slot& s : old) {
    if (s.key != kEmpty) slots_[Find(s.key)] = s;
  }
}

TallyBook::Slot& TallyBook::SlotFor(TableId table, uint64_t cell) {
  const uint64_t key = Pack(table, cell);
  size_t i = Find(key);
  if (slots_[i].key == kEmpty) {
    if ((used_ + 1) * 10 > slots_.size() * 7) {  // at most 70% full
      Grow();
      i = Find(key);
    }
    slots_[i].key = key;
    ++used_;
    tables_[table].cells.push_back(cell);
  }
  return slots_[i];
}

void TallyBook::Add(TableId table, Label row, Label col, int64_t delta) {
  Slot& slot = SlotFor(table, Cell(row, col));
  slot.value += delta;
  if (!slot.dirty) {
    slot.dirty = true;
    dirty_.push_back(slot.key);
  }
}

int64_t TallyBook::Get(TableId table, Label row, Label col) const {
  const Slot& slot = slots_[Find(Pack(table, Cell(row, col)))];
  return slot.key == kEmpty ? 0 : slot.value;
}

void TallyBook::WriteChanges(char kind, RowWriter* out) {
  std::string key;
  for (uint64_t k : dirty_) {
    Slot& slot = slots_[Find(k)];
    const TableData& t = tables_[k >> 48];
    key.assign(1, kind);
    key += t.name;
    key.push_back('\0');
    key += labels_[(k >> 24) & kLabelMask];
    key.push_back('\0');
    key += labels_[k & kLabelMask];
    if (slot.value == 0) {
      out->Delete(key);
    } else {
      out->Put(key, EncodeValue(slot.value));
    }
    slot.dirty = false;
  }
  dirty_.clear();
}

Status TallyBook::LoadCell(std::string_view key, std::string_view value) {
  const size_t a = key.find('\0');
  const size_t b = a == std::string_view::npos ? a : key.find('\0', a + 1);
  if (b == std::string_view::npos || value.size() != 8) {
    return Status::DataLoss("a dashboard count is damaged");
  }
  uint64_t u = 0;
  for (char c : value) u = (u << 8) | static_cast<uint8_t>(c);
  const TableId table = Table(key.substr(0, a));
  SlotFor(table, Cell(Intern(key.substr(a + 1, b - a - 1)), Intern(key.substr(b + 1)))).value =
      static_cast<int64_t>(u);
  return Status::Ok();
}

void TallyBook::Clear() {
  for (auto& t : tables_) t.cells.clear();
  slots_.assign(slots_.size(), Slot());
  used_ = 0;
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
