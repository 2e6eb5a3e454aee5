#include "net/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <map>
#include <mutex>

namespace runnel::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;

namespace {

// Each connection has its own io_context, so that concurrent calls never share one and a
// call can run its own operations to completion on the calling thread. Async operations
// (not blocking ones) because only they honour the tcp_stream's deadline.
struct Connection {
  asio::io_context io{1};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
};

// Runs one async operation to completion on the calling thread.
template <typename Start>
ErrorCode runOp(Connection& connection, Start&& start) {
  ErrorCode result;
  start([&result](const ErrorCode& ec, auto&&...) { result = ec; });
  connection.io.restart();
  connection.io.run();
  return result;
}

Status ioStatus(std::string_view what, const Url& url, const ErrorCode& ec) {
  std::string message = std::string(what) + " " + url.host + ":" + std::to_string(url.port) + ": " + ec.message();
  if (ec == beast::error::timeout) return Status::timedOut(std::move(message));
  return Status::ioError(std::move(message));
}

Result<std::unique_ptr<Connection>> connect(const Url& url) {
  auto connection = std::make_unique<Connection>();
  ErrorCode ec;
  tcp::resolver resolver(connection->io);
  // Blocking resolution: loopback and literal addresses (the common case) never wait.
  auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec) return ioStatus("cannot resolve", url, ec);
  ec = runOp(*connection, [&](auto handler) { connection->stream.async_connect(endpoints, handler); });
  if (ec) return ioStatus("cannot connect to", url, ec);
  return connection;
}

http::request<http::string_body> makeRequest(std::string_view method, const Url& url, std::string_view body,
                                             const Headers& headers) {
  http::request<http::string_body> request;
  request.version(11);
  beast::string_view method_text(method.data(), method.size());
  http::verb verb = http::string_to_verb(method_text);
  if (verb == http::verb::unknown) {
    request.method_string(method_text);
  } else {
    request.method(verb);
  }
  request.target(url.target);
  request.set(http::field::host, url.host + ":" + std::to_string(url.port));
  request.set(http::field::user_agent, "runnel");
  for (const auto& [name, value] : headers.fields()) request.set(name, value);
  request.body() = std::string(body);
  request.keep_alive(true);
  if (!body.empty() || method == "POST" || method == "PUT") request.prepare_payload();
  return request;
}

template <typename Message>
void copyHead(const Message& message, Response& response) {
  response.status = static_cast<int>(message.result_int());
  response.content_type.clear();
  for (const auto& field : message) response.headers.add(std::string(field.name_string()), std::string(field.value()));
  if (auto type = response.headers.get("Content-Type")) response.content_type = std::string(*type);
}

}  // namespace

struct HttpClient::Impl {
  std::mutex mutex;
  std::multimap<std::string, std::unique_ptr<Connection>> idle;  // "host:port" -> connection

  std::unique_ptr<Connection> takeIdle(const std::string& key) {
    std::lock_guard lock(mutex);
    auto it = idle.find(key);
    if (it == idle.end()) return nullptr;
    auto connection = std::move(it->second);
    idle.erase(it);
    return connection;
  }

  void putIdle(const std::string& key, std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    idle.emplace(key, std::move(connection));
  }
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}

HttpClient::~HttpClient() = default;

Result<Response> HttpClient::request(std::string_view method, std::string_view url_text, std::string_view body,
                                     const Headers& headers, std::chrono::milliseconds timeout) {
  RUNNEL_ASSIGN_OR_RETURN(Url url, parseUrl(url_text));
  std::string key = url.host + ":" + std::to_string(url.port);
  auto message = makeRequest(method, url, body, headers);

  // A pooled connection may have been closed by the server meanwhile; that shows up as an
  // error before any response byte, and the request goes again on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> connection = attempt == 0 ? impl_->takeIdle(key) : nullptr;
    bool reused = connection != nullptr;
    if (!connection) {
      RUNNEL_ASSIGN_OR_RETURN(connection, connect(url));
    }
    Connection& c = *connection;
    c.stream.expires_after(timeout);
    ErrorCode ec = runOp(c, [&](auto handler) { http::async_write(c.stream, message, handler); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    if (!ec) ec = runOp(c, [&](auto handler) { http::async_read(c.stream, c.buffer, parser, handler); });
    if (ec) {
      if (reused && ec != beast::error::timeout && parser.got_some() == false) continue;
      return ioStatus("request to", url, ec);
    }
    auto& received = parser.get();
    Response response;
    copyHead(received, response);
    response.body = std::move(received.body());
    if (received.keep_alive() && parser.is_done()) impl_->putIdle(key, std::move(connection));
    return response;
  }
  return Status::ioError("request to " + key + " failed");
}

Result<Response> HttpClient::get(std::string_view url, std::chrono::milliseconds timeout) {
  return request("GET", url, {}, {}, timeout);
}

Result<Response> HttpClient::post(std::string_view url, std::string_view body, std::string_view content_type,
                                  std::chrono::milliseconds timeout) {
  return request("POST", url, body, Headers{{"Content-Type", std::string(content_type)}}, timeout);
}

Result<Response> HttpClient::stream(std::string_view method, std::string_view url_text, std::string_view body,
                                    const Headers& headers, const DataCallback& on_data,
                                    std::chrono::milliseconds idle_timeout) {
  RUNNEL_ASSIGN_OR_RETURN(Url url, parseUrl(url_text));
  RUNNEL_ASSIGN_OR_RETURN(auto connection, connect(url));
  Connection& c = *connection;
  auto message = makeRequest(method, url, body, headers);
  c.stream.expires_after(idle_timeout);
  ErrorCode ec = runOp(c, [&](auto handler) { http::async_write(c.stream, message, handler); });
  if (ec) return ioStatus("request to", url, ec);

  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  c.stream.expires_after(idle_timeout);
  ec = runOp(c, [&](auto handler) { http::async_read_header(c.stream, c.buffer, parser, handler); });
  if (ec) return ioStatus("reading the response head from", url, ec);
  Response response;
  copyHead(parser.get(), response);

  char piece[16 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = piece;
    parser.get().body().size = sizeof piece;
    c.stream.expires_after(idle_timeout);
    // read_some: read() would wait for the whole body, or for the piece to fill.
    ec = runOp(c, [&](auto handler) { http::async_read_some(c.stream, c.buffer, parser, handler); });
    // need_buffer only says the piece is full.
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return ioStatus("reading the response body from", url, ec);
    size_t filled = sizeof piece - parser.get().body().size;
    if (filled > 0 && !on_data(std::string_view(piece, filled))) break;
  }
  ErrorCode ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  c.stream.close();
  return response;
}

}  // namespace runnel::net
