// Projection: one read model folded from the log — its in-memory state, how one event
// changes it, and the rows it keeps in the projections database (layout: store.cc).
//
// The runtime (runtime.h) owns every projection: it loads the rows at open, feeds events
// in log order, and at each checkpoint asks for the rows changed since the last one and
// writes them with the checkpoint in one batch. A projection therefore never touches
// RocksDB itself, and its Apply() is a pure in-memory fold.
//
// Thread-safety: not thread-safe. The runtime calls Apply/WriteChanges/Clear/LoadRow from
// its single writer thread under its unique lock, and const query methods under a shared
// lock.
//
//   class CaseSummaryProjection final : public Projection {
//     std::string_view name() const override { return "case_summary"; }
//     void Apply(const ProjectionEvent& e) override { … }  // and the rest
//   };
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/status.h"
#include "projections/event.h"
#include "projections/store.h"

namespace piseruma::projections {

class Projection {
 public:
  virtual ~Projection() = default;

  // Stable name: the key of its rows and of `piseruma rebuild NAME`.
  virtual std::string_view name() const = 0;
  // Bump when the fold or the row format changes: the runtime then rebuilds it on start.
  virtual uint32_t version() const = 0;

  // Empties the state (before a rebuild from position 1).
  virtual void Clear() = 0;
  // Restores one stored row at open (keys relative to the projection's range).
  // kDataLoss when the row cannot be read.
  virtual Status LoadRow(std::string_view key, std::string_view value) = 0;
  // Folds one event. Events arrive in position order, each exactly once.
  virtual void Apply(const ProjectionEvent& event) = 0;
  // Writes every row changed since the last call (puts and deletes) and forgets them.
  virtual void WriteChanges(RowWriter* out) = 0;
};

}  // namespace piseruma::projections
