#include "workflows/decider.h"

#include "workflows/guards.h"
#include "workflows/handlers.h"
#include "workflows/message_fields.h"
#include "workflows/preconditions.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::workflows {
namespace {

Status Refuse(const std::string& summary, std::vector<FieldViolation> violations) {
  Status s = Status::FailedPrecondition(summary);
  for (auto& v : violations) s.AddViolation(std::move(v));
  return s;
}

Decision OneEvent(const DecideInput& in, const std::string& type, DomainEvent header) {
  EventToWrite e;
  e.type = type;
  e.header = std::move(header);
  std::shared_ptr<google::protobuf::Message> copy(in.command.New());
  copy->CopyFrom(in.command);
  e.data = std::move(copy);
  Decision d;
  d.writes.push_back({in.stream_id, in.state.version(), {}});
  d.writes[0].events.push_back(std::move(e));
  return d;
}

Result<Decision> MarkOverdue(const DecideInput& in) {
  const auto& m = static_cast<const MarkDeadlineOverdue&>(in.command);
  for (const auto& d : in.state.deadlines()) {
    if (d.name() != m.deadline() || d.due_on() != m.due_on()) continue;
    if (d.overdue())
      return Status::FailedPrecondition("deadline " + m.deadline() + " is already overdue");
    auto due = ParseDate(d.due_on());
    if (!due || *due >= in.today)
      return Status::FailedPrecondition("deadline " + m.deadline() + " is not due yet");
    return OneEvent(in, "DeadlineOverdue", DomainEvent());
  }
  return Status::FailedPrecondition("deadline " + m.deadline() + " due " + m.due_on() +
                                    " is not open");
}

Result<Decision> Migrate(const DecideInput& in) {
  const auto& m = static_cast<const MigrateWorkflow&>(in.command);
  auto it = in.state.machines().find(m.machine());
  if (it == in.state.machines().end())
    return Status::FailedPrecondition("workflow " + m.machine() + " is not running here");
  const WorkflowDefinition* target = in.registry.Find(m.machine(), m.to_version());
  if (!target)
    return Status::InvalidArgument("workflow " + m.machine() + " has no version " +
                                   std::to_string(m.to_version()));
  if (!FindState(*target, it->second.state())) {
    return Status::FailedPrecondition("version " + std::to_string(m.to_version()) + " of " +
                                      m.machine() + " has no state '" + it->second.state() +
                                      "'; migrate from another state");
  }
  if (m.reason().empty())
    return Status::InvalidArgument("reason is required: say why the case is migrated");
  DomainEvent h;
  MachineChange* c = h.mutable_transition();
  c->set_machine(m.machine());
  c->set_definition_version(m.to_version());
  c->set_from_state(it->second.state());
  c->set_to_state(it->second.state());
  return OneEvent(in, "WorkflowMigrated", std::move(h));
}

Result<Decision> Erase(const DecideInput& in) {
  const auto& m = static_cast<const ErasePersonalData&>(in.command);
  if (m.request_ref().empty())
    return Status::InvalidArgument("request_ref is required: name the data-subject request");
  if (in.state.case_facts().personal_data_erased())
    return Status::FailedPrecondition("this person's data is already erased");
  Decision d = OneEvent(in, "PersonalDataErased", DomainEvent());
  d.forget_subject = in.stream_id;
  d.forget_request_ref = m.request_ref();
  return d;
}

Result<Decision> DecideBuiltIn(const DecideInput& in) {
  const std::string& name = in.command_name;
  const bool system = name == "MarkDeadlineOverdue";
  if (system != (in.user.role == "system") || (!system && in.user.role != "admin")) {
    return Status::PermissionDenied(
        name + (system ? " is recorded by the deadline scheduler only" : " is for administrators"));
  }
  if (in.state.version() == 0)
    return Status::NotFound("stream " + in.stream_id + " does not exist");
  if (name == "MarkDeadlineOverdue") return MarkOverdue(in);
  if (name == "MigrateWorkflow") return Migrate(in);
  return Erase(in);
}

// Starts and meets deadlines of the target stream's events, per the event's workflow.
void ApplyDeadlines(const DecideInput& in, Decision* d) {
  for (auto& write : d->writes) {
    if (write.stream_id != in.stream_id) continue;
    for (auto& e : write.events) {
      if (!e.header.has_transition()) continue;
      const MachineChange& c = e.header.transition();
      const WorkflowDefinition* def = in.registry.Find(c.machine(), c.definition_version());
      if (!def) continue;
      for (const Deadline& dl : def->deadlines()) {
        const bool open = std::any_of(in.state.deadlines().begin(), in.state.deadlines().end(),
                                      [&](const OpenDeadline& o) { return o.name() == dl.name(); });
        for (const auto& met : dl.met_by()) {
          if (open && met.event() == e.type && MatchesWhen(*e.data, met.when()))
            e.header.add_deadlines_met(dl.name());
        }
        if (dl.start_on().event() != e.type || !MatchesWhen(*e.data, dl.start_on().when()))
          continue;
        Day base = in.today;
        if (!dl.from_field().empty())
          base = ParseDate(FieldText(*e.data, dl.from_field()).value_or("")).value_or(in.today);
        const double days =
            dl.days_param().empty() ? dl.days() : in.registry.Param(dl.days_param());
        DeadlineStart* s = e.header.add_deadlines_started();
        s->set_name(dl.name());
        s->set_machine(def->name());
        s->set_due_on(FormatDate(base + static_cast<Day>(days)));
      }
      // A workflow that ends cancels its remaining deadlines.
      const State* to = FindState(*def, c.to_state());
      if (to && to->terminal()) {
        for (const auto& o : in.state.deadlines()) {
          if (o.machine() == def->name()) e.header.add_deadlines_met(o.name());
        }
      }
    }
  }
}

}  // namespace

std::string RootMachineOf(const std::string& stream_id) {
  if (stream_id.rfind("case-", 0) == 0) return "case";
  if (stream_id.rfind("coop-", 0) == 0) return "cooperative";
  return "";
}

std::string StreamCity(const StreamState& state) {
  return state.has_cooperative() && !state.cooperative().city().empty() ? state.cooperative().city()
                                                                        : state.case_facts().city();
}

Result<Decision> Decide(const DecideInput& in) {
  const std::string& name = in.command_name;
  const std::string root = RootMachineOf(in.stream_id);
  if (root.empty())
    return Status::InvalidArgument("stream " + in.stream_id +
                                   " is neither a case nor a cooperative");
  if (name == "MarkDeadlineOverdue" || name == "MigrateWorkflow" || name == "ErasePersonalData")
    return DecideBuiltIn(in);

  const std::string machine = in.registry.MachineOf(name);
  if (machine.empty()) return Status::InvalidArgument("unknown command " + name);
  if ((root == "cooperative") != (machine == "cooperative")) {
    return Status::InvalidArgument(name + " applies to " +
                                   (machine == "cooperative" ? "a cooperative" : "a case") +
                                   ", not to " + in.stream_id);
  }
  const WorkflowDefinition* latest = in.registry.Latest(machine);
  bool role_ever = false;
  for (const auto& t : latest->transitions()) {
    if (t.command() == name &&
        std::find(t.roles().begin(), t.roles().end(), in.user.role) != t.roles().end())
      role_ever = true;
  }
  if (!role_ever) return Status::PermissionDenied("the " + in.user.role + " role may not " + name);

  // City scope: the stream's city, or for a new stream the city it is created in.
  std::string city = StreamCity(in.state);
  if (city.empty() && in.state.version() == 0) city = FieldText(in.command, "city").value_or("");
  // The receiver of a pending transfer answers it from their own city.
  const auto& pending = in.state.case_facts().pending_transfer();
  const bool receives =
      (name == "AcceptTransfer" || name == "DeclineTransfer") &&
      in.state.case_facts().has_pending_transfer() &&
      (in.user.user_id == pending.to_caseworker_id() || in.user.InCity(pending.to_city()));
  if (in.user.role != "admin" && !city.empty() && !in.user.InCity(city) && !receives) {
    return Status::PermissionDenied("this " + std::string(root == "case" ? "case" : "cooperative") +
                                    " is outside your cities");
  }

  auto instance = in.state.machines().find(machine);
  const bool is_root = machine == root;
  if (in.state.version() == 0) {
    // Only a command that starts the root workflow may create the stream.
    bool creates = false;
    for (const auto& t : latest->transitions()) {
      const bool from_initial =
          std::find(t.from().begin(), t.from().end(), latest->initial_state()) != t.from().end();
      creates = creates || (is_root && t.command() == name && from_initial);
    }
    if (!creates)
      return Status::NotFound((root == "case" ? "case " : "cooperative ") + in.stream_id +
                              " does not exist");
  }
  if (!is_root && instance == in.state.machines().end()) {
    return Status::FailedPrecondition("the case is not in the " + machine +
                                      " pathway; orient it there first");
  }
  const uint32_t version = instance == in.state.machines().end()
                               ? latest->version()
                               : instance->second.definition_version();
  const WorkflowDefinition* def = in.registry.Find(machine, version);
  if (!def)
    return Status::Internal("workflow " + machine + " version " + std::to_string(version) +
                            " is not loaded");
  const std::string current = MachineState(in.state, *def);

  const Transition* chosen = nullptr;
  bool from_here = false;
  for (const auto& t : def->transitions()) {
    if (t.command() != name ||
        std::find(t.from().begin(), t.from().end(), current) == t.from().end())
      continue;
    from_here = true;
    if (t.system() ||
        std::find(t.roles().begin(), t.roles().end(), in.user.role) == t.roles().end())
      continue;
    if (MatchesWhen(in.command, t.when())) {
      chosen = &t;
      break;
    }
  }
  if (!chosen) {
    const Label& label = StateLabel(*def, current);
    if (from_here)
      return Status::PermissionDenied("the " + in.user.role + " role may not " + name + " now");
    return Refuse(name + " n'est pas possible à l'état « " + label.fr() + " ». / " + name +
                      " is not possible while the " + machine + " is '" + label.en() + "'.",
                  {{"command", "illegal_transition", name + " from " + current}});
  }
  if (auto out = SetOutputOnlyFields(in.command); !out.empty()) {
    return Status::InvalidArgument(out.front() + " is computed by piseruma; do not send it");
  }

  DecisionContext ctx{in.registry, in.stream_id, in.state, in.user,  name,   in.command,
                      machine,     *def,         *chosen,  in.today, in.load};
  std::vector<FieldViolation> violations =
      CheckFieldRules(*chosen, in.command, in.registry, in.today);
  for (const Precondition& p : chosen->preconditions()) {
    for (auto& v : CheckPrecondition(ctx, p)) violations.push_back(std::move(v));
  }
  if (!violations.empty()) {
    const std::string summary =
        std::to_string(violations.size()) +
        " condition(s) non remplie(s) / not met: " + violations.front().message;
    return Refuse(summary, std::move(violations));
  }
  PSR_ASSIGN_OR_RETURN(Decision d,
                       RunHandler(chosen->handler().empty() ? "record" : chosen->handler(), ctx));
  ApplyDeadlines(in, &d);
  return d;
}

}  // namespace piseruma::workflows
