// A small blocking HTTP/1.1 client on Boost.Beast for integration tests: a real socket to
// a real server on 127.0.0.1.
//
//   TestClient client(port);
//   HttpResult r = client.Send("GET", "/healthz");
//   EXPECT_EQ(r.status, 200);
#pragma once

#include <boost/json.hpp>

#include <map>
#include <string>

namespace piseruma::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  boost::json::value json() const;  // null when the body is not JSON
};

class TestClient {
 public:
  explicit TestClient(uint16_t port, std::string token = "") : port_(port), token_(std::move(token)) {}
  // One request on a fresh connection. `headers` are added as given.
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {}) const;
  HttpResult Post(const std::string& target, const boost::json::value& body,
                  const std::map<std::string, std::string>& headers = {}) const;
  void set_token(std::string token) { token_ = std::move(token); }

 private:
  uint16_t port_;
  std::string token_;
};

// Writes `raw` bytes on a new connection and returns what the server sends back before it
// closes (or `timeout_ms` passes).
std::string RawExchange(uint16_t port, const std::string& raw, int timeout_ms = 3000);

}  // namespace piseruma::testing
