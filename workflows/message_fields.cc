#include "workflows/message_fields.h"

#include <google/protobuf/descriptor.h>

#include <sstream>

#include "workflows/proto/options.pb.h"

namespace piseruma::workflows {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Resolves `path` to the innermost message and its field, or {null, null}.
std::pair<const Message*, const FieldDescriptor*> Resolve(const Message& msg, std::string_view path) {
  const Message* cur = &msg;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string name(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    const FieldDescriptor* f = cur->GetDescriptor()->FindFieldByName(name);
    if (!f) return {nullptr, nullptr};
    if (dot == std::string_view::npos) return {cur, f};
    if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return {nullptr, nullptr};
    cur = &cur->GetReflection()->GetMessage(*cur, f);
    start = dot + 1;
  }
}

std::string NumberText(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

void CollectPersonal(Message* msg, const std::string& prefix, std::map<std::string, std::string>* out) {
  const Descriptor* d = msg->GetDescriptor();
  const Reflection* r = msg->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string path = prefix + f->name();
    if (f->is_repeated()) continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (r->HasField(*msg, f)) CollectPersonal(r->MutableMessage(msg, f), path + ".", out);
      continue;
    }
    if (f->options().GetExtension(personal) && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string v = r->GetString(*msg, f);
      if (!v.empty()) (*out)[path] = std::move(v);
      r->ClearField(msg, f);
    }
  }
}

void CollectPaths(const Descriptor* d, const std::string& prefix, bool want_personal,
                  std::vector<std::string>* out, int depth) {
  if (depth > 4) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectPaths(f->message_type(), prefix + f->name() + ".", want_personal, out, depth + 1);
    } else if (want_personal && f->options().GetExtension(personal)) {
      out->push_back(prefix + f->name());
    }
  }
}

}  // namespace

std::string CommandTypeName(std::string_view command) {
  return "piseruma.workflows." + std::string(command);
}

std::unique_ptr<Message> NewCommandMessage(std::string_view command) {
  const Descriptor* d =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(CommandTypeName(command));
  if (!d) return nullptr;
  const Message* proto = google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
  return proto ? std::unique_ptr<Message>(proto->New()) : nullptr;
}

const FieldDescriptor* FindFieldPath(const Descriptor* type, std::string_view path) {
  size_t start = 0;
  while (type) {
    const size_t dot = path.find('.', start);
    const std::string name(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    const FieldDescriptor* f = type->FindFieldByName(name);
    if (!f || dot == std::string_view::npos) return f;
    if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
    type = f->message_type();
    start = dot + 1;
  }
  return nullptr;
}

bool IsFieldSet(const Message& msg, std::string_view path) {
  auto [m, f] = Resolve(msg, path);
  if (!f) return false;
  const Reflection* r = m->GetReflection();
  if (f->is_repeated()) return r->FieldSize(*m, f) > 0;
  if (f->has_presence()) return r->HasField(*m, f);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return !r->GetString(*m, f).empty();
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(*m, f);
    case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnumValue(*m, f) != 0;
    default: return FieldNumber(msg, path).value_or(0) != 0;
  }
}

std::optional<double> FieldNumber(const Message& msg, std::string_view path) {
  auto [m, f] = Resolve(msg, path);
  if (!f || f->is_repeated()) return std::nullopt;
  const Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return r->GetInt32(*m, f);
    case FieldDescriptor::CPPTYPE_INT64: return static_cast<double>(r->GetInt64(*m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return r->GetUInt32(*m, f);
    case FieldDescriptor::CPPTYPE_UINT64: return static_cast<double>(r->GetUInt64(*m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: return r->GetDouble(*m, f);
    case FieldDescriptor::CPPTYPE_FLOAT: return r->GetFloat(*m, f);
    default: return std::nullopt;
  }
}

std::optional<std::string> FieldText(const Message& msg, std::string_view path) {
  auto [m, f] = Resolve(msg, path);
  if (!f || f->is_repeated() || f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) return std::nullopt;
  const Reflection* r = m->GetReflection();
  if (f->has_presence() && !r->HasField(*m, f)) return std::string();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return r->GetString(*m, f);
    case FieldDescriptor::CPPTYPE_BOOL: return std::string(r->GetBool(*m, f) ? "true" : "false");
    case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnum(*m, f)->name();
    default: return NumberText(*FieldNumber(msg, path));
  }
}

bool MatchesWhen(const Message& msg, std::string_view when) {
  if (when.empty()) return true;
  const size_t eq = when.find('=');
  if (eq == std::string_view::npos) return false;
  auto value = FieldText(msg, when.substr(0, eq));
  return value && *value == when.substr(eq + 1);
}

std::map<std::string, std::string> ExtractPersonal(Message* msg) {
  std::map<std::string, std::string> out;
  CollectPersonal(msg, "", &out);
  return out;
}

void RestorePersonal(Message* msg, const std::map<std::string, std::string>& values) {
  for (const auto& [path, value] : values) {
    Message* cur = msg;
    size_t start = 0;
    while (cur) {
      const size_t dot = path.find('.', start);
      const FieldDescriptor* f = cur->GetDescriptor()->FindFieldByName(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (!f || f->is_repeated()) break;
      if (dot == std::string::npos) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) cur->GetReflection()->SetString(cur, f, value);
        break;
      }
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) break;
      cur = cur->GetReflection()->MutableMessage(cur, f);
      start = dot + 1;
    }
  }
}

std::vector<std::string> PersonalFieldPaths(const Descriptor* type) {
  std::vector<std::string> out;
  CollectPaths(type, "", true, &out, 0);
  return out;
}

std::vector<std::string> SetOutputOnlyFields(const Message& msg) {
  std::vector<std::string> out;
  const Descriptor* d = msg.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->options().GetExtension(output_only) && IsFieldSet(msg, f->name())) out.push_back(f->name());
  }
  return out;
}

}  // namespace piseruma::workflows
