// Command data as JSON → the command's protobuf message, in one pass over a parsed
// document (the HTTP body is parsed once, by Boost.JSON, and its "data" converted here).
//
// The proto3 JSON mapping, for every field type a message can have but maps and bytes:
// strings; booleans; integers as whole numbers or decimal strings, within the field's range;
// floating-point numbers as numbers or decimal strings (finite only); enums by name or
// number; nested messages as objects; repeated fields as arrays. null leaves a field unset.
// Keys are the proto field names or their lowerCamelCase JSON names. Anything else —
// unknown fields, wrong types, out of range — is kInvalidArgument naming the field's path
// and the rule, e.g. "data of RegisterParticipant: languages[1] must be a string".
//
// Stricter than protobuf's own JSON parser, which also took "true" for a boolean, a single
// value for a list, null inside a list, and "NaN". Well-known types (Timestamp, wrappers)
// and oneofs get no special treatment: commands use none.
//
//   auto msg = ParseCommandJson("AddNote", R"({"text":"Appel","noted_on":"2026-03-02"})");
//   auto same = CommandFromJson("AddNote", boost::json::parse(body).at("data"));
#pragma once

#include <google/protobuf/message.h>

#include <boost/json/value.hpp>
#include <memory>
#include <string>

#include "engine/status.h"

namespace piseruma::workflows {

// Fills `message` from `json` (an object). `path` names the message in errors.
Status MessageFromJson(const boost::json::value& json, google::protobuf::Message* message,
                       const std::string& path);

// The command's message from its data; kInvalidArgument for an unknown command or bad data.
Result<std::shared_ptr<google::protobuf::Message>> CommandFromJson(const std::string& command,
                                                                   const boost::json::value& data);

// The same from JSON text ("" is {}); invalid JSON is kInvalidArgument too.
Result<std::shared_ptr<google::protobuf::Message>> ParseCommandJson(const std::string& command,
                                                                    const std::string& json);

}  // namespace piseruma::workflows
