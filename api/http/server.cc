#include "api/http/server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace piseruma::api {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// An SSE stream is polled this often when it has nothing to send, and sends a comment
// line every kHeartbeatPolls empty polls, so a vanished client is noticed.
constexpr std::chrono::milliseconds kSsePoll(200);
constexpr int kHeartbeatPolls = 50;

http::response<http::string_body> Plain(http::status status, const std::string& title,
                                        const std::string& detail) {
  http::response<http::string_body> res{status, 11};
  res.set(http::field::content_type, "application/problem+json");
  res.body() = "{\"type\":\"https://piseruma.org/problems/http\",\"title\":\"" + title +
               "\",\"status\":" + std::to_string(static_cast<int>(status)) + ",\"detail\":\"" +
               detail + "\"}";
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

}  // namespace

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Called on shutdown: an idle connection is closed now; a busy one after its response.
  virtual void Shutdown() = 0;
};

struct HttpServer::Impl {
  Impl(ServerConfig c, Handler h)
      : config(std::move(c)),
        handler(std::move(h)),
        workers(static_cast<size_t>(config.worker_threads)),
        acceptor(ioc) {}

  void Accept();
  template <typename S>
  void StartSession(std::shared_ptr<S> session) {
    Register(session);
    session->Start();
  }
  void Register(const std::shared_ptr<SessionBase>& s);
  void Unregister(SessionBase* s);
  // Asks every open session to close once idle.
  void ShutdownSessions();

  // Declared before the io_context so they outlive it: destroying the io_context destroys
  // pending handlers, hence sessions, which unregister themselves.
  ServerConfig config;
  Handler handler;
  std::shared_ptr<ssl::context> tls;  // set: every connection is TLS
  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::map<SessionBase*, std::weak_ptr<SessionBase>> sessions;  // guarded by sessions_mu

  net::io_context ioc;
  // Keeps the io threads running while every session waits on a worker (no pending I/O).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  net::thread_pool workers;
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;
};

// One connection. `Stream` is beast::tcp_stream, or beast::ssl_stream over it for TLS: the
// only differences are the handshake before the first read and the TLS close_notify.
template <typename Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <typename... TlsContext>
  Session(tcp::socket socket, HttpServer::Impl& server, TlsContext&... tls)
      : stream_(std::move(socket), tls...), server_(server), timer_(stream_.get_executor()) {
    beast::error_code ec;
    auto endpoint = Tcp().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~Session() override {
    server_.connections.fetch_sub(1);
    server_.Unregister(this);
  }

  // On the connection's strand from the first step, like every later one: a Shutdown()
  // posted meanwhile then runs before or after the handshake starts, never beside it.
  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Begin, this->shared_from_this()));
  }

  void Shutdown() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) self->Close();
    });
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    if (server_.stopping) return Drop();
    if constexpr (kTls) {
      Tcp().expires_after(server_.config.read_timeout);
      reading_ = true;
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                self->reading_ = false;
                                if (ec) return self->Drop();  // not TLS, or a failed handshake
                                self->Read();
                              });
    } else {
      Read();
    }
  }

  void Read() {
    if (server_.stopping) return Close();
    idle_ = true;
    parser_.emplace();
    parser_->body_limit(server_.config.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.config.header_limit));
    Tcp().expires_after(server_.config.read_timeout);
    reading_ = true;
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    reading_ = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof || ec == ssl::error::stream_truncated) {
      return Drop();  // the peer left or went silent: nobody to say goodbye to
    }
    if (ec == http::error::body_limit) {
      return Reject(
          Plain(http::status::payload_too_large, "Request body too large",
                "The body exceeds " + std::to_string(server_.config.body_limit) + " bytes."));
    }
    if (ec == http::error::header_limit) {
      return Reject(Plain(http::status::request_header_fields_too_large, "Headers too large",
                          "The request headers exceed the limit."));
    }
    if (ec && ec.category() == net::error::get_ssl_category()) return Drop();  // TLS is broken
    if (ec) {
      return Reject(Plain(http::status::bad_request, "Malformed HTTP request",
                          "The request could not be parsed."));
    }

    server_.in_flight.fetch_add(1);
    auto request = std::make_shared<Request>(parser_->release());
    net::post(server_.workers, [self = this->shared_from_this(), request] {
      Response response;
      try {
        response = self->server_.handler(*request, self->remote_);
      } catch (const std::exception& e) {
        response.message = Plain(http::status::internal_server_error, "Internal error",
                                 "The server failed; try again.");
      }
      net::post(self->stream_.get_executor(),
                [self, request, response = std::move(response)]() mutable {
                  self->Write(std::move(response), request->keep_alive(), request->version());
                });
    });
  }

  void Write(Response response, bool keep_alive, unsigned version) {
    response.message.version(version);
    if (response.events) return StartEvents(std::move(response));
    response.message.keep_alive(keep_alive && !server_.stopping);
    response.message.prepare_payload();
    auto message = std::make_shared<http::response<http::string_body>>(std::move(response.message));
    http::async_write(
        stream_, *message,
        [self = this->shared_from_this(), message](beast::error_code ec, std::size_t) {
          self->server_.in_flight.fetch_sub(1);
          if (ec || message->need_eof()) return self->Close();
          self->Read();
        });
  }

  // Answers a request that could not be read, then closes (the stream's state is unknown).
  void Reject(http::response<http::string_body> res) {
    auto message = std::make_shared<http::response<http::string_body>>(std::move(res));
    Tcp().expires_after(std::chrono::seconds(5));
    http::async_write(stream_, *message,
                      [self = this->shared_from_this(), message](beast::error_code, std::size_t) {
                        self->Close();
                      });
  }

  void StartEvents(Response response) {
    server_.in_flight.fetch_sub(1);  // answered; a stream does not hold up shutdown
    events_ = std::move(response.events);
    header_ = std::make_shared<http::response<http::empty_body>>(response.message.result(),
                                                                 response.message.version());
    for (const auto& field : response.message) header_->set(field.name_string(), field.value());
    header_->set(http::field::content_type, "text/event-stream");
    header_->set(http::field::cache_control, "no-cache");
    header_->chunked(true);
    serializer_ = std::make_shared<http::response_serializer<http::empty_body>>(*header_);
    Tcp().expires_never();
    http::async_write_header(stream_, *serializer_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->Close();
                               self->PollEvents();
                             });
  }

  void PollEvents() {
    if (server_.stopping) return EndEvents();
    net::post(server_.workers, [self = this->shared_from_this()] {
      auto chunk = self->events_->Next();
      net::post(self->stream_.get_executor(),
                [self, chunk = std::move(chunk)] { self->SendEvents(chunk); });
    });
  }

  void SendEvents(const std::optional<std::string>& chunk) {
    if (!chunk) return EndEvents();
    std::string text = *chunk;
    if (text.empty() && ++empty_polls_ >= kHeartbeatPolls) text = ": keep-alive\n\n";
    if (text.empty()) {
      timer_.expires_after(kSsePoll);
      timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->PollEvents();
      });
      return;
    }
    empty_polls_ = 0;
    auto body = std::make_shared<std::string>(std::move(text));
    net::async_write(stream_, http::make_chunk(net::buffer(*body)),
                     [self = this->shared_from_this(), body](beast::error_code ec, std::size_t) {
                       if (ec) return self->Close();
                       self->PollEvents();
                     });
  }

  void EndEvents() {
    net::async_write(
        stream_, http::make_chunk_last(),
        [self = this->shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
  }

  // TLS first says goodbye (close_notify, at most a couple of seconds), unless a read is
  // pending (an idle connection at shutdown): a second read of the peer's close_notify
  // may not run beside it, and closing the socket is what ends that read. Then the socket
  // is closed.
  void Close() {
    if constexpr (kTls) {
      if (!closed_ && !reading_) {
        closed_ = true;
        timer_.cancel();
        Tcp().expires_after(std::chrono::seconds(2));
        stream_.async_shutdown(
            [self = this->shared_from_this()](beast::error_code) { self->CloseSocket(); });
        return;
      }
    }
    Drop();
  }

  // Closes at once, without a TLS goodbye: after a failed handshake or a broken TLS
  // stream (OpenSSL forbids a shutdown then), or when the peer has already gone.
  void Drop() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    CloseSocket();
  }

  void CloseSocket() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp().socket().close(ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Impl& server_;
  std::string remote_;
  net::steady_timer timer_;
  std::shared_ptr<EventSource> events_;
  std::shared_ptr<http::response<http::empty_body>> header_;
  std::shared_ptr<http::response_serializer<http::empty_body>> serializer_;
  int empty_polls_ = 0;
  bool idle_ = true;
  bool reading_ = false;  // a handshake or request read is pending
  bool closed_ = false;
};

void HttpServer::Impl::Register(const std::shared_ptr<SessionBase>& s) {
  std::lock_guard lock(sessions_mu);
  sessions[s.get()] = s;
}

void HttpServer::Impl::Unregister(SessionBase* s) {
  std::lock_guard lock(sessions_mu);
  sessions.erase(s);
}

void HttpServer::Impl::ShutdownSessions() {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [raw, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->Shutdown();  // outside the lock: a last reference may unregister
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) return;
      return Accept();
    }
    if (stopping) return;
    if (connections.load() >= config.max_connections) {
      // Over the cap: say so (in plain HTTP only: a TLS client cannot read it) and close.
      auto sock = std::make_shared<tcp::socket>(std::move(socket));
      if (tls) {
        beast::error_code ignored;
        sock->close(ignored);
        return Accept();
      }
      auto res = std::make_shared<http::response<http::string_body>>(
          Plain(http::status::service_unavailable, "Too many connections", "Retry shortly."));
      http::async_write(*sock, *res, [sock, res](beast::error_code, std::size_t) {
        beast::error_code ignored;
        sock->close(ignored);
      });
      return Accept();
    }
    connections.fetch_add(1);
    if (tls) {
      StartSession(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          std::move(socket), *this, *tls));
    } else {
      StartSession(std::make_shared<Session<beast::tcp_stream>>(std::move(socket), *this));
    }
    Accept();
  });
}

HttpServer::HttpServer(ServerConfig config, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  if (impl_->config.tls) {
    PSR_ASSIGN_OR_RETURN(impl_->tls, LoadTlsContext(*impl_->config.tls));
  }
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->config.address, ec);
  if (ec) return Status::InvalidArgument("'" + impl_->config.address + "' is not an IP address");
  tcp::endpoint endpoint(address, impl_->config.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + impl_->config.address + ":" +
                               std::to_string(impl_->config.port) + ": " + ec.message());
  }
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->Accept();
  int threads = impl_->config.io_threads > 0
                    ? impl_->config.io_threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) impl_->io_threads.emplace_back([this] { impl_->ioc.run(); });
  return Status::Ok();
}

void HttpServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  if (impl_->io_threads.empty()) return;
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->ShutdownSessions();
  const auto deadline = std::chrono::steady_clock::now() + impl_->config.drain_timeout;
  while ((impl_->in_flight.load() > 0 || impl_->connections.load() > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    impl_->ShutdownSessions();
  }
  if (impl_->in_flight.load() > 0 || impl_->connections.load() > 0) {
    std::fprintf(
        stderr,
        "piseruma: stopping with %zu request(s) in flight and %zu connection(s) after %llds\n",
        impl_->in_flight.load(), impl_->connections.load(),
        static_cast<long long>(impl_->config.drain_timeout.count()));
  }
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->io_threads) t.join();
  impl_->workers.join();
}

size_t HttpServer::in_flight() const { return impl_->in_flight.load(); }
size_t HttpServer::connections() const { return impl_->connections.load(); }

}  // namespace piseruma::api
