#include "workflows/guidance.h"

#include <algorithm>
#include <map>

#include "workflows/decider.h"
#include "workflows/message_fields.h"
#include "workflows/preconditions.h"
#include "workflows/proto/options.pb.h"

namespace piseruma::workflows {
namespace {

using google::protobuf::FieldDescriptor;

std::string TypeOf(const FieldDescriptor* f, const FieldRule& rule) {
  if (f->is_repeated()) return "list";
  if (!rule.options().empty() || !rule.one_of_param().empty()) return "choice";
  if (rule.date() || rule.not_in_future()) return "date";
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL: return "boolean";
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: return "number";
    case FieldDescriptor::CPPTYPE_STRING: return "text";
    case FieldDescriptor::CPPTYPE_MESSAGE: return "object";
    default: return "integer";
  }
}

bool Allowed(const Transition& t, const UserContext& user) {
  return !t.system() && std::find(t.roles().begin(), t.roles().end(), user.role) != t.roles().end();
}

// The events a command may record, to find the deadlines it meets.
bool Meets(const WorkflowDefinition& def, const std::string& deadline, const std::string& event) {
  for (const auto& d : def.deadlines()) {
    if (d.name() != deadline) continue;
    for (const auto& m : d.met_by()) {
      if (m.event() == event) return true;
    }
  }
  return false;
}

void AddMachineSteps(const WorkflowRegistry& reg, const StreamState& state, const std::string& stream_id,
                     const UserContext& user, Day today, const WorkflowDefinition& def, std::vector<NextStep>* out) {
  const std::string current = MachineState(state, def);
  std::map<std::string, size_t> index;  // command → its step in `out`
  for (const Transition& t : def.transitions()) {
    if (std::find(t.from().begin(), t.from().end(), current) == t.from().end() || !Allowed(t, user)) continue;
    auto [it, fresh] = index.emplace(t.command(), out->size());
    if (fresh) {
      NextStep step;
      step.machine = def.name();
      step.machine_label = def.label();
      step.state_label = StateLabel(def, current);
      step.command = t.command();
      out->push_back(std::move(step));
    }
    NextStep& step = (*out)[it->second];
    if (step.label.fr().empty()) {
      step.label = t.label();
      step.help = t.help();
    }
    for (FieldSpec& f : FieldSpecs(t, reg)) {
      auto same = std::find_if(step.fields.begin(), step.fields.end(), [&](const FieldSpec& g) { return g.name == f.name; });
      if (same == step.fields.end()) step.fields.push_back(std::move(f));
      else if (same->options.empty() && !f.options.empty()) same->options = f.options;
    }
    for (const auto& d : state.deadlines()) {
      if (d.machine() != def.name() || !Meets(def, d.name(), t.event())) continue;
      if (step.due_on.empty() || d.due_on() < step.due_on) {
        step.due_on = d.due_on();
        step.overdue = d.overdue() || ParseDate(d.due_on()).value_or(today) < today;
      }
    }
    if (!fresh) continue;
    std::unique_ptr<google::protobuf::Message> empty = NewCommandMessage(t.command());
    DecisionContext ctx{reg, stream_id, state, user, t.command(), *empty, def.name(), def, t, today, nullptr};
    for (const Precondition& p : t.preconditions()) {
      if (PreconditionReadsCommand(p.name())) continue;
      for (auto& v : CheckPrecondition(ctx, p)) step.blocked_by.push_back(std::move(v));
    }
  }
}

}  // namespace

std::vector<FieldSpec> FieldSpecs(const Transition& t, const WorkflowRegistry& reg) {
  std::vector<FieldSpec> out;
  auto msg = NewCommandMessage(t.command());
  if (!msg) return out;
  for (const FieldRule& rule : t.fields()) {
    const FieldDescriptor* f = FindFieldPath(msg->GetDescriptor(), rule.field());
    if (!f) continue;
    FieldSpec spec;
    spec.name = rule.field();
    spec.type = TypeOf(f, rule);
    spec.required = rule.required();
    spec.personal = f->options().GetExtension(personal);
    spec.label = rule.label();
    spec.help = rule.help();
    spec.options.assign(rule.options().begin(), rule.options().end());
    if (rule.one_of_param() == "cities") {
      for (const auto& city : reg.params().cities()) {
        Option o;
        o.set_value(city);
        o.mutable_label()->set_fr(city);
        o.mutable_label()->set_en(city);
        spec.options.push_back(o);
      }
    }
    if (rule.has_min()) spec.min = rule.min();
    if (rule.has_max()) spec.max = rule.max();
    if (!rule.min_param().empty()) spec.min = reg.Param(rule.min_param());
    if (!rule.max_param().empty()) spec.max = reg.Param(rule.max_param());
    out.push_back(std::move(spec));
  }
  return out;
}

std::vector<NextStep> NextSteps(const WorkflowRegistry& reg, const StreamState& state, const std::string& stream_id,
                                const UserContext& user, Day today) {
  std::vector<NextStep> out;
  const std::string root = RootMachineOf(stream_id);
  if (root.empty() || (user.role != "admin" && !StreamCity(state).empty() && !user.InCity(StreamCity(state)))) {
    return out;
  }
  // The root workflow first, then the pathways in name order.
  std::vector<const WorkflowDefinition*> defs;
  auto add = [&](const std::string& name) {
    auto it = state.machines().find(name);
    const WorkflowDefinition* def =
        it == state.machines().end() ? reg.Latest(name) : reg.Find(name, it->second.definition_version());
    if (def) defs.push_back(def);
  };
  add(root);
  std::vector<std::string> pathways;  // protobuf maps have no order: sort for a stable screen
  for (const auto& [name, instance] : state.machines()) {
    if (name != root) pathways.push_back(name);
  }
  std::sort(pathways.begin(), pathways.end());
  for (const auto& name : pathways) add(name);
  for (const WorkflowDefinition* def : defs) AddMachineSteps(reg, state, stream_id, user, today, *def, &out);
  return out;
}

}  // namespace piseruma::workflows
