#include "tests/api/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>

namespace piseruma::testing {
namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
}  // namespace

boost::json::value HttpResult::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

HttpResult TestClient::Send(const std::string& method, const std::string& target, const std::string& body,
                            const std::map<std::string, std::string>& headers) const {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser);
  HttpResult out;
  out.status = static_cast<int>(parser.get().result_int());
  for (const auto& f : parser.get()) out.headers[std::string(f.name_string())] = std::string(f.value());
  out.body = parser.get().body();
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

HttpResult TestClient::Post(const std::string& target, const boost::json::value& body,
                            const std::map<std::string, std::string>& headers) const {
  auto h = headers;
  h.emplace("Content-Type", "application/json");
  return Send("POST", target, boost::json::serialize(body), h);
}

std::string RawExchange(uint16_t port, const std::string& raw, int timeout_ms) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  net::write(socket, net::buffer(raw), ec);
  std::string out;
  char buf[4096];
  // Read asynchronously until the server closes or the time is up.
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code e, std::size_t n) {
    out.append(buf, n);
    if (!e) socket.async_read_some(net::buffer(buf), on_read);
  };
  socket.async_read_some(net::buffer(buf), on_read);
  ioc.run_for(std::chrono::milliseconds(timeout_ms));
  return out;
}

}  // namespace piseruma::testing
