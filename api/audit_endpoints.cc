// The auditor's endpoints: a case's history, its state as of a moment and what changed
// between two, integrity verification (whole log, a range, a case), the access log of
// personal-data reads, and signed checkpoints of the log's head.
#include <algorithm>
#include <boost/json.hpp>
#include <limits>

#include "api/app.h"
#include "api/audit/audit_file.h"
#include "api/audit/checkpoint_signer.h"
#include "api/audit/history.h"
#include "api/case_access.h"
#include "api/case_view.h"
#include "api/problem.h"
#include "api/proto/api.pb.h"
#include "engine/clock.h"
#include "engine/limits.h"
#include "workflows/dates.h"
#include "workflows/decider.h"

namespace piseruma::api {
namespace {

using workflows::StreamState;

constexpr size_t kDefaultPage = 500;
constexpr size_t kMaxPage = 1000;

Response NotFound(const std::string& id) {
  return Problem(Status::NotFound(id + " introuvable / not found"));
}

bool IsCaseId(const std::string& id) {
  return engine::ValidateStreamId(id, engine::Limits()).ok() &&
         workflows::RootMachineOf(id) == "case";
}

Result<uint64_t> UintParam(const Call& c, const std::string& name, uint64_t fallback) {
  const std::string v = QueryValue(c, name);
  if (v.empty()) return fallback;
  if (v.size() > 19 ||
      !std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Status::InvalidArgument("'" + name + "' must be a whole number, not '" +
                                   v.substr(0, 40) + "'");
  }
  return std::stoull(v);
}

struct Page {
  uint64_t after = 0;  // positions after this one
  uint64_t limit = kDefaultPage;
};

// ?after=POSITION&limit=N
Result<Page> PageParams(const Call& c) {
  Page page;
  PSR_ASSIGN_OR_RETURN(page.after, UintParam(c, "after", 0));
  PSR_ASSIGN_OR_RETURN(page.limit, UintParam(c, "limit", kDefaultPage));
  if (page.limit == 0 || page.limit > kMaxPage) {
    return Status::InvalidArgument("'limit' must be between 1 and " + std::to_string(kMaxPage));
  }
  return page;
}

// The visible case, or the response to send instead.
struct CaseAccess {
  StreamState state;
  std::optional<Response> refused;
};

CaseAccess LoadVisibleCase(App& app, const Call& c, const std::string& id) {
  CaseAccess out;
  if (!IsCaseId(id)) return {{}, NotFound(id)};
  auto state = app.deps().service->Load(id);
  if (!state.ok()) return {{}, Problem(state.status())};
  if (!Visible(c, *state)) return {{}, NotFound(id)};
  out.state = std::move(*state);
  return out;
}

// The case's state and next steps as of `when`, rebuilt by replay.
Result<boost::json::object> StateAsOf(App& app, const Call& c, const std::string& id,
                                      const std::vector<engine::RecordedEvent>& case_events,
                                      const std::string& when) {
  PSR_ASSIGN_OR_RETURN(audit::AsOf as_of, audit::ResolveAsOf(case_events, when));
  PSR_ASSIGN_OR_RETURN(StreamState state, app.deps().service->LoadAsOf(id, as_of.position));
  boost::json::object body = StreamJson(*app.deps().registry, state);
  const workflows::Day today = workflows::DayInMorocco(as_of.at_micros);
  std::vector<workflows::NextStep> ready, blocked;
  for (auto& step :
       workflows::NextSteps(*app.deps().registry, state, id, c.user->Context(), today)) {
    (step.blocked_by.empty() ? ready : blocked).push_back(std::move(step));
  }
  body["next_steps"] = NextStepsJson(ready);
  body["blocked_steps"] = NextStepsJson(blocked);
  body["as_of"] = {
      {"asked", when},
      {"position", as_of.position},
      {"at", as_of.at_micros ? boost::json::value(engine::FormatRfc3339Micros(as_of.at_micros))
                             : nullptr},
      {"today", workflows::FormatDate(today)}};
  body["personal"] = "sealed";
  return body;
}

// Flattens a JSON value into path → leaf, for diffs: {"a":{"b":1}} → {"a.b": 1}.
void Flatten(const boost::json::value& v, const std::string& path,
             std::map<std::string, boost::json::value>* out) {
  if (v.is_object() && !v.as_object().empty()) {
    for (const auto& [k, child] : v.as_object())
      Flatten(child, path.empty() ? std::string(k) : path + "." + std::string(k), out);
  } else if (v.is_array() && !v.as_array().empty()) {
    for (size_t i = 0; i < v.as_array().size(); ++i)
      Flatten(v.as_array()[i], path + "[" + std::to_string(i) + "]", out);
  } else {
    (*out)[path] = v;
  }
}

boost::json::object VerifyJson(const engine::VerifyReport& r) {
  boost::json::object o{{"intact", r.intact},
                        {"from", r.from},
                        {"to", r.to},
                        {"checked", r.checked},
                        {"total", r.to >= r.from && r.to ? r.to - r.from + 1 : 0}};
  o["first_broken_position"] =
      r.first_broken_position ? boost::json::value(r.first_broken_position) : nullptr;
  if (!r.problem.empty()) o["problem"] = r.problem;
  if (r.intact && !r.head_hash.empty()) o["head_hash"] = r.head_hash;
  return o;
}

}  // namespace

Response App::GetCaseAt(Call& c) {
  const std::string when = QueryValue(c, "as_of");
  if (when.empty()) return GetCase(c);
  const std::string& id = c.params.at("case_id");
  CaseAccess access = LoadVisibleCase(*this, c, id);
  if (access.refused) return std::move(*access.refused);
  auto events = audit::CaseEvents(*deps_.log, id, {}, false);
  if (!events.ok()) return Problem(events.status());
  auto body = StateAsOf(*this, c, id, *events, when);
  if (!body.ok()) return Problem(body.status());
  return Json(http::status::ok, boost::json::serialize(*body));
}

Response App::CaseHistory(Call& c) {
  const std::string& id = c.params.at("case_id");
  CaseAccess access = LoadVisibleCase(*this, c, id);
  if (access.refused) return std::move(*access.refused);
  auto page = PageParams(c);
  if (!page.ok()) return Problem(page.status());
  const bool personal =
      MayReadPersonal(c, access.state) && QueryValue(c, "personal", "true") != "false";
  // Joined cooperatives, from the case's own events.
  auto own = audit::CaseEvents(*deps_.log, id, {}, false);
  if (!own.ok()) return Problem(own.status());
  std::vector<std::string> coops = audit::CooperativesOf(*own);
  if (personal) {
    if (Status s = RecordPersonalRead(*this, c, id); !s.ok()) {
      return Problem(Status::Unavailable("the read could not be recorded; try again"));
    }
  }
  auto events = audit::CaseEvents(*deps_.log, id, coops, personal);
  if (!events.ok()) return Problem(events.status());
  boost::json::array entries;
  uint64_t last = page->after;
  size_t total = 0;
  for (const auto& e : *events) {
    ++total;
    if (e.envelope.position() <= page->after || entries.size() >= page->limit) continue;
    entries.push_back(audit::HistoryEntryJson(e));
    last = e.envelope.position();
  }
  const bool more = !events->empty() && events->back().envelope.position() > last;
  auto erasure = audit::ErasureJson(*deps_.log, id);
  if (!erasure.ok()) return Problem(erasure.status());
  boost::json::array coop_ids;
  for (const auto& s : coops) coop_ids.push_back(boost::json::value(s));
  boost::json::object body{{"case_id", id},
                           {"streams_included", std::move(coop_ids)},
                           {"personal", personal ? "shown" : "sealed"},
                           {"total", total},
                           {"events", std::move(entries)},
                           {"next_after", more ? boost::json::value(last) : nullptr},
                           {"erasure", std::move(*erasure)}};
  return Json(http::status::ok, boost::json::serialize(body));
}

Response App::CaseDiff(Call& c) {
  const std::string& id = c.params.at("case_id");
  CaseAccess access = LoadVisibleCase(*this, c, id);
  if (access.refused) return std::move(*access.refused);
  const std::string from = QueryValue(c, "from"),
                    to = QueryValue(c, "to", std::to_string(deps_.log->HeadPosition()));
  if (from.empty())
    return Problem(
        Status::InvalidArgument("'from' is required: a log position or an RFC 3339 time"));
  auto events = audit::CaseEvents(*deps_.log, id, {}, false);
  if (!events.ok()) return Problem(events.status());
  auto before = StateAsOf(*this, c, id, *events, from);
  if (!before.ok()) return Problem(before.status());
  auto after = StateAsOf(*this, c, id, *events, to);
  if (!after.ok()) return Problem(after.status());
  for (const char* key : {"next_steps", "blocked_steps", "as_of", "personal"}) {
    before->erase(key);
    after->erase(key);
  }
  std::map<std::string, boost::json::value> a, b;
  Flatten(*before, "", &a);
  Flatten(*after, "", &b);
  boost::json::array changes;
  for (const auto& [path, old_value] : a) {
    auto it = b.find(path);
    if (it == b.end()) {
      changes.push_back({{"path", path}, {"change", "removed"}, {"from", old_value}});
    } else if (it->second != old_value) {
      changes.push_back(
          {{"path", path}, {"change", "changed"}, {"from", old_value}, {"to", it->second}});
    }
  }
  for (const auto& [path, new_value] : b) {
    if (!a.count(path)) changes.push_back({{"path", path}, {"change", "added"}, {"to", new_value}});
  }
  auto events_between = [&](const std::string& text) -> uint64_t {
    auto r = audit::ResolveAsOf(*events, text);
    return r.ok() ? r->position : 0;
  };
  const uint64_t p_from = events_between(from), p_to = events_between(to);
  boost::json::array types;
  for (const auto& e : *events) {
    if (e.envelope.position() > p_from && e.envelope.position() <= p_to) {
      types.push_back({{"position", e.envelope.position()}, {"type", e.envelope.event_type()}});
    }
  }
  boost::json::object body{{"case_id", id},
                           {"from", {{"asked", from}, {"position", p_from}}},
                           {"to", {{"asked", to}, {"position", p_to}}},
                           {"events", std::move(types)},
                           {"changes", std::move(changes)}};
  return Json(http::status::ok, boost::json::serialize(body));
}

Response App::CaseVerify(Call& c) {
  const std::string& id = c.params.at("case_id");
  // Auditors see every case: no replay needed, so a case altered beyond decoding still verifies.
  if (c.user->role == "auditor") {
    if (!IsCaseId(id) || !deps_.log->GetStream(id).ok()) return NotFound(id);
  } else {
    CaseAccess access = LoadVisibleCase(*this, c, id);
    if (access.refused) return std::move(*access.refused);
  }
  auto own = audit::CaseEvents(*deps_.log, id, {}, false);
  if (!own.ok()) return Problem(own.status());
  std::vector<std::string> streams = {id};
  for (auto& s : audit::CooperativesOf(*own)) streams.push_back(std::move(s));
  if (deps_.log->GetStream("access-" + id).ok()) streams.push_back("access-" + id);
  boost::json::array reports;
  bool intact = true;
  uint64_t first_broken = 0;
  for (const auto& s : streams) {
    auto r = deps_.log->VerifyStream(s);
    if (!r.ok()) return Problem(r.status());
    boost::json::object o = VerifyJson(*r);
    o["stream_id"] = s;
    if (!r->intact) {
      intact = false;
      if (!first_broken || r->first_broken_position < first_broken)
        first_broken = r->first_broken_position;
    }
    reports.push_back(std::move(o));
  }
  boost::json::object body{
      {"case_id", id},
      {"intact", intact},
      {"first_broken_position", first_broken ? boost::json::value(first_broken) : nullptr},
      {"streams", std::move(reports)}};
  return Json(http::status::ok, boost::json::serialize(body));
}

Response App::AuditVerify(Call& c) {
  auto from = UintParam(c, "from", 1);
  auto to = UintParam(c, "to", 0);
  if (!from.ok()) return Problem(from.status());
  if (!to.ok()) return Problem(to.status());
  const uint64_t head = deps_.log->HeadPosition();
  if (*from == 0 || (*to && *to < *from) || *from > std::max<uint64_t>(head, 1) || *to > head) {
    return Problem(Status::InvalidArgument("the range must lie within 1.." + std::to_string(head) +
                                           " with from ≤ to"));
  }
  auto r = deps_.log->Verify(*from, *to, nullptr);
  if (!r.ok()) return Problem(r.status());
  boost::json::object body = VerifyJson(*r);
  body["head_position"] = head;
  return Json(http::status::ok, boost::json::serialize(body));
}

Response App::AuditAccess(Call& c) {
  const std::string case_id = QueryValue(c, "case_id"), user = QueryValue(c, "user");
  int64_t from_us = std::numeric_limits<int64_t>::min(),
          to_us = std::numeric_limits<int64_t>::max();
  for (auto [name, target] : {std::pair{"from", &from_us}, std::pair{"to", &to_us}}) {
    const std::string v = QueryValue(c, name);
    if (v.empty()) continue;
    auto t = audit::ParseRfc3339Micros(v);
    if (!t.ok()) return Problem(t.status());
    *target = *t;
  }
  auto page = PageParams(c);
  if (!page.ok()) return Problem(page.status());
  if (!case_id.empty() && !engine::ValidateStreamId(case_id, engine::Limits()).ok()) {
    return Problem(Status::InvalidArgument("'case_id' is not a case id"));
  }
  boost::json::array reads;
  uint64_t next = page->after + 1;
  bool more = false;
  auto take = [&](const engine::RecordedEvent& e) {
    const auto& env = e.envelope;
    if (env.event_type() != "PersonalDataRead") return;
    if (!user.empty() && env.actor().user_id() != user) return;
    if (env.recorded_at_us() < from_us || env.recorded_at_us() > to_us) return;
    PersonalDataRead read;
    if (!read.ParseFromString(env.payload())) return;
    if (reads.size() >= page->limit) {
      more = true;
      return;
    }
    reads.push_back({{"position", env.position()},
                     {"read_at", engine::FormatRfc3339Micros(env.recorded_at_us())},
                     {"user_id", env.actor().user_id()},
                     {"role", env.actor().role()},
                     {"case_id", read.case_id()},
                     {"purpose", read.purpose()},
                     {"route", read.route()}});
    next = env.position() + 1;
  };
  if (!case_id.empty()) {
    auto events = audit::CaseEvents(*deps_.log, "access-" + case_id, {}, false);
    if (!events.ok() && events.status().code() != StatusCode::kNotFound)
      return Problem(events.status());
    if (events.ok()) {
      for (const auto& e : *events) {
        if (e.envelope.position() > page->after && !more) take(e);
      }
    }
  } else {
    uint64_t position = page->after + 1;
    while (!more) {
      auto batch = deps_.log->ReadAll({.from_position = position,
                                       .limit = 1000,
                                       .event_types = {"PersonalDataRead"},
                                       .stream_prefix = "access-"});
      if (!batch.ok()) return Problem(batch.status());
      for (const auto& e : batch->events) {
        if (!more) take(e);
      }
      if (batch->next_position <= position || batch->next_position > batch->head_position) break;
      position = batch->next_position;
    }
  }
  boost::json::object body{{"reads", std::move(reads)},
                           {"next_after", more ? boost::json::value(next - 1) : nullptr}};
  return Json(http::status::ok, boost::json::serialize(body));
}

Response App::CreateCheckpoint(Call& c) {
  auto signer = audit::CheckpointSigner::Open(deps_.log->options().data_dir);
  if (!signer.ok()) return Problem(signer.status());
  engine::Actor actor;
  actor.set_user_id(c.user->user_id);
  actor.set_role(c.user->role);
  auto cp = (*signer)->SignHead(deps_.log, actor);
  if (!cp.ok()) return Problem(cp.status());
  return Json(http::status::created, boost::json::serialize(cp->ToJson()));
}

Response App::GetLatestCheckpoint(Call&) {
  auto cp = audit::LatestCheckpoint(*deps_.log);
  if (!cp.ok()) return Problem(cp.status());
  if (!*cp)
    return Problem(
        Status::NotFound("no checkpoint signed yet: POST /v1/audit/checkpoints to sign one"));
  boost::json::object body = (*cp)->ToJson();
  body["signature_valid"] = audit::VerifyCheckpointSignature(**cp);
  return Json(http::status::ok, boost::json::serialize(body));
}

// The case's audit file, with a checkpoint covering its last event (signed now if needed).
Response App::CaseAuditFile(Call& c) {
  const std::string& id = c.params.at("case_id");
  if (!IsCaseId(id) || !deps_.log->GetStream(id).ok()) return NotFound(id);
  auto last =
      deps_.log->ReadStream({.stream_id = id, .from_version = 0, .backward = true, .limit = 1});
  if (!last.ok()) return Problem(last.status());
  auto cp = audit::LatestCheckpoint(*deps_.log);
  if (!cp.ok()) return Problem(cp.status());
  if (!*cp || last->empty() || (*cp)->position < last->front().envelope.position()) {
    auto signer = audit::CheckpointSigner::Open(deps_.log->options().data_dir);
    if (!signer.ok()) return Problem(signer.status());
    engine::Actor actor;
    actor.set_user_id(c.user->user_id);
    actor.set_role(c.user->role);
    auto signed_now = (*signer)->SignHead(deps_.log, actor);
    if (!signed_now.ok()) return Problem(signed_now.status());
    *cp = *signed_now;
  }
  auto file = audit::BuildAuditFile(*deps_.log, id, *cp, c.user->user_id);
  if (!file.ok()) return Problem(file.status());
  Response r = Json(http::status::ok, boost::json::serialize(*file));
  r.message.set(http::field::content_disposition, "attachment; filename=\"" + id + ".audit.json\"");
  return r;
}

}  // namespace piseruma::api
