#include "api/app.h"

#include <boost/json.hpp>
#include <chrono>

#include "api/problem.h"
#include "api/static_files.h"
#include "engine/clock.h"

namespace piseruma::api {
namespace {

constexpr size_t kMaxPathBytes = 2048;

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Paths are plain ASCII ids and words: anything else (escapes, dot segments, control or
// non-ASCII bytes, empty segments) is refused before routing.
bool SafePath(std::string_view path) {
  if (path.empty() || path[0] != '/' || path.size() > kMaxPathBytes) return false;
  if (path.find("..") != std::string_view::npos || path.find("//") != std::string_view::npos)
    return false;
  for (unsigned char c : path) {
    if (c <= 0x20 || c >= 0x7f || c == '%' || c == '\\') return false;
  }
  return true;
}

bool Match(const std::string& pattern, const std::vector<std::string>& segments,
           std::map<std::string, std::string>* params) {
  const std::vector<std::string> want = Split(pattern);
  if (want.size() != segments.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (segments[i].empty()) return false;
      found[want[i].substr(1, want[i].size() - 2)] = segments[i];
    } else if (want[i] != segments[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Decode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out->push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

}  // namespace

bool ParseQuery(std::string_view query, std::map<std::string, std::string>* out) {
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!Decode(pair.substr(0, eq), &key)) return false;
    if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), &value)) return false;
    (*out)[key] = value;
  }
  return true;
}

std::string QueryValue(const Call& c, const std::string& key, const std::string& fallback) {
  auto it = c.query.find(key);
  return it == c.query.end() ? fallback : it->second;
}

App::App(AppDeps deps) : deps_(std::move(deps)), routes_(Routes()) {}

std::vector<App::Route> App::Routes() {
  const std::vector<std::string> staff = {"caseworker", "supervisor"};
  const std::vector<std::string> readers = {"caseworker", "supervisor", "auditor", "admin"};
  const std::vector<std::string> everyone = {"caseworker", "supervisor", "auditor", "committee",
                                             "admin"};
  using V = http::verb;
  return {
      {V::post, "/v1/cases", staff, &App::RegisterCase},
      {V::get, "/v1/cases", readers, &App::ListCases},
      {V::get, "/v1/cases/{case_id}", readers, &App::GetCaseAt},
      {V::get,
       "/v1/cases/{case_id}/history",
       {"caseworker", "supervisor", "auditor"},
       &App::CaseHistory},
      {V::get, "/v1/cases/{case_id}/diff", {"caseworker", "supervisor", "auditor"}, &App::CaseDiff},
      {V::get,
       "/v1/cases/{case_id}/verify",
       {"caseworker", "supervisor", "auditor"},
       &App::CaseVerify},
      {V::get, "/v1/cases/{case_id}/audit-file", {"auditor"}, &App::CaseAuditFile},
      {V::get, "/v1/audit/verify", {"auditor", "admin"}, &App::AuditVerify},
      {V::get, "/v1/audit/access", {"auditor", "admin"}, &App::AuditAccess},
      {V::post, "/v1/audit/checkpoints", {"auditor", "admin"}, &App::CreateCheckpoint},
      {V::get, "/v1/audit/checkpoints/latest", {"auditor", "admin"}, &App::GetLatestCheckpoint},
      {V::post,
       "/v1/cases/{case_id}/commands",
       {"caseworker", "supervisor", "admin"},
       &App::CaseCommand},
      {V::post, "/v1/cooperatives", staff, &App::FoundCooperative},
      {V::get, "/v1/cooperatives", readers, &App::ListCooperatives},
      {V::get, "/v1/cooperatives/{cooperative_id}", readers, &App::GetCooperative},
      {V::post,
       "/v1/cooperatives/{cooperative_id}/commands",
       {"caseworker", "supervisor", "admin"},
       &App::CooperativeCommand},
      {V::get, "/v1/caseloads", readers, &App::Caseloads},
      {V::get, "/v1/dashboard", everyone, &App::Dashboard},
      {V::get, "/v1/workflows", everyone, &App::ListWorkflows},
      {V::get, "/v1/workflows/{name}", everyone, &App::GetWorkflow},
      {V::get, "/v1/events/stream", everyone, &App::EventStream},
      {V::get, "/v1/me", everyone, &App::Me},
      {V::post, "/v1/admin/users", {"admin"}, &App::AddUser},
      {V::get, "/v1/admin/users", {"admin"}, &App::ListUsers},
      {V::delete_, "/v1/admin/users/{user_id}", {"admin"}, &App::RevokeUser},
      {V::get, "/v1/openapi.json", {}, &App::OpenApi},
      {V::get, "/healthz", {}, &App::Health},
      {V::get, "/readyz", {}, &App::Ready},
      {V::get, "/metrics", {}, &App::MetricsText},
      {V::get, "/", {}, &App::WebIndex},
      {V::get, "/assets/{file}", {}, &App::WebAsset},
  };
}

std::vector<std::string> App::RouteNames() const {
  std::vector<std::string> out;
  for (const auto& r : routes_)
    out.push_back(std::string(http::to_string(r.method)) + " " + r.pattern);
  return out;
}

Response App::Authenticate(Call& c) {
  if (limiter_.Blocked(c.remote)) {
    return Problem(http::status::too_many_requests, "too-many-failures",
                   "Trop d'essais / Too many attempts",
                   "Too many failed sign-ins from this address; wait a minute.");
  }
  const std::string header(c.request[http::field::authorization]);
  if (header.rfind("Bearer ", 0) != 0) {
    Response r = Problem(http::status::unauthorized, "sign-in-required",
                         "Connexion requise / Sign-in required",
                         "Send 'Authorization: Bearer <token>'. An administrator creates tokens.");
    r.message.set(http::field::www_authenticate, "Bearer");
    return r;
  }
  c.user = deps_.users->Authenticate(std::string_view(header).substr(7));
  if (!c.user) {
    limiter_.Fail(c.remote);
    Response r = Problem(http::status::unauthorized, "bad-token", "Jeton invalide / Invalid token",
                         "The token is unknown or was revoked.");
    r.message.set(http::field::www_authenticate, "Bearer error=\"invalid_token\"");
    return r;
  }
  return Response();
}

Response App::Dispatch(Call& c, const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const size_t qmark = target.find('?');
  c.path = std::string(target.substr(0, qmark));
  if (!SafePath(c.path)) {
    return Problem(http::status::bad_request, "bad-path", "Chemin invalide / Invalid path",
                   "The path has characters or segments piseruma does not accept.");
  }
  if (qmark != std::string_view::npos && !ParseQuery(target.substr(qmark + 1), &c.query)) {
    return Problem(http::status::bad_request, "bad-query", "Paramètres invalides / Invalid query",
                   "The query string has a malformed %-escape.");
  }
  const std::vector<std::string> segments = Split(c.path);
  const Route* found = nullptr;
  std::string allowed;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(r.pattern, segments, &params)) continue;
    allowed += (allowed.empty() ? "" : ", ") + std::string(http::to_string(r.method));
    if (r.method == request.method()) {
      found = &r;
      c.params = std::move(params);
      break;
    }
  }
  if (!found && !allowed.empty()) {
    Response r = Problem(http::status::method_not_allowed, "method-not-allowed",
                         "Méthode non permise / Method not allowed",
                         std::string(request.method_string()) + " is not allowed on " + c.path +
                             "; use " + allowed + ".");
    r.message.set(http::field::allow, allowed);
    return r;
  }
  if (!found) {
    return Problem(http::status::not_found, "no-route", "Introuvable / Not found",
                   "No route for " + c.path + ".");
  }
  c.route = std::string(http::to_string(found->method)) + " " + found->pattern;
  if (!found->roles.empty()) {
    Response denied = Authenticate(c);
    if (denied.message.result() != http::status::ok) return denied;
    if (std::find(found->roles.begin(), found->roles.end(), c.user->role) == found->roles.end()) {
      return Problem(http::status::forbidden, "forbidden", "Non autorisé / Forbidden",
                     "The " + c.user->role + " role may not use " + c.route + ".");
    }
  }
  return (this->*found->fn)(c);
}

Response App::Handle(const Request& request, const std::string& remote) {
  const auto start = std::chrono::steady_clock::now();
  Call c{request, "", {}, {}, std::nullopt, remote, "unmatched"};
  Response r;
  try {
    r = Dispatch(c, request);
  } catch (const std::exception& e) {
    r = Problem(Status::Internal(e.what()));
  }
  r.message.set("X-Content-Type-Options", "nosniff");
  if (r.message.find(http::field::cache_control) == r.message.end())
    r.message.set(http::field::cache_control, "no-store");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int status = static_cast<int>(r.message.result_int());
  metrics_.Record(c.route, status, seconds);
  if (deps_.request_log) {
    boost::json::object line{{"time", engine::FormatRfc3339Micros(deps_.clock->NowMicros())},
                             {"user", c.user ? c.user->user_id : ""},
                             {"method", std::string(request.method_string())},
                             {"route", c.route},
                             {"status", status},
                             {"duration_ms", seconds * 1000.0}};
    deps_.request_log(boost::json::serialize(line));
  }
  return r;
}

// The web app: the page, then its scripts and styles (api/static_files.h).
namespace {
std::string WebDirOf(const AppDeps& deps) {
  return deps.web_dir.empty() ? DefaultWebDir() : deps.web_dir;
}
}  // namespace

Response App::WebIndex(Call& c) {
  return ServeStaticFile(WebDirOf(deps_), "", "index.html", c.request);
}

Response App::WebAsset(Call& c) {
  return ServeStaticFile(WebDirOf(deps_), "assets", c.params.at("file"), c.request);
}

}  // namespace piseruma::api
