// WorkflowRegistry: every loaded workflow definition (all versions) and the programme
// parameters, validated together. Immutable once loaded; shared by all threads.
//
// Cross-file rules checked here: a command belongs to one workflow only; the "case" and
// "cooperative" workflows exist; every pathway a case can be oriented to has a workflow.
//
// Thread-safety: immutable; safe to share.
//
//   PSR_ASSIGN_OR_RETURN(auto reg, WorkflowRegistry::LoadDirectory("workflows/definitions"));
//   const WorkflowDefinition* employment = reg->Latest("employment");
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"
#include "workflows/proto/definition.pb.h"
#include "workflows/proto/programme.pb.h"

namespace piseruma::workflows {

class WorkflowRegistry {
 public:
  // Loads "<name>.v<N>.textproto" files and programme.textproto from `dir`.
  static Result<std::shared_ptr<const WorkflowRegistry>> LoadDirectory(const std::string& dir);
  static Result<std::shared_ptr<const WorkflowRegistry>> FromParts(std::vector<WorkflowDefinition> defs,
                                                                   ProgrammeParameters params);

  // Null when absent.
  const WorkflowDefinition* Find(const std::string& name, uint32_t version) const;
  const WorkflowDefinition* Latest(const std::string& name) const;
  // The workflow a command belongs to; "" when no workflow has it.
  std::string MachineOf(const std::string& command) const;
  const ProgrammeParameters& params() const { return params_; }
  // A numeric programme parameter by name. REQUIRES: it exists (the loader checked).
  double Param(const std::string& name) const;
  std::vector<const WorkflowDefinition*> LatestDefinitions() const;
  const std::vector<WorkflowDefinition>& all() const { return defs_; }

 private:
  WorkflowRegistry() = default;
  Status Index();

  std::vector<WorkflowDefinition> defs_;
  ProgrammeParameters params_;
  std::map<std::pair<std::string, uint32_t>, const WorkflowDefinition*> by_version_;
  std::map<std::string, const WorkflowDefinition*> latest_;
  std::map<std::string, std::string> machine_of_command_;
};

// Helpers over one definition.
const State* FindState(const WorkflowDefinition& def, const std::string& name);
const Label& StateLabel(const WorkflowDefinition& def, const std::string& name);

// The default definitions directory of this build (the source tree's workflows/definitions).
std::string DefaultDefinitionsDir();

}  // namespace piseruma::workflows
