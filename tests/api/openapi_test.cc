// The OpenAPI document names exactly the routes the server serves, with their methods, and
// every status the server answered in a sample of requests is documented for that route.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/app.h"
#include "api/server_stack.h"
#include "tests/support/temp_dir.h"

namespace piseruma::api {
namespace {

boost::json::object Doc() { return boost::json::parse(OpenApiDocument()).as_object(); }

TEST(OpenApiTest, DocumentsExactlyTheServedRoutes) {
  testing::TempDir dir;
  auto stack = ServerStack::Open({.data_dir = dir.path(), .deadline_period = std::chrono::milliseconds(0)});
  ASSERT_TRUE(stack.ok());
  App app((*stack)->Deps());
  const std::vector<std::string> routes = app.RouteNames();
  std::set<std::string> served(routes.begin(), routes.end());
  std::set<std::string> documented;
  auto doc = Doc();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(m + " " + std::string(path));
    }
  }
  EXPECT_EQ(served, documented);
}

TEST(OpenApiTest, StatusesTheServerAnswersAreDocumented) {
  testing::TempDir dir;
  auto stack = ServerStack::Open({.data_dir = dir.path(), .deadline_period = std::chrono::milliseconds(0)});
  ASSERT_TRUE(stack.ok());
  auto token = (*stack)->CreateAdmin("u-admin");
  App app((*stack)->Deps());
  auto doc = Doc();
  auto documented = [&](const std::string& path, const std::string& method, int status) {
    const auto& responses = doc.at("paths").at(path).at(method).at("responses").as_object();
    return responses.contains(std::to_string(status));
  };
  struct Sample {
    http::verb verb;
    std::string target, path, method, body;
    bool signed_in;
  };
  const std::vector<Sample> samples = {
      {http::verb::get, "/v1/cases/case-NOPE", "/v1/cases/{case_id}", "get", "", true},
      {http::verb::get, "/v1/cases/case-NOPE", "/v1/cases/{case_id}", "get", "", false},
      {http::verb::post, "/v1/cases", "/v1/cases", "post", "{}", true},  // admin may not register
      {http::verb::get, "/v1/workflows", "/v1/workflows", "get", "", true},
      {http::verb::get, "/v1/workflows/nothing", "/v1/workflows/{name}", "get", "", true},
      {http::verb::get, "/v1/dashboard", "/v1/dashboard", "get", "", true},
      {http::verb::get, "/readyz", "/readyz", "get", "", false},
      {http::verb::get, "/healthz", "/healthz", "get", "", false},
      {http::verb::post, "/v1/admin/users", "/v1/admin/users", "post", "{\"user_id\":\"u-1\",\"role\":\"x\"}", true},
      {http::verb::get, "/v1/me", "/v1/me", "get", "", true},
  };
  for (const auto& s : samples) {
    Request r{s.verb, s.target, 11};
    if (s.signed_in) r.set(http::field::authorization, "Bearer " + *token);
    r.set(http::field::content_type, "application/json");
    r.body() = s.body;
    const int status = static_cast<int>(app.Handle(r, "127.0.0.1").message.result_int());
    EXPECT_TRUE(documented(s.path, s.method, status)) << s.method << " " << s.target << " answered " << status;
  }
}

}  // namespace
}  // namespace piseruma::api
