// The values a decision passes around: who acts, what they see, what is to be written.
//
// decide(state, command) → Decision | Status is pure: everything it needs is in the
// DecisionContext (the current state, the command, the user, today's date, and a loader
// for the other streams a multi-stream command reads). It writes nothing.
//
// Thread-safety: plain values.
#pragma once

#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"
#include "workflows/dates.h"
#include "workflows/proto/definition.pb.h"
#include "workflows/proto/events.pb.h"
#include "workflows/proto/state.pb.h"
#include "workflows/registry.h"

namespace piseruma::workflows {

// The person acting. Caseworkers and supervisors act only in their cities.
struct UserContext {
  std::string user_id;
  std::string role;  // caseworker | supervisor | auditor | committee | admin
  std::vector<std::string> cities;
  bool InCity(const std::string& city) const;
};

// Loads another stream's current state (empty StreamState when it has no events).
using StreamLoader = std::function<Result<StreamState>(const std::string& stream_id)>;

struct DecisionContext {
  const WorkflowRegistry& registry;
  const std::string& stream_id;
  const StreamState& state;
  const UserContext& user;
  const std::string& command_name;
  const google::protobuf::Message& command;  // as sent, personal fields included
  const std::string& machine;
  const WorkflowDefinition& definition;  // the version this stream's machine runs on
  const Transition& transition;          // the one selected (state, role and `when` matched)
  Day today;
  StreamLoader load;
};

// One event to append: its type, its header, and its data (personal fields still in clear:
// the command service seals them).
struct EventToWrite {
  std::string type;
  DomainEvent header;  // `data` is left empty; filled from `data` below when appended
  std::shared_ptr<google::protobuf::Message> data;
};

struct StreamDecision {
  std::string stream_id;
  uint64_t expected_version = 0;  // 0: the stream must not exist yet
  std::vector<EventToWrite> events;
};

// What a command decided: events for one or more streams, appended atomically.
struct Decision {
  std::vector<StreamDecision> writes;
  // Set by ErasePersonalData: the engine destroys this subject's data key in the same write.
  std::string forget_subject;
  std::string forget_request_ref;
};

// The state a machine of `state` is in: its instance's, or the definition's initial state.
std::string MachineState(const StreamState& state, const WorkflowDefinition& def);

}  // namespace piseruma::workflows
