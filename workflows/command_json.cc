#include "workflows/command_json.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <limits>

#include "workflows/message_fields.h"

namespace piseruma::workflows {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Join(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

Status Refuse(const std::string& where, const std::string& rule) {
  return Status::InvalidArgument(where + " " + rule);
}

// A whole number from a JSON number or a decimal string, as the widest type of its sign.
template <typename Int>
Result<Int> WholeNumber(const boost::json::value& v, const std::string& where) {
  static_assert(std::is_same_v<Int, int64_t> || std::is_same_v<Int, uint64_t>);
  constexpr const char* kRule = "must be a whole number";
  if (v.is_int64()) {
    if (std::is_unsigned_v<Int> && v.get_int64() < 0) return Refuse(where, "must not be negative");
    return static_cast<Int>(v.get_int64());
  }
  if (v.is_uint64()) {
    if (std::is_signed_v<Int> &&
        v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return Refuse(where, "is out of range");
    return static_cast<Int>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::trunc(d) != d) return Refuse(where, kRule);
    if (std::is_unsigned_v<Int> && d < 0) return Refuse(where, "must not be negative");
    if (d < static_cast<double>(std::numeric_limits<Int>::min()) ||
        d >= static_cast<double>(std::numeric_limits<Int>::max()))
      return Refuse(where, "is out of range");
    return static_cast<Int>(d);
  }
  if (v.is_string()) {
    const boost::json::string& s = v.get_string();
    if (std::is_unsigned_v<Int> && !s.empty() && s[0] == '-')
      return Refuse(where, "must not be negative");
    Int out{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc::result_out_of_range) return Refuse(where, "is out of range");
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return Refuse(where, kRule);
    return out;
  }
  return Refuse(where, kRule);
}

template <typename Int, typename Wide>
Result<Int> InRange(Wide v, const std::string& where) {
  bool below = false;
  if constexpr (std::is_signed_v<Wide>)
    below = v < static_cast<Wide>(std::numeric_limits<Int>::min());
  if (below || v > static_cast<Wide>(std::numeric_limits<Int>::max()))
    return Refuse(where, "is out of range");
  return static_cast<Int>(v);
}

// An integer field's value (one element, if repeated) from a whole number in its range.
template <typename Int, typename Wide>
Status SetWhole(Message* msg, const FieldDescriptor* field, const boost::json::value& v,
                const std::string& where,
                void (Reflection::*set)(Message*, const FieldDescriptor*, Int) const,
                void (Reflection::*add)(Message*, const FieldDescriptor*, Int) const) {
  PSR_ASSIGN_OR_RETURN(Wide wide, WholeNumber<Wide>(v, where));
  PSR_ASSIGN_OR_RETURN(Int n, (InRange<Int>(wide, where)));
  const Reflection* r = msg->GetReflection();
  field->is_repeated() ? (r->*add)(msg, field, n) : (r->*set)(msg, field, n);
  return Status::Ok();
}

Result<double> Number(const boost::json::value& v, const std::string& where) {
  double d = 0;
  if (v.is_number()) {
    d = v.to_number<double>();
  } else if (v.is_string()) {
    const boost::json::string& s = v.get_string();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc::result_out_of_range) return Refuse(where, "must be a finite number");
    if (ec != std::errc() || end != s.data() + s.size() || s.empty())
      return Refuse(where, "must be a number");
  } else {
    return Refuse(where, "must be a number");
  }
  if (!std::isfinite(d)) return Refuse(where, "must be a finite number");
  return d;
}

// One value of `field` (a single field, or one element of a repeated one), stored in place.
Status SetValue(Message* msg, const FieldDescriptor* field, const boost::json::value& v,
                const std::string& where) {
  const Reflection* r = msg->GetReflection();
  const bool many = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      if (field->type() == FieldDescriptor::TYPE_BYTES) return Refuse(where, "is not supported");
      if (!v.is_string()) return Refuse(where, "must be a string");
      std::string s(v.get_string());
      many ? r->AddString(msg, field, std::move(s)) : r->SetString(msg, field, std::move(s));
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!v.is_bool()) return Refuse(where, "must be true or false");
      many ? r->AddBool(msg, field, v.get_bool()) : r->SetBool(msg, field, v.get_bool());
      return Status::Ok();
    case FieldDescriptor::CPPTYPE_INT32:
      return SetWhole<int32_t, int64_t>(msg, field, v, where, &Reflection::SetInt32,
                                        &Reflection::AddInt32);
    case FieldDescriptor::CPPTYPE_INT64:
      return SetWhole<int64_t, int64_t>(msg, field, v, where, &Reflection::SetInt64,
                                        &Reflection::AddInt64);
    case FieldDescriptor::CPPTYPE_UINT32:
      return SetWhole<uint32_t, uint64_t>(msg, field, v, where, &Reflection::SetUInt32,
                                          &Reflection::AddUInt32);
    case FieldDescriptor::CPPTYPE_UINT64:
      return SetWhole<uint64_t, uint64_t>(msg, field, v, where, &Reflection::SetUInt64,
                                          &Reflection::AddUInt64);
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      PSR_ASSIGN_OR_RETURN(double d, Number(v, where));
      many ? r->AddDouble(msg, field, d) : r->SetDouble(msg, field, d);
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      PSR_ASSIGN_OR_RETURN(double d, Number(v, where));
      if (std::abs(d) > std::numeric_limits<float>::max()) return Refuse(where, "is out of range");
      const auto f = static_cast<float>(d);
      many ? r->AddFloat(msg, field, f) : r->SetFloat(msg, field, f);
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* type = field->enum_type();
      const google::protobuf::EnumValueDescriptor* value = nullptr;
      if (v.is_string()) {
        value = type->FindValueByName(std::string(v.get_string()));
      } else if (v.is_int64() || v.is_uint64()) {
        auto n = WholeNumber<int64_t>(v, where);
        if (n.ok() && *n >= 0 && *n <= std::numeric_limits<int>::max())
          value = type->FindValueByNumber(static_cast<int>(*n));
      }
      if (!value) return Refuse(where, "must be one of the names of " + type->name());
      many ? r->AddEnum(msg, field, value) : r->SetEnum(msg, field, value);
      return Status::Ok();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      Message* sub = many ? r->AddMessage(msg, field) : r->MutableMessage(msg, field);
      return MessageFromJson(v, sub, where);
    }
  }
  return Refuse(where, "is not supported");
}

const FieldDescriptor* FindField(const google::protobuf::Descriptor* d, const std::string& key) {
  if (const FieldDescriptor* f = d->FindFieldByName(key)) return f;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->json_name() == key) return d->field(i);
  }
  return nullptr;
}

}  // namespace

Status MessageFromJson(const boost::json::value& json, Message* message, const std::string& path) {
  const std::string what = path.empty() ? "the data" : path;
  if (!json.is_object()) return Refuse(what, "must be an object");
  const google::protobuf::Descriptor* d = message->GetDescriptor();
  for (const auto& [key, value] : json.get_object()) {
    const std::string name(key);
    const std::string where = Join(path, name);
    const FieldDescriptor* field = FindField(d, name);
    if (!field) return Refuse(where, "is not a field of " + d->name());
    if (value.is_null()) continue;  // unset
    if (field->is_map()) return Refuse(where, "is not supported");
    if (!field->is_repeated()) {
      PSR_RETURN_IF_ERROR(SetValue(message, field, value, where));
      continue;
    }
    if (!value.is_array()) return Refuse(where, "must be a list");
    const boost::json::array& items = value.get_array();
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string item = where + "[" + std::to_string(i) + "]";
      if (items[i].is_null()) return Refuse(item, "must not be null");
      PSR_RETURN_IF_ERROR(SetValue(message, field, items[i], item));
    }
  }
  return Status::Ok();
}

Result<std::shared_ptr<Message>> CommandFromJson(const std::string& command,
                                                 const boost::json::value& data) {
  std::shared_ptr<Message> msg = NewCommandMessage(command);
  if (!msg) return Status::InvalidArgument("unknown command '" + command + "'");
  Status s = MessageFromJson(data, msg.get(), "");
  if (!s.ok()) return Status::InvalidArgument("data of " + command + ": " + s.message());
  return msg;
}

Result<std::shared_ptr<Message>> ParseCommandJson(const std::string& command,
                                                  const std::string& json) {
  boost::system::error_code ec;
  const boost::json::value data =
      boost::json::parse(json.empty() ? std::string_view("{}") : std::string_view(json), ec);
  if (ec) {
    return Status::InvalidArgument("data of " + command + ": not valid JSON (" + ec.message() +
                                   ")");
  }
  return CommandFromJson(command, data);
}

}  // namespace piseruma::workflows
