// Loading and validating workflow definition files (Protobuf text format).
//
// A bad definition stops the server at start-up with an error naming the file and line:
// a syntax error, an unknown state, a state nothing reaches, a transition to nowhere, a
// command without a message or handler, a rule on a field the command does not have, an
// unknown precondition or programme parameter, a deadline started by an event no
// transition records.
//
// Thread-safety: pure functions.
//
//   PSR_ASSIGN_OR_RETURN(WorkflowDefinition def, LoadDefinitionFile("…/case.v1.textproto"));
//   PSR_ASSIGN_OR_RETURN(ProgrammeParameters p, LoadProgrammeFile("…/programme.textproto"));
#pragma once

#include <string>

#include "engine/status.h"
#include "workflows/proto/definition.pb.h"
#include "workflows/proto/programme.pb.h"

namespace piseruma::workflows {

// Parses and validates one definition. Errors read "FILE:LINE: what is wrong".
Result<WorkflowDefinition> LoadDefinitionFile(const std::string& path);
// The same, from text (`file` only names it in errors).
Result<WorkflowDefinition> ParseDefinition(const std::string& text, const std::string& file);

Result<ProgrammeParameters> LoadProgrammeFile(const std::string& path);
Result<ProgrammeParameters> ParseProgramme(const std::string& text, const std::string& file);

}  // namespace piseruma::workflows
