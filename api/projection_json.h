// The read models (projections/) as JSON, and ProjectionReadModels: the api::ReadModels the
// HTTP server asks (api/read_models.h), backed by a ProjectionRuntime.
//
// Who sees what (the domain's roles):
//   caseworker, supervisor  their cities only (a `city` outside them is refused); the
//                           dashboard unsuppressed unless they ask ?suppress=true
//   auditor, admin          every city
//   committee               the dashboard only, always with small-cell suppression at the
//                           programme's threshold or above; cooperatives without member
//                           codes; no case list, no caseload
// Suppressed counts are rendered as the string "<5" (for threshold 5); their values never
// reach the JSON (the view holds 0 for them).
//
// Thread-safety: the renderers are pure functions; ProjectionReadModels is thread-safe
// (the runtime's queries are).
//
//   PSR_ASSIGN_OR_RETURN(auto models, ProjectionReadModels::Open(data_dir, log, registry, clock));
//   deps.read_models = models.get();
//   auto json = models->Dashboard({{"suppress", "true"}}, user);
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "api/read_models.h"
#include "projections/runtime.h"

namespace piseruma::api {

boost::json::object CaseSummaryToJson(const projections::CaseSummary& c);
boost::json::object CasePageToJson(const projections::CasePage& page);
boost::json::array CaseloadToJson(const std::vector<projections::CaseloadRow>& rows);
boost::json::object DashboardToJson(const projections::DashboardView& view);
boost::json::object CooperativeToJson(const projections::CooperativeRecord& c, bool with_members);
boost::json::object LagToJson(const projections::LagReport& lag);

// Query parameters → queries. kInvalidArgument names the parameter and what it accepts;
// kPermissionDenied when the user may not ask for it.
Result<projections::CaseQuery> ParseCaseQuery(const QueryParams& params, const User& user);
Result<projections::CaseloadQuery> ParseCaseloadQuery(const QueryParams& params, const User& user);
Result<projections::DashboardQuery> ParseDashboardQuery(const QueryParams& params, const User& user,
                                                        int64_t programme_threshold);
Result<projections::CooperativeQuery> ParseCooperativeQuery(const QueryParams& params,
                                                            const User& user);

class ProjectionReadModels final : public ReadModels {
 public:
  // Opens the projections of `data_dir` over `log` and starts following it. `log` and
  // `clock` are not owned and must outlive the read models.
  static Result<std::unique_ptr<ProjectionReadModels>> Open(
      const std::string& data_dir, const engine::EventLog* log,
      std::shared_ptr<const workflows::WorkflowRegistry> registry, engine::Clock* clock);
  ProjectionReadModels(std::unique_ptr<projections::ProjectionRuntime> runtime,
                       std::shared_ptr<const workflows::WorkflowRegistry> registry,
                       engine::Clock* clock);

  // The next position the read models will fold (every earlier one is folded).
  uint64_t Position() const override;
  bool WaitForPosition(uint64_t position, std::chrono::milliseconds timeout) override;
  Result<boost::json::value> Cases(const QueryParams& query, const User& user) override;
  Result<boost::json::value> Caseloads(const QueryParams& query, const User& user) override;
  Result<boost::json::value> Dashboard(const QueryParams& query, const User& user) override;
  Result<boost::json::value> Cooperatives(const QueryParams& query, const User& user) override;

  // How far behind the log the read models are (for /readyz, metrics or an admin page).
  boost::json::object Lag() const { return LagToJson(runtime_->Lag()); }
  projections::ProjectionRuntime& runtime() { return *runtime_; }

 private:
  workflows::Day Today() const;

  std::unique_ptr<projections::ProjectionRuntime> runtime_;
  std::shared_ptr<const workflows::WorkflowRegistry> registry_;
  engine::Clock* clock_;
};

}  // namespace piseruma::api
