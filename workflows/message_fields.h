// Reflection over command messages: the generic field access that lets guards, `when`
// conditions and personal-data sealing be driven by definitions instead of code.
//
// Field paths are field names, dotted for nested messages ("disability.seeing").
//
// Thread-safety: pure functions over the messages passed in.
//
//   auto msg = NewCommandMessage("RecordPlacement");        // null when unknown
//   bool set = IsFieldSet(*msg, "start_date");
//   std::map<std::string, std::string> personal = ExtractPersonal(msg.get());
#pragma once

#include <google/protobuf/message.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace piseruma::workflows {

// The full protobuf name of a command: "piseruma.workflows.<name>".
std::string CommandTypeName(std::string_view command);
// A fresh message of the command's type; null when there is no such command message.
std::unique_ptr<google::protobuf::Message> NewCommandMessage(std::string_view command);

// The descriptor of a field path; null when any segment is unknown or a non-final segment
// is not a singular message.
const google::protobuf::FieldDescriptor* FindFieldPath(const google::protobuf::Descriptor* type,
                                                       std::string_view path);

// Whether the field holds a value: non-empty string or list, non-zero number, true bool,
// present optional or sub-message. REQUIRES: `path` resolves (FindFieldPath).
bool IsFieldSet(const google::protobuf::Message& msg, std::string_view path);
// The value as text ("true", "12.5", "CDI"); "" when unset. Repeated fields: nullopt.
std::optional<std::string> FieldText(const google::protobuf::Message& msg, std::string_view path);
// Numeric value; nullopt for non-numeric fields.
std::optional<double> FieldNumber(const google::protobuf::Message& msg, std::string_view path);

// "field=value" tests on a message (definition `when`): an empty condition is true.
bool MatchesWhen(const google::protobuf::Message& msg, std::string_view when);

// Clears every string field marked (personal) = true and returns path → value.
std::map<std::string, std::string> ExtractPersonal(google::protobuf::Message* msg);
// Puts personal values back (paths from ExtractPersonal).
void RestorePersonal(google::protobuf::Message* msg, const std::map<std::string, std::string>& values);
// Paths of every (personal) field of a message type, for documentation and forms.
std::vector<std::string> PersonalFieldPaths(const google::protobuf::Descriptor* type);
// Paths of every (output_only) field the message has set: a client must not set them.
std::vector<std::string> SetOutputOnlyFields(const google::protobuf::Message& msg);

}  // namespace piseruma::workflows
