// decide(state, command) → Decision | Status: whether a command is legal on a stream now,
// and which events it records. Pure: it reads the state given and, for multi-stream
// commands, other streams through the loader; it writes nothing.
//
// The checks, in order, each with its own status (mapped to HTTP in api/):
//   unknown command → kInvalidArgument; a role that may never issue it → kPermissionDenied;
//   a case outside the user's cities → kPermissionDenied; an unknown stream → kNotFound;
//   a pathway not open on the case → kFailedPrecondition; no transition from the current
//   state → kFailedPrecondition (illegal transition); a client setting an output field →
//   kInvalidArgument; then every field rule and precondition at once → kFailedPrecondition
//   with one violation each.
//
// Built-in commands, not in definitions: MarkDeadlineOverdue (the scheduler, role
// "system"), MigrateWorkflow and ErasePersonalData (admin).
//
// Thread-safety: pure function.
//
//   PSR_ASSIGN_OR_RETURN(Decision d, Decide({registry, "case-7K2M", state, user,
//                                            "RecordConsent", *msg, today, loader}));
#pragma once

#include "workflows/decision.h"

namespace piseruma::workflows {

struct DecideInput {
  const WorkflowRegistry& registry;
  const std::string& stream_id;
  const StreamState& state;
  const UserContext& user;
  const std::string& command_name;
  const google::protobuf::Message& command;
  Day today;
  StreamLoader load;
};

Result<Decision> Decide(const DecideInput& in);

// The workflow at the root of a stream: "case" for case-…, "cooperative" for coop-…; "" else.
std::string RootMachineOf(const std::string& stream_id);
// The city a stream belongs to (for scoping), or "" before it has one.
std::string StreamCity(const StreamState& state);

}  // namespace piseruma::workflows
