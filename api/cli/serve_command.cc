// `piseruma serve`: the HTTP server on an embedded data directory.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>

#include "api/app.h"
#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "api/http/server.h"
#include "api/server_stack.h"
#include "api/static_files.h"

namespace piseruma::cli {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread it starts, so that the main
// thread alone receives them, with sigwait.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int RunServe(int argc, char** argv) {
  Flags f("serve",
          "Serve the HTTP API and the web app (at /) on an embedded data directory.\n"
          "Stops cleanly on SIGINT/SIGTERM: no new connections, in-flight requests finish.");
  f.Add("data", "the data directory (created if missing)", "./data", "PISERUMA_DATA");
  f.Add("address", "address to listen on", "127.0.0.1", "PISERUMA_ADDRESS");
  f.Add("port", "port to listen on (0: any free port)", "8080", "PISERUMA_PORT");
  f.Add("definitions", "workflow definitions directory", workflows::DefaultDefinitionsDir(),
        "PISERUMA_DEFINITIONS");
  f.AddSwitch(
      "demo",
      "on first start (no data yet), seed the data directory with the synthetic demo programme");
  f.Add("demo-participants", "participants in the demo", "2000");
  f.Add("create-admin", "create an administrator with this user id and print their token", "");
  f.Add("web", "the web app's directory, served at /", api::DefaultWebDir(), "PISERUMA_WEB");
  f.Add("access-log", "where to write one JSON line per request: - (stdout), a file, or none", "-");
  f.Add("tls-cert", "PEM certificate chain: serve HTTPS only (with --tls-key)", "",
        "PISERUMA_TLS_CERT");
  f.Add("tls-key", "PEM private key of --tls-cert (unencrypted; keep it 0600)", "",
        "PISERUMA_TLS_KEY");
  f.Add("workers",
        "request-handling threads; they wait on disk syncs, so more let more commands share a "
        "sync, and fewer cost less switching (docs/benchmarks.md)",
        std::to_string(api::ServerConfig().worker_threads), "PISERUMA_WORKERS");
  if (int rc = ParseOrExit(f, argc, argv, "serve"); rc >= 0) return rc;
  auto port = f.GetUint("port");
  if (!port.ok() || *port > 65535) return Fail("serve", "--port must be 0..65535");
  auto workers = f.GetUint("workers");
  if (!workers.ok() || *workers < 1 || *workers > 1024)
    return Fail("serve", "--workers must be 1..1024");
  auto participants = f.GetUint("demo-participants");
  if (!participants.ok()) return Fail("serve", participants.status().message());
  api::ServerConfig config{.address = f.Get("address"),
                           .port = static_cast<uint16_t>(*port),
                           .worker_threads = static_cast<int>(*workers)};
  if (!f.Get("tls-cert").empty() || !f.Get("tls-key").empty()) {
    if (f.Get("tls-cert").empty() || f.Get("tls-key").empty())
      return Fail("serve", "--tls-cert and --tls-key go together: give both, or neither");
    config.tls = api::TlsFiles{.cert_chain = f.Get("tls-cert"), .private_key = f.Get("tls-key")};
    auto usable = api::LoadTlsContext(*config.tls);  // say so now, before opening the data
    if (!usable.ok()) return Fail("serve", usable.status().message());
  }

  const sigset_t stop_signals = BlockStopSignals();
  api::StackOptions options;
  options.data_dir = f.Get("data");
  options.definitions_dir = f.Get("definitions");
  options.seed_demo = f.Has("demo");
  options.demo_participants = static_cast<int>(*participants);
  auto stack = api::ServerStack::Open(options);
  if (!stack.ok()) return Fail("serve", stack.status().message());

  if (!f.Get("create-admin").empty()) {
    auto created = (*stack)->CreateAdmin(f.Get("create-admin"));
    if (!created.ok()) return Fail("serve", created.status().message());
    std::printf("administrator %s created; token (shown once): %s\n", f.Get("create-admin").c_str(),
                created->c_str());
  }
  (*stack)->PrintWelcome(stdout);

  std::mutex log_mu;
  std::ofstream log_file;
  const std::string log_to = f.Get("access-log");
  if (log_to != "-" && log_to != "none") log_file.open(log_to, std::ios::app);
  api::AppDeps deps = (*stack)->Deps();
  deps.web_dir = f.Get("web");
  if (log_to != "none") {
    deps.request_log = [&](const std::string& line) {
      std::lock_guard lock(log_mu);
      (log_file.is_open() ? static_cast<std::ostream&>(log_file) : std::cout) << line << "\n";
    };
  }
  api::App app(std::move(deps));
  api::HttpServer server(std::move(config), [&](const api::Request& r, const std::string& remote) {
    return app.Handle(r, remote);
  });
  Status started = server.Start();
  if (!started.ok()) return Fail("serve", started.message());
  std::printf("piseruma écoute / listening on %s://%s:%u  (data: %s; Ctrl-C to stop)\n",
              f.Get("tls-cert").empty() ? "http" : "https", f.Get("address").c_str(), server.port(),
              f.Get("data").c_str());
  std::fflush(stdout);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::printf("piseruma: %s received, finishing in-flight requests…\n",
              signal == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  server.Stop();
  stack->reset();  // stops the scheduler and read models, then closes the log
  std::printf("piseruma: stopped cleanly\n");
  return 0;
}

}  // namespace piseruma::cli
