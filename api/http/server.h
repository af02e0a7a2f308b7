// HttpServer: piseruma's HTTP/1.1 server on Boost.Beast and Boost.Asio.
//
// Sessions do I/O only. A request is read with a fresh parser (body and header limits) and
// a read timeout, then handed to the Handler on a separate worker pool, because handlers
// block on RocksDB and on the log's group commit; the response is written back on the
// connection's strand. Keep-alive, a cap on connections (the excess are answered 503 and
// closed), and graceful shutdown: Stop() stops accepting, lets in-flight requests finish
// (bounded), closes idle connections and returns.
//
// A handler may answer with an event stream (Server-Sent Events): the session then sends
// the headers, and pulls chunks from the stream's Next() on the worker pool until the
// client leaves or the server stops.
//
// With `tls` set, every connection is TLS (1.2 or later) from its first byte; a client that
// fails the handshake, or speaks plain HTTP to it, is disconnected.
//
// Thread-safety: Start/Stop/port from the owning thread; the handler is called
// concurrently from worker threads.
//
//   HttpServer server({.port = 0}, [&](const Request& r) { return app.Handle(r); });
//   PSR_RETURN_IF_ERROR(server.Start());
//   std::cout << server.port();   // the ephemeral port chosen
//   server.Stop();
#pragma once

#include <atomic>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http/tls.h"
#include "engine/status.h"

namespace piseruma::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;

// A source of SSE chunks. Next() blocks up to a short while and returns the text to send
// ("" when nothing new), or nullopt when the stream is over.
class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual std::optional<std::string> Next() = 0;
};

struct Response {
  http::response<http::string_body> message;
  std::shared_ptr<EventSource> events;  // set: stream Server-Sent Events after the headers
};

using Handler = std::function<Response(const Request&, const std::string& remote_address)>;

struct ServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port
  int io_threads = 0;    // 0: the number of cores
  // Handlers block (on disk syncs, waits for read models): this many run at once. 32 keeps
  // group commits full at 64 busy clients on 2 cores, with less switching than 64.
  int worker_threads = 32;
  size_t body_limit = 1 << 20;
  size_t header_limit = 16 << 10;
  std::chrono::seconds read_timeout{30};
  size_t max_connections = 2048;
  std::chrono::seconds drain_timeout{10};
  std::optional<TlsFiles> tls;  // set: serve HTTPS only
};

class HttpServer {
 public:
  HttpServer(ServerConfig config, Handler handler);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // Stop()s if running

  // Binds and starts serving. kUnavailable when the address cannot be bound;
  // kInvalidArgument when the TLS files cannot be used.
  Status Start();
  uint16_t port() const { return port_; }
  // Graceful stop; idempotent.
  void Stop();
  // Requests being handled right now.
  size_t in_flight() const;
  size_t connections() const;

  struct Impl;  // the io_context, acceptor and sessions (server.cc)

 private:
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace piseruma::api
