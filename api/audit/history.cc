#include "api/audit/history.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "api/audit/summaries.h"
#include "api/event_json.h"
#include "engine/clock.h"
#include "workflows/command_service.h"
#include "workflows/dates.h"
#include "workflows/proto/events.pb.h"

namespace piseruma::api::audit {
namespace {

boost::json::object ProtoObject(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(out.empty() ? "{}" : out, ec);
  return !ec && v.is_object() ? v.as_object() : boost::json::object();
}

Result<std::vector<engine::RecordedEvent>> WholeStream(const engine::EventLog& log,
                                                       const std::string& stream,
                                                       bool open_personal) {
  std::vector<engine::RecordedEvent> out;
  while (true) {
    PSR_ASSIGN_OR_RETURN(auto page, log.ReadStream({.stream_id = stream,
                                                    .from_version = out.size() + 1,
                                                    .limit = 1000,
                                                    .open_personal = open_personal}));
    if (page.empty()) break;
    for (auto& e : page) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<engine::RecordedEvent>> CaseEvents(const engine::EventLog& log,
                                                      const std::string& case_id,
                                                      const std::vector<std::string>& also,
                                                      bool open_personal) {
  PSR_ASSIGN_OR_RETURN(auto out, WholeStream(log, case_id, open_personal));
  for (const auto& stream : also) {
    PSR_ASSIGN_OR_RETURN(auto more,
                         WholeStream(log, stream, false));  // cooperatives hold no personal data
    for (auto& e : more) out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.envelope.position() < b.envelope.position();
  });
  return out;
}

std::vector<std::string> CooperativesOf(const std::vector<engine::RecordedEvent>& case_events) {
  std::vector<std::string> out;
  for (const auto& e : case_events) {
    if (e.envelope.event_type() != "JoinedCooperative") continue;
    const boost::json::object data = PublicDataJson(e);
    auto it = data.find("cooperative_id");
    if (it == data.end() || !it->value().is_string()) continue;
    std::string id(it->value().as_string());
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
  }
  return out;
}

boost::json::object PublicDataJson(const engine::RecordedEvent& event) {
  engine::RecordedEvent sealed;
  sealed.envelope = event.envelope;  // without the personal values: never in summaries
  auto decoded = workflows::DecodeEvent(sealed);
  if (!decoded.ok()) return {};
  return ProtoObject(*decoded->data);
}

boost::json::object HistoryEntryJson(const engine::RecordedEvent& event) {
  const boost::json::object data = PublicDataJson(event);
  boost::json::object o =
      EventToJson(event, [&](const std::string&, const std::string&, boost::json::value* out) {
        *out = data;
        return true;
      });
  const EventSummary s = Summarize(event.envelope.event_type(), data);
  o["summary"] = {{"fr", s.fr}, {"en", s.en}};
  workflows::DomainEvent header;
  if (header.ParseFromString(event.envelope.payload()) && header.has_transition()) {
    const auto& t = header.transition();
    o["transition"] = {{"machine", t.machine()},
                       {"definition_version", t.definition_version()},
                       {"from", t.from_state()},
                       {"to", t.to_state()}};
  }
  return o;
}

Result<boost::json::value> ErasureJson(const engine::EventLog& log, const std::string& subject) {
  PSR_ASSIGN_OR_RETURN(auto record, log.GetErasure(subject));
  if (!record) return boost::json::value(nullptr);
  return boost::json::value{
      {"subject", record->subject()},
      {"erased_at", engine::FormatRfc3339Micros(record->erased_at_us())},
      {"by", {{"user_id", record->actor().user_id()}, {"role", record->actor().role()}}},
      {"request_ref", record->request_ref()},
      {"position", record->position()}};
}

Result<int64_t> ParseRfc3339Micros(const std::string& text) {
  const Status bad = Status::InvalidArgument(
      "'" + text.substr(0, 40) +
      "' is not a position or an RFC 3339 time such as 2026-06-15T10:00:00Z");
  int y, mo, d, h, mi, sec;
  int consumed = 0;
  if (text.size() < 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
                  &consumed) != 6 ||
      consumed != 19) {
    return bad;
  }
  const auto day = workflows::ParseDate(text.substr(0, 10));
  if (!day || h > 23 || mi > 59 || sec > 60) return bad;
  size_t i = 19;
  int64_t micros = 0;
  if (text[i] == '.') {
    int64_t scale = 100000;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      micros += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  int64_t offset_s = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z') && i + 1 == text.size()) {
    offset_s = 0;
  } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':' &&
             std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
             std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
             std::isdigit(static_cast<unsigned char>(text[i + 4])) &&
             std::isdigit(static_cast<unsigned char>(text[i + 5]))) {
    offset_s = ((text[i + 1] - '0') * 10 + (text[i + 2] - '0')) * 3600 +
               ((text[i + 4] - '0') * 10 + (text[i + 5] - '0')) * 60;
    if (text[i] == '-') offset_s = -offset_s;
  } else {
    return bad;
  }
  const int64_t seconds = *day * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return seconds * 1'000'000 + micros;
}

Result<AsOf> ResolveAsOf(const std::vector<engine::RecordedEvent>& case_events,
                         const std::string& text) {
  AsOf out;
  const bool digits =
      !text.empty() && text.size() <= 19 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    out.position = std::stoull(text);
    for (const auto& e : case_events) {
      if (e.envelope.position() <= out.position) out.at_micros = e.envelope.recorded_at_us();
    }
    return out;
  }
  PSR_ASSIGN_OR_RETURN(out.at_micros, ParseRfc3339Micros(text));
  for (const auto& e : case_events) {
    if (e.envelope.recorded_at_us() <= out.at_micros) out.position = e.envelope.position();
  }
  return out;
}

}  // namespace piseruma::api::audit
