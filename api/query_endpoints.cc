// Endpoints answered from the read models (projections): case list, caseloads, dashboard,
// cooperative registry. Each accepts ?min_position=N to wait (up to 2 s) until the read
// models include a command's effects.
#include <boost/json.hpp>

#include "api/app.h"
#include "api/problem.h"
#include "api/read_models.h"

namespace piseruma::api {
namespace {

constexpr std::chrono::milliseconds kMaxWait(2000);

using Query = Result<boost::json::value> (ReadModels::*)(const QueryParams&, const User&);

Response Answer(App& app, const Call& c, Query query) {
  ReadModels* models = app.deps().read_models;
  if (!models) return Problem(Status::Unavailable("the read models are not running on this server"));
  const std::string min = QueryValue(c, "min_position");
  if (!min.empty()) {
    auto v = engine::ExpectedVersion::Parse(min);
    if (!v.ok() || v->kind() != engine::ExpectedVersion::Kind::kExactly) {
      return Problem(Status::InvalidArgument("min_position must be a log position (a whole number >= 1)"));
    }
    if (!models->WaitForPosition(v->version(), kMaxWait)) {
      Response r = Problem(Status::Unavailable("the read models have not reached position " + min + " yet; retry"));
      r.message.set(http::field::retry_after, "1");
      return r;
    }
  }
  auto result = (models->*query)(c.query, *c.user);
  if (!result.ok()) return Problem(result.status());
  Response r = Json(http::status::ok, boost::json::serialize(*result));
  r.message.set("X-Read-Model-Position", std::to_string(models->Position()));
  return r;
}

}  // namespace

Response App::ListCases(Call& c) { return Answer(*this, c, &ReadModels::Cases); }
Response App::Caseloads(Call& c) { return Answer(*this, c, &ReadModels::Caseloads); }
Response App::Dashboard(Call& c) { return Answer(*this, c, &ReadModels::Dashboard); }
Response App::ListCooperatives(Call& c) { return Answer(*this, c, &ReadModels::Cooperatives); }

}  // namespace piseruma::api
