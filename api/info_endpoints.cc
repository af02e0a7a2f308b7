// Endpoints about piseruma itself: workflow definitions, the signed-in user, users (admin),
// health, readiness, metrics and the OpenAPI document.
#include <google/protobuf/util/json_util.h>

#include <boost/json.hpp>
#include <sstream>

#include "api/app.h"
#include "api/case_view.h"
#include "api/openapi.h"
#include "api/problem.h"
#include "api/read_models.h"
#include "workflows/guidance.h"

namespace piseruma::api {
namespace {

boost::json::object UserJson(const User& u) {
  boost::json::array cities;
  for (const auto& c : u.cities) cities.push_back(boost::json::value(c));
  return {{"user_id", u.user_id}, {"display_name", u.display_name}, {"role", u.role},
          {"cities", std::move(cities)}, {"revoked", u.revoked}};
}

boost::json::value DefinitionJson(const workflows::WorkflowRegistry& reg, const workflows::WorkflowDefinition& def) {
  std::string text;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(def, &text, opts);
  boost::json::object o = boost::json::parse(text).as_object();
  // The forms a client renders: each transition's fields with types, options and bounds.
  boost::json::array forms;
  for (const auto& t : def.transitions()) {
    forms.push_back({{"command", t.command()}, {"when", t.when()}, {"fields", FieldSpecsJson(workflows::FieldSpecs(t, reg))}});
  }
  o["forms"] = std::move(forms);
  return o;
}

}  // namespace

Response App::ListWorkflows(Call&) {
  boost::json::array out;
  for (const auto* def : deps_.registry->LatestDefinitions()) {
    boost::json::array states;
    for (const auto& s : def->states()) {
      states.push_back({{"name", s.name()}, {"label", LabelJson(s.label())}, {"terminal", s.terminal()}});
    }
    boost::json::array versions;
    for (const auto& d : deps_.registry->all()) {
      if (d.name() == def->name()) versions.push_back(d.version());
    }
    out.push_back({{"name", def->name()}, {"version", def->version()}, {"versions", std::move(versions)},
                   {"label", LabelJson(def->label())}, {"states", std::move(states)}});
  }
  return Json(http::status::ok, boost::json::serialize(boost::json::object{{"workflows", std::move(out)}}));
}

Response App::GetWorkflow(Call& c) {
  const std::string& name = c.params.at("name");
  const workflows::WorkflowDefinition* def = deps_.registry->Latest(name);
  const std::string version = QueryValue(c, "version");
  if (def && !version.empty()) {
    auto v = engine::ExpectedVersion::Parse(version);
    def = v.ok() && v->kind() == engine::ExpectedVersion::Kind::kExactly
              ? deps_.registry->Find(name, static_cast<uint32_t>(v->version()))
              : nullptr;
  }
  if (!def) return Problem(Status::NotFound("no workflow " + name + (version.empty() ? "" : " version " + version)));
  return Json(http::status::ok, boost::json::serialize(DefinitionJson(*deps_.registry, *def)));
}

Response App::Me(Call& c) { return Json(http::status::ok, boost::json::serialize(UserJson(*c.user))); }

Response App::AddUser(Call& c) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(c.request.body(), ec);
  if (ec || !v.is_object()) return Problem(Status::InvalidArgument("send a JSON object: {user_id, display_name, role, cities}"));
  const auto& o = v.as_object();
  auto str = [&](const char* k) { return o.contains(k) && o.at(k).is_string() ? std::string(o.at(k).as_string()) : ""; };
  std::vector<std::string> cities;
  if (o.contains("cities")) {
    if (!o.at("cities").is_array()) return Problem(Status::InvalidArgument("'cities' must be a list of city names"));
    for (const auto& city : o.at("cities").as_array()) {
      if (!city.is_string()) return Problem(Status::InvalidArgument("'cities' must be a list of city names"));
      cities.emplace_back(city.as_string());
    }
  }
  engine::Actor by;
  by.set_user_id(c.user->user_id);
  by.set_role(c.user->role);
  auto created = deps_.users->Add(by, str("user_id"), str("display_name"), str("role"), cities);
  if (!created.ok()) return Problem(created.status());
  boost::json::object body = UserJson(created->user);
  body["token"] = created->token;
  body["note"] = "Ce jeton ne sera plus affiché. / This token will not be shown again.";
  return Json(http::status::created, boost::json::serialize(body));
}

Response App::ListUsers(Call&) {
  boost::json::array out;
  for (const auto& u : deps_.users->List()) out.push_back(UserJson(u));
  return Json(http::status::ok, boost::json::serialize(boost::json::object{{"users", std::move(out)}}));
}

Response App::RevokeUser(Call& c) {
  engine::Actor by;
  by.set_user_id(c.user->user_id);
  by.set_role(c.user->role);
  Status s = deps_.users->Revoke(by, c.params.at("user_id"), QueryValue(c, "reason", "revoked by an administrator"));
  if (!s.ok()) return Problem(s);
  Response r;
  r.message.result(http::status::no_content);
  return r;
}

Response App::Health(Call&) { return Json(http::status::ok, R"({"status":"ok"})"); }

Response App::Ready(Call&) {
  const uint64_t head = deps_.log->HeadPosition();
  if (deps_.read_models) {
    const uint64_t at = deps_.read_models->Position();
    if (at < head) {
      return Json(http::status::service_unavailable,
                  boost::json::serialize(boost::json::object{{"status", "catching up"}, {"log_head", head}, {"read_models_at", at}}));
    }
  }
  return Json(http::status::ok, boost::json::serialize(boost::json::object{{"status", "ready"}, {"log_head", head}}));
}

Response App::MetricsText(Call&) {
  std::ostringstream out;
  out << metrics_.Render();
  const engine::WriterStats w = deps_.log->GetWriterStats();
  out << "# TYPE piseruma_log_head_position gauge\npiseruma_log_head_position " << deps_.log->HeadPosition() << "\n"
      << "# TYPE piseruma_appends_total counter\npiseruma_appends_total " << w.appends << "\n"
      << "# TYPE piseruma_events_appended_total counter\npiseruma_events_appended_total " << w.events << "\n"
      << "# TYPE piseruma_group_commit_batches_total counter\npiseruma_group_commit_batches_total " << w.batches << "\n"
      << "# TYPE piseruma_group_commit_largest_batch gauge\npiseruma_group_commit_largest_batch " << w.largest_batch << "\n";
  if (deps_.read_models) {
    const uint64_t at = deps_.read_models->Position();
    out << "# TYPE piseruma_projection_lag_positions gauge\npiseruma_projection_lag_positions "
        << (deps_.log->HeadPosition() > at ? deps_.log->HeadPosition() - at : 0) << "\n";
  }
  Response r;
  r.message.result(http::status::ok);
  r.message.set(http::field::content_type, "text/plain; version=0.0.4");
  r.message.body() = out.str();
  return r;
}

Response App::OpenApi(Call&) {
  Response r = Json(http::status::ok, OpenApiDocument());
  r.message.set(http::field::cache_control, "public, max-age=300");
  return r;
}

}  // namespace piseruma::api
