// libFuzzer target: arbitrary bytes parsed as an HTTP request (as a client could send them)
// and handed to App::Handle, the pure request handler, over a real data directory. The
// handler must answer every request without crashing, leaking or tripping a sanitizer.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>

#include "api/app.h"
#include "api/server_stack.h"

namespace {

struct World {
  World() {
    dir = std::filesystem::temp_directory_path() / ("piseruma-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto s = piseruma::api::ServerStack::Open({.data_dir = dir.string(), .deadline_period = std::chrono::milliseconds(0)});
    if (!s.ok()) std::abort();
    stack = std::move(*s);
    token = *stack->CreateAdmin("u-admin");
    piseruma::engine::Actor by;
    by.set_user_id("fuzz");
    by.set_role("admin");
    caseworker = stack->users().Add(by, "u-cw", "cw", "caseworker", {"Rabat"})->token;
    app = std::make_unique<piseruma::api::App>(stack->Deps());
  }
  std::filesystem::path dir;
  std::unique_ptr<piseruma::api::ServerStack> stack;
  std::unique_ptr<piseruma::api::App> app;
  std::string token, caseworker;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1 << 20);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  piseruma::api::Request request = parser.release();
  // Half the inputs are signed in, so the endpoints behind authentication are reached too.
  if (size % 2 == 0) request.set(http::field::authorization, "Bearer " + (size % 4 == 0 ? world->token : world->caseworker));
  piseruma::api::Response r = world->app->Handle(request, "127.0.0.1");
  if (r.message.result_int() < 100 || r.message.result_int() > 599) std::abort();
  return 0;
}
