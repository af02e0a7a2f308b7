// StreamIndex: a dense number for every stream the projections have seen. An event's stream
// id is hashed once, by the runtime's decoder; each projection then keeps its per-stream
// state in vectors indexed by that number — an array index instead of a string-keyed hash
// lookup (and its cache misses) per projection per event. The table is open-addressed with
// the hash stored beside the number, so a lookup touches one slot and, on a match, the name.
//
// Numbers are stable for the index's lifetime and never stored: each projection's rows are
// keyed by the stream id, and numbered again when loaded.
//
// Thread-safety: not thread-safe. The runtime interns under its writer lock; queries call
// Find() and Name() under its reader lock.
//
//   StreamIndex index;
//   uint32_t i = index.Intern("case-7K2M");   // the same number every time
//   const std::string& id = index.Name(i);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace piseruma::projections {

class StreamIndex {
 public:
  StreamIndex() : slots_(1024) {}
  StreamIndex(const StreamIndex&) = delete;
  StreamIndex& operator=(const StreamIndex&) = delete;

  uint32_t Intern(std::string_view stream_id) {
    const uint64_t hash = Hash(stream_id);
    Slot* slot = Probe(stream_id, hash);
    if (slot->number != kEmpty) return slot->number;
    if ((names_.size() + 1) * 4 > slots_.size() * 3) {  // keep the table at most 3/4 full
      Grow();
      slot = Probe(stream_id, hash);
    }
    *slot = {hash, static_cast<uint32_t>(names_.size())};
    names_.emplace_back(stream_id);
    return slot->number;
  }
  // The number of a stream seen before; -1 when never seen.
  int64_t Find(std::string_view stream_id) const {
    const Slot* slot = const_cast<StreamIndex*>(this)->Probe(stream_id, Hash(stream_id));
    return slot->number == kEmpty ? int64_t{-1} : int64_t{slot->number};
  }
  const std::string& Name(uint32_t n) const { return names_[n]; }
  size_t size() const { return names_.size(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;
    uint32_t number = kEmpty;
  };
  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>()(s); }

  // The slot holding `id`, or the empty slot where it would go.
  Slot* Probe(std::string_view id, uint64_t hash) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.number == kEmpty || (s.hash == hash && names_[s.number] == id)) return &s;
    }
  }
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.number == kEmpty) continue;
      size_t i = s.hash & mask;
      while (slots_[i].number != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size
  std::vector<std::string> names_;
};

}  // namespace piseruma::projections
