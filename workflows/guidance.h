// Guidance: next_steps(case) — the commands this user may issue on this stream now, the
// fields each needs (type, label, options, bounds, whether personal), the due date of the
// deadline it meets, and what blocks it (a missing consent, a pending transfer, …).
// The caseworker's screen is built from this.
//
// Thread-safety: pure function.
//
//   for (const NextStep& s : NextSteps(registry, state, "case-7K2M", user, today)) render(s);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "workflows/decision.h"

namespace piseruma::workflows {

struct FieldSpec {
  std::string name;
  std::string type;  // text | date | number | integer | boolean | list | choice
  bool required = false;
  bool personal = false;
  Label label;
  Label help;
  std::vector<Option> options;
  std::optional<double> min;
  std::optional<double> max;
};

struct NextStep {
  std::string machine;
  Label machine_label;
  Label state_label;
  std::string command;
  Label label;
  Label help;
  std::vector<FieldSpec> fields;
  std::string due_on;   // of the earliest open deadline this step meets; "" when none
  bool overdue = false;
  std::vector<FieldViolation> blocked_by;  // preconditions that fail now
};

std::vector<NextStep> NextSteps(const WorkflowRegistry& registry, const StreamState& state,
                                const std::string& stream_id, const UserContext& user, Day today);

// The form of one transition's fields (also used by GET /v1/workflows).
std::vector<FieldSpec> FieldSpecs(const Transition& transition, const WorkflowRegistry& registry);

}  // namespace piseruma::workflows
