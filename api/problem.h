// Errors as RFC 9457 problem details (application/problem+json): a stable `type`, a
// `title`, a `detail` a person can act on, the HTTP `status`, and for 422 the list of
// failed fields and rules; for 409 the stream's current version.
//
// Thread-safety: pure functions.
//
//   return Problem(status);                        // from a piseruma Status
//   return Problem(404, "not-found", "Not found", "No route for GET /v1/nothing");
#pragma once

#include "api/http/server.h"
#include "engine/status.h"

namespace piseruma::api {

// The HTTP status of a piseruma Status code (engineering.md's mapping).
http::status HttpStatusOf(StatusCode code);

Response Problem(const Status& status);
Response Problem(http::status code, const std::string& slug, const std::string& title, const std::string& detail);

// A JSON response with `status` and body.
Response Json(http::status code, const std::string& body);

}  // namespace piseruma::api
