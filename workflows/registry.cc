#include "workflows/registry.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "workflows/definition_loader.h"

namespace piseruma::workflows {

std::string DefaultDefinitionsDir() { return PISERUMA_DEFINITIONS_DIR; }

Result<std::shared_ptr<const WorkflowRegistry>> WorkflowRegistry::LoadDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound("no workflow definitions directory at " + dir);
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, std::regex(R"([a-z_]+\.v[0-9]+\.textproto)"))) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // the same order, so the same first error, every time
  std::vector<WorkflowDefinition> defs;
  for (const auto& f : files) {
    PSR_ASSIGN_OR_RETURN(WorkflowDefinition d, LoadDefinitionFile(f));
    defs.push_back(std::move(d));
  }
  PSR_ASSIGN_OR_RETURN(ProgrammeParameters params,
                       LoadProgrammeFile((std::filesystem::path(dir) / "programme.textproto").string()));
  return FromParts(std::move(defs), std::move(params));
}

Result<std::shared_ptr<const WorkflowRegistry>> WorkflowRegistry::FromParts(std::vector<WorkflowDefinition> defs,
                                                                            ProgrammeParameters params) {
  std::shared_ptr<WorkflowRegistry> reg(new WorkflowRegistry());
  reg->defs_ = std::move(defs);
  reg->params_ = std::move(params);
  PSR_RETURN_IF_ERROR(reg->Index());
  return std::shared_ptr<const WorkflowRegistry>(std::move(reg));
}

Status WorkflowRegistry::Index() {
  for (const auto& d : defs_) {
    if (!by_version_.emplace(std::make_pair(d.name(), d.version()), &d).second) {
      return Status::InvalidArgument("workflow " + d.name() + " version " + std::to_string(d.version()) + " is defined twice");
    }
    auto& latest = latest_[d.name()];
    if (!latest || latest->version() < d.version()) latest = &d;
    for (const auto& t : d.transitions()) {
      auto [it, fresh] = machine_of_command_.emplace(t.command(), d.name());
      if (!fresh && it->second != d.name()) {
        return Status::InvalidArgument("command " + t.command() + " belongs to both " + it->second + " and " + d.name());
      }
    }
  }
  for (const char* root : {"case", "cooperative"}) {
    if (!latest_.count(root)) return Status::InvalidArgument("no definition of the '" + std::string(root) + "' workflow");
  }
  for (const auto& t : latest_["case"]->transitions()) {
    if (t.command() != "OrientToPathway") continue;
    for (const auto& rule : t.fields()) {
      for (const auto& option : rule.options()) {
        if (rule.field() == "pathway" && !latest_.count(option.value())) {
          return Status::InvalidArgument("pathway '" + option.value() + "' has no workflow definition");
        }
      }
    }
  }
  return Status::Ok();
}

const WorkflowDefinition* WorkflowRegistry::Find(const std::string& name, uint32_t version) const {
  auto it = by_version_.find({name, version});
  return it == by_version_.end() ? nullptr : it->second;
}

const WorkflowDefinition* WorkflowRegistry::Latest(const std::string& name) const {
  auto it = latest_.find(name);
  return it == latest_.end() ? nullptr : it->second;
}

std::string WorkflowRegistry::MachineOf(const std::string& command) const {
  auto it = machine_of_command_.find(command);
  return it == machine_of_command_.end() ? "" : it->second;
}

double WorkflowRegistry::Param(const std::string& name) const {
  const auto* f = ProgrammeParameters::descriptor()->FindFieldByName(name);
  const auto* r = params_.GetReflection();
  switch (f->cpp_type()) {
    case google::protobuf::FieldDescriptor::CPPTYPE_UINT32: return r->GetUInt32(params_, f);
    case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: return r->GetDouble(params_, f);
    default: return 0;
  }
}

std::vector<const WorkflowDefinition*> WorkflowRegistry::LatestDefinitions() const {
  std::vector<const WorkflowDefinition*> out;
  for (const auto& [name, def] : latest_) out.push_back(def);
  return out;
}

const State* FindState(const WorkflowDefinition& def, const std::string& name) {
  for (const auto& s : def.states()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

const Label& StateLabel(const WorkflowDefinition& def, const std::string& name) {
  const State* s = FindState(def, name);
  return s ? s->label() : Label::default_instance();
}

}  // namespace piseruma::workflows
