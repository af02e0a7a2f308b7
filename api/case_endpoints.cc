// Endpoints that write: registering cases, founding cooperatives, commands on either; and
// reading one case or cooperative with its next steps.
#include <boost/json.hpp>

#include "api/app.h"
#include "api/case_access.h"
#include "api/case_view.h"
#include "api/problem.h"
#include "api/proto/api.pb.h"
#include "engine/hash_chain.h"
#include "engine/limits.h"
#include "workflows/command_json.h"
#include "workflows/decider.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::api {
namespace {

using workflows::StreamState;

constexpr const char* kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// 8 characters of Crockford base32 from `bytes` (≥ 5 bytes).
std::string Base32Id(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 5; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[i] = kCrockford[v & 31];
    v >>= 5;
  }
  return out;
}

// A new stream id; derived from the idempotency key when there is one, so a retried
// creation names the same stream.
std::string NewStreamId(const std::string& prefix, const Call& c, const std::string& key) {
  std::string seed = key.empty() ? NewToken() : c.user->user_id + "\n" + key;
  return prefix + Base32Id(Sha256Hex(seed));
}

bool IsJson(const Request& r) {
  auto it = r.find(http::field::content_type);
  return it == r.end() || std::string_view(it->value()).find("json") != std::string_view::npos;
}

// The JSON object of the body, or a problem.
Result<boost::json::object> BodyObject(const Call& c) {
  if (!IsJson(c.request)) return Status::InvalidArgument("send the body as application/json");
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(c.request.body(), ec);
  if (ec) return Status::InvalidArgument("the body is not valid JSON (UTF-8): " + ec.message());
  if (!v.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  return v.as_object();
}

Result<std::string> IdempotencyKey(const Call& c) {
  const std::string key(c.request["Idempotency-Key"]);
  if (key.empty()) return key;
  PSR_RETURN_IF_ERROR(engine::ValidateId(key, "Idempotency-Key", engine::Limits()));
  return key;
}

Result<std::optional<uint64_t>> IfMatch(const Call& c) {
  std::string v(c.request[http::field::if_match]);
  if (v.empty()) return std::optional<uint64_t>();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  auto parsed = engine::ExpectedVersion::Parse(v);
  if (!parsed.ok() || parsed->kind() != engine::ExpectedVersion::Kind::kExactly) {
    return Status::InvalidArgument("If-Match must be the stream's version, e.g. \"7\"");
  }
  return std::optional<uint64_t>(parsed->version());
}

// Runs one command and answers with the new version, the log position and the events.
// `state`: the stream as just loaded (null for a new stream), spares the service a reload.
Response Execute(App& app, const Call& c, const std::string& stream_id, const std::string& command,
                 const boost::json::value& data, http::status created_status,
                 std::shared_ptr<const StreamState> state = nullptr) {
  auto key = IdempotencyKey(c);
  if (!key.ok()) return Problem(key.status());
  auto expected = IfMatch(c);
  if (!expected.ok()) return Problem(expected.status());
  workflows::CommandRequest req;
  req.stream_id = stream_id;
  req.command = command;
  auto parsed = workflows::CommandFromJson(command, data);  // the body, parsed once
  if (!parsed.ok()) return Problem(parsed.status());
  req.data = std::move(*parsed);
  req.command_id = "api:" + c.user->user_id + ":" + (key->empty() ? NewToken() : *key);
  req.expected_version = *expected;
  req.user = c.user->Context();
  req.state = std::move(state);
  auto outcome = app.deps().service->Execute(req);
  if (!outcome.ok()) return Problem(outcome.status());
  boost::json::array events;
  for (const auto& e : outcome->events) {
    events.push_back({{"stream_id", e.stream_id},
                      {"version", e.version},
                      {"position", e.position},
                      {"type", e.type}});
  }
  boost::json::object body{{"id", stream_id},
                           {"version", outcome->version},
                           {"position", outcome->append.last_position},
                           {"replayed", outcome->append.replayed},
                           {"events", std::move(events)}};
  Response r = Json(outcome->append.replayed ? http::status::ok : created_status,
                    boost::json::serialize(body));
  r.message.set(http::field::etag, "\"" + std::to_string(outcome->version) + "\"");
  return r;
}

// {"command": NAME, "data": {...}} → (name, data)
Result<std::pair<std::string, boost::json::value>> CommandBody(const Call& c) {
  PSR_ASSIGN_OR_RETURN(auto body, BodyObject(c));
  for (const auto& [k, v] : body) {
    if (k != "command" && k != "data") {
      return Status::InvalidArgument("unknown field '" + std::string(k) +
                                     "': send {\"command\": …, \"data\": {…}}");
    }
  }
  if (!body.contains("command") || !body.at("command").is_string()) {
    return Status::InvalidArgument(
        "'command' is required: the name of the command, e.g. \"RecordConsent\"");
  }
  boost::json::value data = body.contains("data") ? body.at("data") : boost::json::object();
  if (!data.is_object()) return Status::InvalidArgument("'data' must be an object");
  return std::make_pair(std::string(body.at("command").as_string()), std::move(data));
}

// {"data": {...}} → data
Result<boost::json::value> DataBody(const Call& c) {
  PSR_ASSIGN_OR_RETURN(auto body, BodyObject(c));
  for (const auto& [k, v] : body) {
    if (k != "data")
      return Status::InvalidArgument("unknown field '" + std::string(k) +
                                     "': send {\"data\": {…}}");
  }
  if (!body.contains("data") || !body.at("data").is_object())
    return Status::InvalidArgument("'data' (an object) is required");
  return body.at("data");
}

Result<boost::json::object> PersonalJson(App& app, const std::string& case_id) {
  PSR_ASSIGN_OR_RETURN(auto first, app.deps().log->ReadStream(
                                       {.stream_id = case_id, .limit = 1, .open_personal = true}));
  boost::json::object out;
  if (first.empty()) return out;
  PSR_ASSIGN_OR_RETURN(auto decoded, workflows::DecodeEvent(first[0]));
  const auto* reg = dynamic_cast<const workflows::RegisterParticipant*>(decoded.data.get());
  if (!reg) return out;
  out["full_name"] = reg->full_name();
  out["date_of_birth"] = reg->date_of_birth();
  out["phone"] = reg->phone();
  out["address"] = reg->address();
  out["erased"] = decoded.personal_state == engine::PersonalState::kErased;
  return out;
}

boost::json::object MembershipJson(App& app, const StreamState& s) {
  boost::json::object coop;
  auto state = app.deps().service->LoadShared(s.case_facts().cooperative_id());
  if (!state.ok()) return coop;
  coop = StreamJson(*app.deps().registry, **state);
  boost::json::array milestones;
  auto events = app.deps().log->ReadStream({.stream_id = s.case_facts().cooperative_id()});
  if (events.ok()) {
    for (const auto& e : *events) {
      milestones.push_back(
          {{"type", e.envelope.event_type()},
           {"recorded_at", engine::FormatRfc3339Micros(e.envelope.recorded_at_us())}});
    }
  }
  coop["milestones"] = std::move(milestones);
  return coop;
}

// The stream, if it is a `root` stream ("case" or "cooperative") this user may see; for
// anything else the same kNotFound, so a caseworker cannot probe other cities' cases.
Result<std::shared_ptr<const StreamState>> LoadVisible(App& app, const Call& c,
                                                       const std::string& id, const char* root) {
  const Status not_found = Status::NotFound(id + " introuvable / not found");
  if (!engine::ValidateStreamId(id, engine::Limits()).ok() || workflows::RootMachineOf(id) != root)
    return not_found;
  PSR_ASSIGN_OR_RETURN(auto state, app.deps().service->LoadShared(id));
  if (!Visible(c, *state)) return not_found;
  return state;
}

Response StreamCommand(App& app, const Call& c, const std::string& id, const char* root) {
  auto state = LoadVisible(app, c, id, root);
  if (!state.ok()) return Problem(state.status());
  auto body = CommandBody(c);
  if (!body.ok()) return Problem(body.status());
  return Execute(app, c, id, body->first, body->second, http::status::ok, std::move(*state));
}

// "next_steps": what the user may do now; "blocked_steps": what they could do once the
// reasons listed are resolved (a consent to record, a transfer to accept…).
void AddSteps(App& app, const Call& c, const StreamState& state, workflows::Day today,
              boost::json::object* body) {
  std::vector<workflows::NextStep> ready, blocked;
  for (auto& step : workflows::NextSteps(*app.deps().registry, state, state.stream_id(),
                                         c.user->Context(), today)) {
    (step.blocked_by.empty() ? ready : blocked).push_back(std::move(step));
  }
  (*body)["next_steps"] = NextStepsJson(ready);
  (*body)["blocked_steps"] = NextStepsJson(blocked);
}

// The body GET answers: the stream's view, `extra` members (each `,"name":value`), then the
// next steps of this user today, rendered once per version, user and day.
std::string ViewBody(App& app, const Call& c, const StreamState& state, const std::string& extra) {
  auto view = app.views().Of(*app.deps().registry, state);
  const workflows::Day today = app.deps().service->Today();
  std::string key = c.user->user_id + "\n" + c.user->role + "\n" + std::to_string(today);
  for (const auto& city : c.user->cities) key += "\n" + city;
  auto steps = view->Steps(key, [&] {
    boost::json::object members;
    AddSteps(app, c, state, today, &members);
    std::string text = boost::json::serialize(members);
    return text.substr(1, text.size() - 2);  // the members, without the braces
  });
  std::string body;
  body.reserve(view->state_json().size() + extra.size() + steps->size() + 2);
  body.append(view->state_json()).append(extra).append(",").append(*steps).append("}");
  return body;
}

}  // namespace

// Caseworkers and supervisors see only their cities; elsewhere the stream "does not exist".
bool Visible(const Call& c, const StreamState& s) {
  if (s.version() == 0) return false;
  const std::string city = workflows::StreamCity(s);
  const bool scoped = c.user->role == "caseworker" || c.user->role == "supervisor";
  // The receiver of a pending transfer sees the case it is asked to take on.
  const auto& t = s.case_facts().pending_transfer();
  const bool receiving =
      s.case_facts().has_pending_transfer() &&
      (c.user->user_id == t.to_caseworker_id() || c.user->Context().InCity(t.to_city()));
  return !scoped || city.empty() || c.user->Context().InCity(city) || receiving;
}

// Only caseworkers and supervisors of the case's city, and auditors, read personal fields.
bool MayReadPersonal(const Call& c, const StreamState& s) {
  if (c.user->role == "auditor") return true;
  return (c.user->role == "caseworker" || c.user->role == "supervisor") &&
         c.user->Context().InCity(s.case_facts().city());
}

// Records the read in the log before the data leaves the server: no record, no data.
Status RecordPersonalRead(App& app, const Call& c, const std::string& case_id) {
  PersonalDataRead read;
  read.set_case_id(case_id);
  read.set_purpose(std::string(c.request["X-Purpose"]).substr(0, 200));
  read.set_route(c.route);
  engine::AppendRequest req;
  req.command_id = "read:" + NewToken().substr(4);
  req.actor.set_user_id(c.user->user_id);
  req.actor.set_role(c.user->role);
  req.writes.push_back(
      {"access-" + case_id,
       engine::ExpectedVersion::Any(),
       {engine::NewEvent{.type = "PersonalDataRead", .payload = read.SerializeAsString()}}});
  return app.deps().log->Append(std::move(req)).status();
}

Response App::RegisterCase(Call& c) {
  auto data = DataBody(c);
  if (!data.ok()) return Problem(data.status());
  auto key = IdempotencyKey(c);
  if (!key.ok()) return Problem(key.status());
  return Execute(*this, c, NewStreamId("case-", c, *key), "RegisterParticipant", *data,
                 http::status::created);
}

Response App::FoundCooperative(Call& c) {
  auto data = DataBody(c);
  if (!data.ok()) return Problem(data.status());
  auto key = IdempotencyKey(c);
  if (!key.ok()) return Problem(key.status());
  return Execute(*this, c, NewStreamId("coop-", c, *key), "FoundCooperative", *data,
                 http::status::created);
}

Response App::CaseCommand(Call& c) {
  return StreamCommand(*this, c, c.params.at("case_id"), "case");
}

Response App::CooperativeCommand(Call& c) {
  return StreamCommand(*this, c, c.params.at("cooperative_id"), "cooperative");
}

Response App::GetCase(Call& c) {
  const std::string& id = c.params.at("case_id");
  auto loaded = LoadVisible(*this, c, id, "case");
  if (!loaded.ok()) return Problem(loaded.status());
  const StreamState& state = **loaded;
  std::string extra = ",\"personal\":";
  if (MayReadPersonal(c, state) && QueryValue(c, "personal", "true") != "false") {
    if (Status s = RecordPersonalRead(*this, c, id); !s.ok())
      return Problem(Status::Unavailable("the read could not be recorded; try again"));
    auto personal = PersonalJson(*this, id);
    if (!personal.ok()) return Problem(personal.status());
    extra += boost::json::serialize(*personal);
  } else {
    extra += "\"sealed\"";
  }
  if (!state.case_facts().cooperative_id().empty()) {
    extra += ",\"cooperative_membership\":";
    extra += boost::json::serialize(MembershipJson(*this, state));
  }
  Response r = Json(http::status::ok, ViewBody(*this, c, state, extra));
  r.message.set(http::field::etag, "\"" + std::to_string(state.version()) + "\"");
  return r;
}

Response App::GetCooperative(Call& c) {
  const std::string& id = c.params.at("cooperative_id");
  auto loaded = LoadVisible(*this, c, id, "cooperative");
  if (!loaded.ok()) return Problem(loaded.status());
  const StreamState& state = **loaded;
  Response r = Json(http::status::ok, ViewBody(*this, c, state, ""));
  r.message.set(http::field::etag, "\"" + std::to_string(state.version()) + "\"");
  return r;
}

}  // namespace piseruma::api
