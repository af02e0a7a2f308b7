// The projections' model: what every read model must hold, computed the straightforward way
// — each stream folded with the workflows' own Evolve (not the projections' code), the
// flows counted by a plain loop over workflows::DecodeEvent — and the same shapes read back
// from a running ProjectionRuntime, so a test can compare them with ==.
//
//   Model want = FoldModel(log);
//   Model got = Observe(runtime);
//   EXPECT_EQ(Describe(want), Describe(got));
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "engine/event_log.h"
#include "projections/runtime.h"

namespace piseruma::testing {

struct Model {
  std::map<std::string, projections::CaseRow> cases;
  std::map<std::string, std::string> cooperative_states;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> tallies;  // nonzero cells
  std::map<std::string, projections::CooperativeRecord> cooperatives;
};

// The model of the log's events up to `up_to` (0: the head).
Model FoldModel(const engine::EventLog& log, uint64_t up_to = 0);
// What the runtime's projections hold now.
Model Observe(const projections::ProjectionRuntime& runtime);
// The first difference between two models, "" when equal — readable in a test failure.
std::string Difference(const Model& want, const Model& got);

}  // namespace piseruma::testing
