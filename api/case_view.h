// The JSON a client sees of a case or cooperative: its state with French and English
// labels, its deadlines, and the next steps for the signed-in user (from guidance).
// Personal fields are added by the endpoint, only for roles allowed to read them.
//
// Thread-safety: pure functions.
//
//   boost::json::object o = StreamJson(registry, state);
//   o["next_steps"] = NextStepsJson(NextSteps(registry, state, id, user, today));
#pragma once

#include <boost/json.hpp>
#include <vector>

#include "workflows/guidance.h"
#include "workflows/proto/state.pb.h"
#include "workflows/registry.h"

namespace piseruma::api {

boost::json::object LabelJson(const workflows::Label& label);
boost::json::object StreamJson(const workflows::WorkflowRegistry& registry,
                               const workflows::StreamState& state);
boost::json::array NextStepsJson(const std::vector<workflows::NextStep>& steps);
boost::json::array FieldSpecsJson(const std::vector<workflows::FieldSpec>& fields);

}  // namespace piseruma::api
