// Field rules of a transition (definition `fields { … }`): required, date, not in the future,
// min/max (fixed or from a programme parameter), one of the options or of a parameter list.
// Every broken rule is returned, so the caseworker fixes them all at once.
//
// Thread-safety: pure function.
//
//   std::vector<FieldViolation> v = CheckFieldRules(transition, command, registry, today);
#pragma once

#include <google/protobuf/message.h>

#include <vector>

#include "engine/status.h"
#include "workflows/dates.h"
#include "workflows/proto/definition.pb.h"
#include "workflows/registry.h"

namespace piseruma::workflows {

std::vector<FieldViolation> CheckFieldRules(const Transition& transition,
                                            const google::protobuf::Message& command,
                                            const WorkflowRegistry& registry, Day today);

}  // namespace piseruma::workflows
