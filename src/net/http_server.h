#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "net/http.h"
#include "net/router.h"

namespace runnel::net {

struct HttpServerOptions {
  // Default: "127.0.0.1". "0.0.0.0" or "::" listens on every interface.
  std::string host = "127.0.0.1";
  // Default: 0, which picks a free port; HttpServer::port() tells which.
  uint16_t port = 0;
  // Default: 1. Threads running the connections and the handlers.
  int io_threads = 1;
  // Default: 10 MiB. A larger request body is answered with 413.
  size_t max_body_bytes = 10 * 1024 * 1024;
  // Default: 64 KiB. Larger request line + headers are answered with 431.
  size_t max_header_bytes = 64 * 1024;
  // Default: 1 MiB. Bytes a streamed response may hold unsent before write() reports a slow
  // client.
  size_t stream_buffer_bytes = 1024 * 1024;
  // Default: 60 s. A connection idle this long between requests is closed.
  std::chrono::milliseconds idle_timeout{60'000};
};

// The body of a streamed response (chunked transfer encoding), written from any thread.
// Each write() becomes one chunk. Writes only queue: the bytes go out on the connection's
// I/O thread, so a writer never waits for the network; instead the queue is bounded and
// write() says when it is full. The stream outlives the connection safely: once the
// client is gone (or the server stops) writes answer kClosed.
class ResponseStream {
 public:
  enum class WriteResult {
    kOk,
    kSlowClient,  // the buffer is full; nothing was queued. Retry later, or give up.
    kClosed,      // the client went away, the server stopped, or close() was called
  };

  struct State;  // shared with the connection (http_server.cc)
  explicit ResponseStream(std::shared_ptr<State> state);
  ~ResponseStream();  // ends the response (as close()) when the last owner lets go

  // Queues one chunk; an empty chunk is ignored (it would end the body). A chunk larger than
  // the whole buffer is accepted when the buffer is empty, so every chunk can get through.
  WriteResult write(std::string_view chunk);
  // Ends the body (the zero-length chunk) after the queued chunks; idempotent.
  void close();
  // Drops the client: closes the connection without the final chunk, so the client sees a
  // truncated body. For a client too slow to keep (close() would wait behind its backlog).
  void abort();
  // False once the client is gone, the server stopped, or close() was called.
  bool isOpen() const;
  // Waits until the buffer has room for `bytes` or the stream is closed; true if there is
  // room. For writers that prefer to wait on a slow client rather than drop it.
  bool waitForSpace(size_t bytes, std::chrono::milliseconds timeout);
  // Called once, on an I/O thread, when the client disconnects or the server stops (not
  // after close()). Lets a producer (a push query) stop without waiting for its next write.
  void setOnDisconnect(std::function<void()> callback);

 private:
  std::shared_ptr<State> state_;
};

// An HTTP/1.1 server on Boost.Asio/Beast (kept out of this header). Register routes, then
// start(); handlers run on the I/O threads. Connections are kept alive between requests
// unless the client asks otherwise; a streamed response ends its connection.
class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes are fixed once the server has started (no locking on the request path).
  Status route(std::string_view method, std::string_view pattern, Handler handler);
  Status get(std::string_view pattern, Handler handler) { return route("GET", pattern, std::move(handler)); }
  Status post(std::string_view pattern, Handler handler) { return route("POST", pattern, std::move(handler)); }
  // Answers whatever no route matches; the default answers 404.
  void setFallback(Handler handler);

  // Binds, listens and starts the I/O threads.
  Status start();
  // The bound port, after start().
  uint16_t port() const;
  // "127.0.0.1:8088", after start().
  std::string address() const;
  // Closes the listener and every connection (open streams report kClosed), then joins the
  // I/O threads; waits for handlers that are running. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::net
