#include "engine/limits.h"

#include <set>
#include <string>

namespace piseruma::engine {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == ':' || c == '@' || c == '$' || c == '/' || c == '-';
}

// Appends a violation when `id` is empty, too long or has a character outside IsIdChar.
void CheckId(std::string_view id, std::string_view field, bool required, const Limits& limits,
             std::vector<FieldViolation>* out) {
  std::string f(field);
  if (id.empty()) {
    if (required) out->push_back({f, "required", f + " is required"});
    return;
  }
  if (id.size() > limits.max_id_bytes) {
    out->push_back({f, "max_length",
                    f + " is " + std::to_string(id.size()) + " bytes; the limit is " +
                        std::to_string(limits.max_id_bytes)});
    return;
  }
  for (char c : id) {
    if (!IsIdChar(c)) {
      out->push_back({f, "charset",
                      f + " may use only letters, digits and . _ : @ $ / - (found byte " +
                          std::to_string(static_cast<unsigned char>(c)) + ")"});
      return;
    }
  }
}

Status Collect(std::vector<FieldViolation> violations) {
  if (violations.empty()) return Status::Ok();
  Status s = Status::InvalidArgument(violations.front().message +
                                     (violations.size() > 1 ? " (and more)" : ""));
  for (auto& v : violations) s.AddViolation(std::move(v));
  return s;
}

}  // namespace

Status ValidateId(std::string_view id, std::string_view field, const Limits& limits) {
  std::vector<FieldViolation> v;
  CheckId(id, field, true, limits, &v);
  return Collect(std::move(v));
}

Status ValidateStreamId(std::string_view stream_id, const Limits& limits) {
  return ValidateId(stream_id, "stream_id", limits);
}

Status ValidateAppend(const AppendRequest& request, const Limits& limits) {
  std::vector<FieldViolation> v;
  CheckId(request.command_id, "command_id", true, limits, &v);
  if (request.actor.user_id().empty()) v.push_back({"actor.user_id", "required", "actor.user_id is required: every event says who did it"});
  if (request.actor.user_id().size() > limits.max_id_bytes) v.push_back({"actor.user_id", "max_length", "actor.user_id is too long"});
  if (request.actor.role().size() > limits.max_id_bytes) v.push_back({"actor.role", "max_length", "actor.role is too long"});
  if (request.correlation_id.size() > limits.max_id_bytes) v.push_back({"correlation_id", "max_length", "correlation_id is too long"});
  if (request.causation_id.size() > limits.max_id_bytes) v.push_back({"causation_id", "max_length", "causation_id is too long"});

  std::set<std::string_view> seen;
  size_t events = 0, bytes = 0;
  for (size_t w = 0; w < request.writes.size(); ++w) {
    const StreamWrite& write = request.writes[w];
    const std::string prefix = "writes[" + std::to_string(w) + "]";
    CheckId(write.stream_id, prefix + ".stream_id", true, limits, &v);
    if (!seen.insert(write.stream_id).second) {
      v.push_back({prefix + ".stream_id", "unique",
                   "stream " + write.stream_id + " appears twice in one append; merge its events"});
    }
    for (size_t e = 0; e < write.events.size(); ++e) {
      const NewEvent& ev = write.events[e];
      const std::string ep = prefix + ".events[" + std::to_string(e) + "]";
      CheckId(ev.type, ep + ".type", true, limits, &v);
      size_t size = ev.payload.size();
      for (const auto& [path, value] : ev.personal) {
        size += path.size() + value.size();
        if (path.empty()) v.push_back({ep + ".personal", "required", "a personal field needs a name"});
      }
      if (!ev.personal.empty()) CheckId(ev.subject, ep + ".subject", true, limits, &v);
      else CheckId(ev.subject, ep + ".subject", false, limits, &v);
      if (size > limits.max_event_bytes) {
        v.push_back({ep, "max_size", "event is " + std::to_string(size) + " bytes; the limit is " +
                                         std::to_string(limits.max_event_bytes)});
      }
      bytes += size;
    }
    events += write.events.size();
  }
  if (events == 0) v.push_back({"writes", "required", "an append needs at least one event"});
  if (events > limits.max_events_per_append) {
    v.push_back({"writes", "max_events", std::to_string(events) + " events in one append; the limit is " +
                                             std::to_string(limits.max_events_per_append)});
  }
  if (bytes > limits.max_append_bytes) {
    v.push_back({"writes", "max_size", "append is " + std::to_string(bytes) + " bytes; the limit is " +
                                           std::to_string(limits.max_append_bytes)});
  }
  return Collect(std::move(v));
}

}  // namespace piseruma::engine
