#include "api/case_view.h"

#include <google/protobuf/util/json_util.h>

#include "engine/clock.h"

namespace piseruma::api {
namespace {

using workflows::StreamState;

boost::json::value ProtoJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return boost::json::parse(out.empty() ? "{}" : out);
}

boost::json::array Machines(const workflows::WorkflowRegistry& reg, const StreamState& s) {
  std::vector<std::string> names;
  for (const auto& [name, instance] : s.machines()) names.push_back(name);
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    // The root workflow first, then pathways by name.
    const bool ra = a == "case" || a == "cooperative", rb = b == "case" || b == "cooperative";
    return ra != rb ? ra : a < b;
  });
  boost::json::array out;
  for (const auto& name : names) {
    const auto& instance = s.machines().at(name);
    const workflows::WorkflowDefinition* def = reg.Find(name, instance.definition_version());
    boost::json::object m{{"workflow", name},
                          {"definition_version", instance.definition_version()},
                          {"state", instance.state()},
                          {"since", instance.entered_on()}};
    if (def) {
      m["label"] = LabelJson(def->label());
      m["state_label"] = LabelJson(workflows::StateLabel(*def, instance.state()));
      const workflows::State* st = workflows::FindState(*def, instance.state());
      m["finished"] = st && st->terminal();
    }
    out.push_back(std::move(m));
  }
  return out;
}

boost::json::array Deadlines(const workflows::WorkflowRegistry& reg, const StreamState& s) {
  boost::json::array out;
  for (const auto& d : s.deadlines()) {
    boost::json::object o{{"name", d.name()},
                          {"workflow", d.machine()},
                          {"due_on", d.due_on()},
                          {"overdue", d.overdue()}};
    auto it = s.machines().find(d.machine());
    if (it != s.machines().end()) {
      if (const auto* def = reg.Find(d.machine(), it->second.definition_version())) {
        for (const auto& dl : def->deadlines()) {
          if (dl.name() == d.name()) o["label"] = LabelJson(dl.label());
        }
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

boost::json::object LabelJson(const workflows::Label& label) {
  return {{"fr", label.fr()}, {"en", label.en()}};
}

boost::json::object StreamJson(const workflows::WorkflowRegistry& reg, const StreamState& s) {
  boost::json::object o{{"id", s.stream_id()},
                        {"version", s.version()},
                        {"last_position", s.last_position()},
                        {"created_at", engine::FormatRfc3339Micros(s.created_at_us())},
                        {"last_activity_at", engine::FormatRfc3339Micros(s.last_recorded_at_us())},
                        {"workflows", Machines(reg, s)},
                        {"deadlines", Deadlines(reg, s)}};
  if (s.has_case_facts()) o["facts"] = ProtoJson(s.case_facts());
  if (s.has_cooperative()) o["cooperative"] = ProtoJson(s.cooperative());
  return o;
}

boost::json::array FieldSpecsJson(const std::vector<workflows::FieldSpec>& fields) {
  boost::json::array out;
  for (const auto& f : fields) {
    boost::json::object o{{"name", f.name},
                          {"type", f.type},
                          {"required", f.required},
                          {"personal", f.personal},
                          {"label", LabelJson(f.label)}};
    if (!f.help.fr().empty() || !f.help.en().empty()) o["help"] = LabelJson(f.help);
    if (f.min) o["min"] = *f.min;
    if (f.max) o["max"] = *f.max;
    if (!f.options.empty()) {
      boost::json::array opts;
      for (const auto& opt : f.options)
        opts.push_back({{"value", opt.value()}, {"label", LabelJson(opt.label())}});
      o["options"] = std::move(opts);
    }
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::array NextStepsJson(const std::vector<workflows::NextStep>& steps) {
  boost::json::array out;
  for (const auto& s : steps) {
    boost::json::object o{{"workflow", s.machine},
                          {"workflow_label", LabelJson(s.machine_label)},
                          {"state_label", LabelJson(s.state_label)},
                          {"command", s.command},
                          {"label", LabelJson(s.label)},
                          {"fields", FieldSpecsJson(s.fields)}};
    if (!s.help.fr().empty() || !s.help.en().empty()) o["help"] = LabelJson(s.help);
    if (!s.due_on.empty()) {
      o["due_on"] = s.due_on;
      o["overdue"] = s.overdue;
    }
    if (!s.blocked_by.empty()) {
      boost::json::array b;
      for (const auto& v : s.blocked_by)
        b.push_back({{"field", v.field}, {"rule", v.rule}, {"message", v.message}});
      o["blocked_by"] = std::move(b);
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace piseruma::api
