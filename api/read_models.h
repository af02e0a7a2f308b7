// ReadModels: what the API asks of the projections (issue 4) — the case list, caseloads,
// the dashboard and the cooperative registry, as JSON for the signed-in user — and how
// far they have read the log (for read-your-writes and /readyz).
//
// Thread-safety: implementations must be thread-safe.
//
//   if (!models->WaitForPosition(min_position, 2s)) return 503;
//   auto json = models->Dashboard(query, user);
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <string>

#include "api/auth/user_store.h"
#include "engine/status.h"

namespace piseruma::api {

using QueryParams = std::map<std::string, std::string>;

class ReadModels {
 public:
  virtual ~ReadModels() = default;
  // The next log position the read models will apply (everything before is applied).
  virtual uint64_t Position() const = 0;
  // True once every read model has applied `position`.
  virtual bool WaitForPosition(uint64_t position, std::chrono::milliseconds timeout) = 0;
  virtual Result<boost::json::value> Cases(const QueryParams& query, const User& user) = 0;
  virtual Result<boost::json::value> Caseloads(const QueryParams& query, const User& user) = 0;
  virtual Result<boost::json::value> Dashboard(const QueryParams& query, const User& user) = 0;
  virtual Result<boost::json::value> Cooperatives(const QueryParams& query, const User& user) = 0;
};

}  // namespace piseruma::api
