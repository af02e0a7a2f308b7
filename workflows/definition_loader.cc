#include "workflows/definition_loader.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "workflows/dates.h"
#include "workflows/handlers.h"
#include "workflows/message_fields.h"
#include "workflows/preconditions.h"

namespace piseruma::workflows {
namespace {

using google::protobuf::TextFormat;

const std::set<std::string>& KnownRoles() {
  static const auto* roles = new std::set<std::string>{"caseworker", "supervisor", "admin"};
  return *roles;
}

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  explicit Collector(std::string file) : file_(std::move(file)) {}
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string file_;
  std::string first_;
};

template <typename Proto>
Result<Proto> ParseText(const std::string& text, const std::string& file,
                        TextFormat::ParseInfoTree* tree) {
  Proto out;
  TextFormat::Parser parser;
  Collector errors(file);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(tree);
  if (!parser.ParseFromString(text, &out)) {
    return Status::InvalidArgument(errors.first().empty() ? file + ": cannot parse" : errors.first());
  }
  return out;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Builds "FILE:LINE: message" errors from the parse tree's locations.
class Checker {
 public:
  Checker(const WorkflowDefinition& def, const TextFormat::ParseInfoTree& tree, std::string file)
      : def_(def), tree_(tree), file_(std::move(file)) {}

  Status Run();

 private:
  // The line of top-level field `name` (index, or -1 for singular), 1-based.
  int Line(const char* name, int index) const {
    const auto* f = WorkflowDefinition::descriptor()->FindFieldByName(name);
    auto loc = tree_.GetLocation(f, index);
    return loc.line + 1;
  }
  // The line of field `name` inside the `outer`[index] message.
  int NestedLine(const char* outer, int index, const google::protobuf::Descriptor* type,
                 const char* name, int sub_index) const {
    const auto* of = WorkflowDefinition::descriptor()->FindFieldByName(outer);
    const TextFormat::ParseInfoTree* nested = tree_.GetTreeForNested(of, index);
    if (!nested) return Line(outer, index);
    const auto* field = type->FindFieldByName(name);
    if (field->is_repeated() && sub_index < 0) sub_index = 0;
    auto loc = nested->GetLocation(field, sub_index);
    return loc.line >= 0 ? loc.line + 1 : Line(outer, index);
  }
  Status Error(int line, const std::string& message) const {
    return Status::InvalidArgument(file_ + ":" + std::to_string(line) + ": " + message);
  }
  Status CheckTransition(int i, const std::set<std::string>& states);
  Status CheckRule(int i, int j, const FieldRule& rule, const google::protobuf::Descriptor* type);
  Status CheckDeadline(int i, const std::set<std::string>& events);

  const WorkflowDefinition& def_;
  const TextFormat::ParseInfoTree& tree_;
  std::string file_;
};

bool IsProgrammeNumber(const std::string& name) {
  const auto* f = ProgrammeParameters::descriptor()->FindFieldByName(name);
  return f && !f->is_repeated() && f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING;
}

Status Checker::CheckRule(int i, int j, const FieldRule& rule, const google::protobuf::Descriptor* type) {
  const int line = NestedLine("transitions", i, Transition::descriptor(), "fields", j);
  if (!FindFieldPath(type, rule.field())) {
    return Error(line, "rule on field '" + rule.field() + "', which " + type->name() + " does not have");
  }
  if (!rule.one_of_param().empty() && rule.one_of_param() != "cities") {
    return Error(line, "one_of_param '" + rule.one_of_param() + "' is not a list parameter (only 'cities')");
  }
  for (const std::string& p : {rule.min_param(), rule.max_param()}) {
    if (!p.empty() && !IsProgrammeNumber(p)) return Error(line, "unknown programme parameter '" + p + "'");
  }
  return Status::Ok();
}

Status Checker::CheckTransition(int i, const std::set<std::string>& states) {
  const Transition& t = def_.transitions(i);
  const int line = Line("transitions", i);
  if (t.command().empty()) return Error(line, "a transition needs a command");
  auto msg = NewCommandMessage(t.command());
  if (!msg) return Error(line, "command " + t.command() + " has no message in workflows/proto/commands.proto");
  const std::string handler = t.handler().empty() ? "record" : t.handler();
  if (!HasHandler(handler)) return Error(line, "command " + t.command() + " names handler '" + handler + "', which does not exist");
  if (t.event().empty()) return Error(line, "command " + t.command() + " records no event (set `event`)");
  if (t.from().empty()) return Error(line, "command " + t.command() + " has no `from` state");
  for (int j = 0; j < t.from_size(); ++j) {
    if (!states.count(t.from(j))) {
      return Error(NestedLine("transitions", i, Transition::descriptor(), "from", j),
                   "command " + t.command() + " starts from unknown state '" + t.from(j) + "'");
    }
  }
  if (!t.to().empty() && !states.count(t.to())) {
    return Error(NestedLine("transitions", i, Transition::descriptor(), "to", -1),
                 "command " + t.command() + " leads to unknown state '" + t.to() + "' (a transition to nowhere)");
  }
  if (t.system() != t.roles().empty()) {
    return Error(line, "command " + t.command() + ": a transition has roles or is system, not both or neither");
  }
  for (const auto& role : t.roles()) {
    if (!KnownRoles().count(role)) return Error(line, "unknown role '" + role + "' (caseworker, supervisor, admin)");
  }
  if (!t.when().empty()) {
    const size_t eq = t.when().find('=');
    if (eq == std::string::npos || !FindFieldPath(msg->GetDescriptor(), t.when().substr(0, eq))) {
      return Error(NestedLine("transitions", i, Transition::descriptor(), "when", -1),
                   "`when: \"" + t.when() + "\"` must be field=value on a field of " + t.command());
    }
  }
  for (int j = 0; j < t.fields_size(); ++j) PSR_RETURN_IF_ERROR(CheckRule(i, j, t.fields(j), msg->GetDescriptor()));
  for (int j = 0; j < t.preconditions_size(); ++j) {
    if (!HasPrecondition(t.preconditions(j).name())) {
      return Error(NestedLine("transitions", i, Transition::descriptor(), "preconditions", j),
                   "unknown precondition '" + t.preconditions(j).name() + "'");
    }
  }
  return Status::Ok();
}

Status Checker::CheckDeadline(int i, const std::set<std::string>& events) {
  const Deadline& d = def_.deadlines(i);
  const int line = Line("deadlines", i);
  if (d.name().empty()) return Error(line, "a deadline needs a name");
  if (!events.count(d.start_on().event())) {
    return Error(line, "deadline " + d.name() + " starts on event '" + d.start_on().event() +
                           "', which no transition of this workflow records");
  }
  for (const auto& m : d.met_by()) {
    if (!events.count(m.event())) {
      return Error(line, "deadline " + d.name() + " is met by event '" + m.event() + "', which no transition records");
    }
  }
  if (d.met_by().empty()) return Error(line, "deadline " + d.name() + " is never met (add met_by)");
  if (d.days_param().empty() == (d.days() == 0)) {
    return Error(line, "deadline " + d.name() + " needs exactly one of days or days_param");
  }
  if (!d.days_param().empty() && !IsProgrammeNumber(d.days_param())) {
    return Error(line, "deadline " + d.name() + ": unknown programme parameter '" + d.days_param() + "'");
  }
  return Status::Ok();
}

Status Checker::Run() {
  if (def_.name().empty()) return Error(1, "the definition needs a name");
  if (def_.version() == 0) return Error(1, "the definition needs a version >= 1");
  const std::string stem = std::filesystem::path(file_).filename().string();
  const std::string expected = def_.name() + ".v" + std::to_string(def_.version()) + ".textproto";
  if (stem.find(".textproto") != std::string::npos && stem != expected) {
    return Error(Line("name", -1), "the file of " + def_.name() + " version " +
                                       std::to_string(def_.version()) + " must be named " + expected);
  }
  std::set<std::string> states;
  for (int i = 0; i < def_.states_size(); ++i) {
    if (!states.insert(def_.states(i).name()).second) {
      return Error(Line("states", i), "state '" + def_.states(i).name() + "' is defined twice");
    }
  }
  if (!states.count(def_.initial_state())) {
    return Error(Line("initial_state", -1), "initial state '" + def_.initial_state() + "' is not a state");
  }
  std::set<std::string> events;
  for (int i = 0; i < def_.transitions_size(); ++i) {
    PSR_RETURN_IF_ERROR(CheckTransition(i, states));
    events.insert(def_.transitions(i).event());
  }
  for (int i = 0; i < def_.deadlines_size(); ++i) PSR_RETURN_IF_ERROR(CheckDeadline(i, events));

  // Every state must be reachable from the initial one.
  std::set<std::string> reached{def_.initial_state()};
  std::deque<std::string> todo{def_.initial_state()};
  while (!todo.empty()) {
    const std::string s = todo.front();
    todo.pop_front();
    for (const auto& t : def_.transitions()) {
      const bool from_here = std::find(t.from().begin(), t.from().end(), s) != t.from().end();
      if (from_here && !t.to().empty() && reached.insert(t.to()).second) todo.push_back(t.to());
    }
  }
  for (int i = 0; i < def_.states_size(); ++i) {
    if (!reached.count(def_.states(i).name())) {
      return Error(Line("states", i), "state '" + def_.states(i).name() + "' cannot be reached from '" +
                                          def_.initial_state() + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<WorkflowDefinition> ParseDefinition(const std::string& text, const std::string& file) {
  TextFormat::ParseInfoTree tree;
  PSR_ASSIGN_OR_RETURN(WorkflowDefinition def, ParseText<WorkflowDefinition>(text, file, &tree));
  PSR_RETURN_IF_ERROR(Checker(def, tree, file).Run());
  return def;
}

Result<WorkflowDefinition> LoadDefinitionFile(const std::string& path) {
  PSR_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseDefinition(text, path);
}

Result<ProgrammeParameters> ParseProgramme(const std::string& text, const std::string& file) {
  TextFormat::ParseInfoTree tree;
  PSR_ASSIGN_OR_RETURN(ProgrammeParameters p, ParseText<ProgrammeParameters>(text, file, &tree));
  auto line = [&](const char* name) {
    return file + ":" + std::to_string(tree.GetLocation(ProgrammeParameters::descriptor()->FindFieldByName(name), -1).line + 1);
  };
  if (p.cities().empty()) return Status::InvalidArgument(file + ": `cities` must list the programme's cities");
  for (const char* date : {"programme_start", "tahfiz_window_start", "tahfiz_window_end"}) {
    const auto* f = ProgrammeParameters::descriptor()->FindFieldByName(date);
    if (!ParseDate(p.GetReflection()->GetString(p, f))) {
      return Status::InvalidArgument(line(date) + ": " + date + " must be a date YYYY-MM-DD");
    }
  }
  if (p.cooperative_min_members() < 2) {
    return Status::InvalidArgument(line("cooperative_min_members") + ": a cooperative needs at least 2 members");
  }
  if (p.small_cell_threshold() < 1) {
    return Status::InvalidArgument(line("small_cell_threshold") + ": the threshold must be >= 1");
  }
  return p;
}

Result<ProgrammeParameters> LoadProgrammeFile(const std::string& path) {
  PSR_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseProgramme(text, path);
}

}  // namespace piseruma::workflows
