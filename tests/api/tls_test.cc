// api/http/server.cc with TLS (api/http/tls.cc): a real client verifies the server's
// certificate, keeps a connection alive across requests, reads an event stream; plain HTTP
// on the TLS port is turned away without harming anyone else; unusable files are named.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>

#include "api/app.h"
#include "api/http/server.h"
#include "api/server_stack.h"
#include "tests/api/http_client.h"
#include "tests/api/test_certificate.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::api {
namespace {

using testing::MakeTestCertificate;
using testing::TempDir;
using testing::TestCertificate;
namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// A blocking HTTPS client that trusts `cert_pem` only and checks the name "localhost".
class TlsClient {
 public:
  TlsClient(uint16_t port, const std::string& cert_pem) {
    context_.add_certificate_authority(net::buffer(cert_pem));
    stream_.set_verify_mode(ssl::verify_peer);  // the stream's SSL object is made already
    stream_.set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(stream_).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
    stream_.handshake(ssl::stream_base::client);
  }

  http::response<http::string_body> Get(const std::string& target) {
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "localhost");
    http::write(stream_, request);
    http::response<http::string_body> response;
    http::read(stream_, buffer_, response);
    return response;
  }

  const char* protocol() { return SSL_get_version(stream_.native_handle()); }

 private:
  net::io_context ioc_;
  ssl::context context_{ssl::context::tls_client};
  beast::ssl_stream<beast::tcp_stream> stream_{ioc_, context_};
  beast::flat_buffer buffer_;
};

// Three events, then the end of the stream.
class ThreeEvents : public EventSource {
 public:
  std::optional<std::string> Next() override {
    if (sent_ == 3) return std::nullopt;
    return "data: " + std::to_string(++sent_) + "\n\n";
  }

 private:
  int sent_ = 0;
};

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = MakeTestCertificate(dir_.path());
    auto stack = ServerStack::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(stack);
    stack_ = std::move(*stack);
    app_ = std::make_unique<App>(stack_->Deps());
    ServerConfig config{.port = 0, .tls = TlsFiles{cert_.cert_path, cert_.key_path}};
    server_ = std::make_unique<HttpServer>(config, [this](const Request& r, const std::string& a) {
      if (r.target() == "/test/events") {
        Response events;
        events.message.result(http::status::ok);
        events.events = std::make_shared<ThreeEvents>();
        return events;
      }
      return app_->Handle(r, a);
    });
    ASSERT_OK(server_->Start());
  }
  void TearDown() override {
    server_.reset();
    app_.reset();
    stack_.reset();
  }

  TempDir dir_;
  TestCertificate cert_;
  std::unique_ptr<ServerStack> stack_;
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(TlsServerTest, AVerifyingClientTalksToTheRealAppOverOneConnection) {
  TlsClient client(server_->port(), cert_.cert_pem);
  EXPECT_TRUE(std::string(client.protocol()) == "TLSv1.3" ||
              std::string(client.protocol()) == "TLSv1.2")
      << client.protocol();
  for (int i = 0; i < 3; ++i) {  // keep-alive: the same TLS session each time
    auto health = client.Get("/healthz");
    EXPECT_EQ(health.result_int(), 200u);
  }
  auto refused = client.Get("/v1/cases");
  EXPECT_EQ(refused.result_int(), 401u);
  EXPECT_EQ(refused[http::field::content_type], "application/problem+json");
}

TEST_F(TlsServerTest, EventStreamsWorkOverTls) {
  TlsClient client(server_->port(), cert_.cert_pem);
  // The chunked body is read to its last chunk, which the server sends when the stream ends.
  EXPECT_EQ(client.Get("/test/events").body(), "data: 1\n\ndata: 2\n\ndata: 3\n\n");
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortIsDisconnectedAndOthersAreServed) {
  const std::string answer =
      testing::RawExchange(server_->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.find("200"), std::string::npos) << "no plaintext answer";
  TlsClient client(server_->port(), cert_.cert_pem);
  EXPECT_EQ(client.Get("/healthz").result_int(), 200u);
}

TEST_F(TlsServerTest, AClientThatDoesNotTrustTheCertificateIsRefused) {
  const TestCertificate other = MakeTestCertificate(dir_.path(), "other");
  EXPECT_THROW(TlsClient(server_->port(), other.cert_pem), boost::system::system_error);
  TlsClient client(server_->port(), cert_.cert_pem);
  EXPECT_EQ(client.Get("/healthz").result_int(), 200u);
}

TEST_F(TlsServerTest, StopClosesOpenTlsConnections) {
  TlsClient client(server_->port(), cert_.cert_pem);
  EXPECT_EQ(client.Get("/healthz").result_int(), 200u);
  EXPECT_EQ(server_->connections(), 1u);
  server_->Stop();
  EXPECT_EQ(server_->connections(), 0u);
  EXPECT_THROW(client.Get("/healthz"), boost::system::system_error);
}

TEST(TlsFilesTest, UnusableFilesAreNamedWithTheReason) {
  TempDir dir;
  const TestCertificate a = MakeTestCertificate(dir.path(), "a");
  const TestCertificate b = MakeTestCertificate(dir.path(), "b");

  auto missing = LoadTlsContext({.cert_chain = dir.Sub("nope.pem"), .private_key = a.key_path});
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("nope.pem"), std::string::npos);

  std::ofstream(dir.Sub("garbage.pem")) << "not a key\n";
  auto garbage = LoadTlsContext({.cert_chain = a.cert_path, .private_key = dir.Sub("garbage.pem")});
  EXPECT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("garbage.pem"), std::string::npos);

  auto mismatch = LoadTlsContext({.cert_chain = a.cert_path, .private_key = b.key_path});
  EXPECT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mismatch.status().message().find("does not belong"), std::string::npos)
      << mismatch.status().message();

  EXPECT_OK(LoadTlsContext({.cert_chain = a.cert_path, .private_key = a.key_path}));

  // A server with unusable files does not start.
  HttpServer server({.port = 0, .tls = TlsFiles{a.cert_path, b.key_path}},
                    [](const Request&, const std::string&) { return Response{}; });
  EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace piseruma::api
