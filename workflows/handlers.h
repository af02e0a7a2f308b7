// Handlers: the code behind a transition, named in definitions (`handler: "…"`).
//
//   record                one event: the command, as the transition's event type
//   register_participant  + derived fields: age group, participant code, disability flag
//   open_pathway          + starts the pathway's workflow on the case (latest version)
//   request_transfer      + refuses a transfer to the current caseworker and city
//   close_case            + cancels every open deadline of the case
//   record_placement      + TAHFIZ eligibility with the reason of each condition
//   found_cooperative     the cooperative's stream and every member's case, atomically
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "workflows/decision.h"

namespace piseruma::workflows {

bool HasHandler(const std::string& name);
// REQUIRES: HasHandler(name). kFailedPrecondition with violations when the handler's own
// checks fail.
Result<Decision> RunHandler(const std::string& name, const DecisionContext& ctx);

// The standard event of a transition: the machine change and a copy of the command.
EventToWrite TransitionEvent(const DecisionContext& ctx);

// "RAB" for Rabat, "KEN" for Kénitra, "FES" for Fès: the prefix of participant codes.
std::string CityCode(const std::string& city);

}  // namespace piseruma::workflows
