#include "api/problem.h"

#include <boost/json.hpp>

namespace piseruma::api {
namespace {

const char* Slug(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return "invalid-input";
    case StatusCode::kNotFound: return "not-found";
    case StatusCode::kAlreadyExists: return "already-exists";
    case StatusCode::kAborted: return "version-conflict";
    case StatusCode::kFailedPrecondition: return "rule-failed";
    case StatusCode::kPermissionDenied: return "forbidden";
    case StatusCode::kResourceExhausted: return "too-much";
    case StatusCode::kDataLoss: return "integrity";
    case StatusCode::kUnavailable: return "unavailable";
    default: return "internal";
  }
}

const char* Title(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return "Requête invalide / Invalid request";
    case StatusCode::kNotFound: return "Introuvable / Not found";
    case StatusCode::kAlreadyExists: return "Existe déjà / Already exists";
    case StatusCode::kAborted: return "Modifié entre-temps / Changed meanwhile";
    case StatusCode::kFailedPrecondition: return "Conditions non remplies / Conditions not met";
    case StatusCode::kPermissionDenied: return "Non autorisé / Forbidden";
    case StatusCode::kResourceExhausted: return "Trop de requêtes / Too much";
    case StatusCode::kDataLoss: return "Intégrité compromise / Integrity failure";
    case StatusCode::kUnavailable: return "Indisponible / Unavailable";
    default: return "Erreur interne / Internal error";
  }
}

Response Build(http::status code, const std::string& slug, const std::string& title, const std::string& detail,
               boost::json::object extra) {
  boost::json::object o = std::move(extra);
  o["type"] = "https://piseruma.org/problems/" + slug;
  o["title"] = title;
  o["status"] = static_cast<int>(code);
  o["detail"] = detail;
  Response r;
  r.message.result(code);
  r.message.set(http::field::content_type, "application/problem+json");
  r.message.body() = boost::json::serialize(o);
  return r;
}

}  // namespace

http::status HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return http::status::ok;
    case StatusCode::kInvalidArgument: return http::status::bad_request;
    case StatusCode::kNotFound: return http::status::not_found;
    case StatusCode::kAlreadyExists: return http::status::conflict;
    case StatusCode::kAborted: return http::status::conflict;
    case StatusCode::kFailedPrecondition: return http::status::unprocessable_entity;
    case StatusCode::kPermissionDenied: return http::status::forbidden;
    case StatusCode::kResourceExhausted: return http::status::too_many_requests;
    case StatusCode::kUnavailable: return http::status::service_unavailable;
    default: return http::status::internal_server_error;
  }
}

Response Problem(const Status& s) {
  boost::json::object extra;
  if (!s.violations().empty()) {
    boost::json::array v;
    for (const auto& f : s.violations()) v.push_back({{"field", f.field}, {"rule", f.rule}, {"message", f.message}});
    extra["violations"] = std::move(v);
  }
  if (s.actual_version()) {
    extra["current_version"] = *s.actual_version();
    extra["stream_id"] = s.conflict_stream();
  }
  // Internal details stay in the server's log; the client gets a sentence it can act on.
  const std::string detail = s.code() == StatusCode::kInternal ? "The server failed; try again later." : s.message();
  return Build(HttpStatusOf(s.code()), Slug(s.code()), Title(s.code()), detail, std::move(extra));
}

Response Problem(http::status code, const std::string& slug, const std::string& title, const std::string& detail) {
  return Build(code, slug, title, detail, {});
}

Response Json(http::status code, const std::string& body) {
  Response r;
  r.message.result(code);
  r.message.set(http::field::content_type, "application/json");
  r.message.body() = body;
  return r;
}

}  // namespace piseruma::api
