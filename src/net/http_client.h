#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "common/result.h"
#include "net/http.h"

namespace runnel::net {

// A synchronous HTTP/1.1 client for remote interactive-query lookups, tools and tests.
// Thread-safe: concurrent calls use separate connections. Idle connections are kept per
// host:port and reused (a stale one is retried once on a fresh connection). Only http://.
class HttpClient {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{30'000};

  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `url` is "http://host:port/target", "host:port/target" or "host:port". `timeout` bounds
  // the whole exchange (connect, send, receive). Any HTTP status is a value, not an error;
  // errors are for connecting, I/O, timeouts (kTimedOut) and malformed responses.
  Result<Response> request(std::string_view method, std::string_view url, std::string_view body = {},
                           const Headers& headers = {}, std::chrono::milliseconds timeout = kDefaultTimeout);
  Result<Response> get(std::string_view url, std::chrono::milliseconds timeout = kDefaultTimeout);
  Result<Response> post(std::string_view url, std::string_view body,
                        std::string_view content_type = "application/json",
                        std::chrono::milliseconds timeout = kDefaultTimeout);

  // Reads the body incrementally, calling `on_data` with each piece as it arrives (chunk
  // framing removed; a piece is not necessarily one whole chunk). Return false from
  // `on_data` to stop early: the connection is closed, which the server sees as a
  // disconnect. `idle_timeout` bounds each wait for more bytes. The returned Response has
  // the status and headers and an empty body. The connection is never reused.
  using DataCallback = std::function<bool(std::string_view)>;
  Result<Response> stream(std::string_view method, std::string_view url, std::string_view body,
                          const Headers& headers, const DataCallback& on_data,
                          std::chrono::milliseconds idle_timeout = kDefaultTimeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::net
