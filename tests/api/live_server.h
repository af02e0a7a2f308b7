// LiveServer: what an API integration test runs against. It is the real ServerStack over a
// data directory, the App, and the HTTP server on an ephemeral 127.0.0.1 port, stopped
// gracefully and closed in reverse order. `seed` runs on a directory that has no users yet,
// so the fixture's users are created once and found again after a restart.
//
//   LiveServer live;
//   live.Start({.data_dir = dir.path(), .clock = &clock}, {}, [&] { CreateUsers(); });
//   TestClient client(live.server->port(), token);
//   live.Stop();
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "api/app.h"
#include "api/http/server.h"
#include "api/server_stack.h"
#include "tests/support/log_helpers.h"

namespace piseruma::testing {

struct LiveServer {
  // Fails the test (fatally, in the caller) when the stack or the server cannot start.
  void Start(api::StackOptions options, api::ServerConfig config,
             const std::function<void()>& seed) {
    auto opened = api::ServerStack::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stack = std::move(*opened);
    if (stack->users().ActiveCount() == 0 && seed) seed();
    app = std::make_unique<api::App>(stack->Deps());
    config.port = 0;
    server = std::make_unique<api::HttpServer>(
        config, [this](const api::Request& r, const std::string& a) { return app->Handle(r, a); });
    ASSERT_OK(server->Start());
  }

  void Stop() {
    if (server) server->Stop();
    server.reset();
    app.reset();
    stack.reset();
  }

  std::unique_ptr<api::ServerStack> stack;
  std::unique_ptr<api::App> app;
  std::unique_ptr<api::HttpServer> server;
};

}  // namespace piseruma::testing
