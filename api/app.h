// App: piseruma's HTTP API as a function from request to response (handle_request).
//
// Routing, authentication (Bearer tokens), role checks, problem+json errors, metrics and the
// request log live here; the endpoints are grouped by subject in *_endpoints.cc. It opens
// no socket: tests call Handle() directly, the HttpServer calls it from its workers.
//
// Thread-safety: Handle() is thread-safe; every member it uses is.
//
//   App app(deps);
//   Response r = app.Handle(request, "127.0.0.1");
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/auth/user_store.h"
#include "api/case_view_cache.h"
#include "api/http/server.h"
#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "engine/event_log.h"
#include "workflows/command_service.h"

namespace piseruma::api {

class ReadModels;  // projections, when present (api/read_models.h)

struct AppDeps {
  engine::EventLog* log = nullptr;
  workflows::CommandService* service = nullptr;
  std::shared_ptr<const workflows::WorkflowRegistry> registry;
  UserStore* users = nullptr;
  ReadModels* read_models = nullptr;  // optional
  engine::Clock* clock = engine::SystemClock::Default();
  // One JSON line per request (time, user, method, route, status, duration); null: none.
  std::function<void(const std::string&)> request_log;
  // The web app's files (api/static_files.h); "" = the source tree's web/.
  std::string web_dir;
};

// What an endpoint sees of a request.
struct Call {
  const Request& request;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. case_id
  std::optional<User> user;
  std::string remote;
  std::string route;  // the pattern, e.g. "GET /v1/cases/{case_id}"
};

class App {
 public:
  explicit App(AppDeps deps);
  Response Handle(const Request& request, const std::string& remote);

  // Every route, for the OpenAPI consistency test: "GET /v1/cases/{case_id}", …
  std::vector<std::string> RouteNames() const;

  Metrics& metrics() { return metrics_; }
  const AppDeps& deps() const { return deps_; }
  // Renderings of recently read cases and cooperatives, per stream version.
  CaseViews& views() { return views_; }

  // Endpoints (grouped in *_endpoints.cc).
  Response RegisterCase(Call& c);
  Response CaseCommand(Call& c);
  Response GetCase(Call& c);
  Response FoundCooperative(Call& c);
  Response CooperativeCommand(Call& c);
  Response GetCooperative(Call& c);
  Response ListWorkflows(Call& c);
  Response GetWorkflow(Call& c);
  Response ListCases(Call& c);
  Response Caseloads(Call& c);
  Response Dashboard(Call& c);
  Response ListCooperatives(Call& c);
  Response EventStream(Call& c);
  Response AddUser(Call& c);
  Response ListUsers(Call& c);
  Response RevokeUser(Call& c);
  Response Me(Call& c);
  Response Health(Call& c);
  Response Ready(Call& c);
  Response MetricsText(Call& c);
  Response OpenApi(Call& c);
  // Auditor tools (audit_endpoints.cc).
  Response GetCaseAt(Call& c);  // GET /v1/cases/{id}: GetCase, or the state ?as_of= a moment
  Response CaseHistory(Call& c);
  Response CaseDiff(Call& c);
  Response CaseVerify(Call& c);
  Response AuditVerify(Call& c);
  Response AuditAccess(Call& c);
  Response CreateCheckpoint(Call& c);
  Response GetLatestCheckpoint(Call& c);
  Response CaseAuditFile(Call& c);
  Response WebIndex(Call& c);
  Response WebAsset(Call& c);

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> roles;  // empty: no sign-in needed
    Response (App::*fn)(Call&);
  };
  static std::vector<Route> Routes();
  Response Dispatch(Call& c, const Request& request);
  Response Authenticate(Call& c);

  // Streams whose rendering is kept (each a few KiB, plus its users' next steps).
  static constexpr size_t kCachedViews = 2048;

  AppDeps deps_;
  std::vector<Route> routes_;
  Metrics metrics_;
  CaseViews views_{kCachedViews};
  FailureLimiter limiter_{10, std::chrono::seconds(60)};
};

// Helpers shared by endpoint files.
std::string QueryValue(const Call& c, const std::string& key, const std::string& fallback = "");
// Splits "a=1&b=%20x" into decoded pairs; false on malformed escapes.
bool ParseQuery(std::string_view query, std::map<std::string, std::string>* out);

}  // namespace piseruma::api
