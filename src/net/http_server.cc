#include "net/http_server.h"

#include <array>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <thread>
#include <vector>

namespace runnel::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;

namespace {

// After an error response, how long the server keeps reading (and dropping) what the client
// still sends: closing with unread data makes the kernel send RST, and the client may then
// lose the response it has not read yet.
constexpr std::chrono::seconds kLingerTimeout{2};
// How long a finished stream waits for the client to close before closing itself.
constexpr std::chrono::seconds kStreamEndTimeout{5};

class Session;
struct ServerCore;

std::string endpointText(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

bool isHttpParseError(const ErrorCode& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

void postFlush(const std::shared_ptr<Session>& session);

}  // namespace

// Shared by the ResponseStream (any writer thread) and its Session (the connection's strand).
struct ResponseStream::State {
  std::mutex mutex;
  std::condition_variable space_cv;
  std::deque<std::string> queue;  // encoded chunks not yet handed to the socket
  size_t queued_bytes = 0;        // encoded bytes queued or being written
  size_t limit = 0;
  bool closed = false;       // no more writes: close() was called or the client is gone
  bool closing = false;      // close() was called: the end chunk follows the queue
  bool gone = false;         // the connection is dead
  bool flush_posted = false;
  std::function<void()> on_disconnect;
  // Posting needs the session alive; a weak_ptr lets the stream outlive it. Posts happen
  // only under `mutex` while !closed, and the session marks the state closed before it or
  // the server goes away, so no post ever reaches a destroyed io_context.
  std::weak_ptr<Session> session;

  void kickLocked() {
    if (flush_posted) return;
    if (auto session_ptr = session.lock()) {
      flush_posted = true;
      postFlush(session_ptr);
    }
  }
};

namespace {

struct ServerCore {
  explicit ServerCore(HttpServerOptions opts)
      : options(std::move(opts)), io(std::max(1, options.io_threads)), acceptor(asio::make_strand(io)),
        accept_retry(acceptor.get_executor()) {}

  void doAccept();
  void unregister(Session* session) {
    std::lock_guard lock(mutex);
    sessions.erase(session);
  }

  HttpServerOptions options;
  Router router;
  // Declared before the io_context: sessions destroyed with it unregister here.
  std::mutex mutex;
  std::map<Session*, std::weak_ptr<Session>> sessions;
  bool started = false;
  bool stopping = false;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::string address;
};

// One connection: reads requests, dispatches them, writes responses in order (HTTP/1.1
// without pipelining concurrency: the next request is read after the response is written).
// Every method runs on the connection's strand, except abort().
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {
    ErrorCode ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpointText(remote);
  }

  ~Session() {
    markGone();
    core_.unregister(this);
  }

  void start() { asio::post(stream_.get_executor(), [self = shared_from_this()] { self->readRequest(); }); }

  // From any thread (stop()): ends the connection and any stream on it.
  void abort() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->markGone();
      self->closeSocket();
    });
  }

  void flushStream();
  auto executor() { return stream_.get_executor(); }

 private:
  void readRequest();
  void readBody();
  void onRead(const ErrorCode& ec);
  void handleRequest();
  void writeResponse(Response response, bool keep_alive);
  void writeError(unsigned status, std::string message);
  void startStream(Response response);
  void watchDisconnect();
  void lingerClose();
  void drain();
  void markGone();
  void closeSocket() {
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  ServerCore& core_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<ResponseStream::State> stream_state_;
  std::string stream_head_;  // status line and headers of a streamed response, not yet sent
  bool writing_ = false;
  bool end_sent_ = false;
  std::array<char, 4096> scratch_{};
};

void postFlush(const std::shared_ptr<Session>& session) {
  asio::post(session->executor(), [session] { session->flushStream(); });
}

void Session::readRequest() {
  parser_.emplace();
  parser_->body_limit(core_.options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(core_.options.max_header_bytes));
  stream_.expires_after(core_.options.idle_timeout);
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](const ErrorCode& ec, size_t) {
    if (ec) {
      self->onRead(ec);
    } else {
      self->readBody();
    }
  });
}

void Session::readBody() {
  auto read_rest = [self = shared_from_this()] {
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     [self](const ErrorCode& ec, size_t) { self->onRead(ec); });
  };
  // curl and others send "Expect: 100-continue" with larger bodies and wait up to a second
  // for the go-ahead; an over-limit Content-Length has already failed the head read.
  auto expect = parser_->get()[http::field::expect];
  if (!parser_->is_done() && equalsIgnoreCase(std::string_view(expect.data(), expect.size()), "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this(), read_rest](const ErrorCode& ec, size_t) {
                        if (ec) {
                          self->closeSocket();
                        } else {
                          read_rest();
                        }
                      });
    return;
  }
  read_rest();
}

void Session::onRead(const ErrorCode& ec) {
  if (!ec) {
    handleRequest();
    return;
  }
  // The client left (cleanly or mid-request), timed out while idle, or the server stops:
  // there is nobody to answer.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message || !isHttpParseError(ec)) {
    closeSocket();
    return;
  }
  if (ec == http::error::body_limit) {
    writeError(413, "request body larger than " + std::to_string(core_.options.max_body_bytes) + " bytes\n");
  } else if (ec == http::error::header_limit) {
    writeError(431, "request head larger than " + std::to_string(core_.options.max_header_bytes) + " bytes\n");
  } else {
    writeError(400, "bad request: " + ec.message() + "\n");
  }
}

void Session::handleRequest() {
  auto& message = parser_->get();
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.remote = remote_;
  // Absolute-form and "*" targets are for proxies and OPTIONS; this server serves paths.
  if (!request.target.starts_with('/')) {
    writeError(400, "bad request: target must be a path: " + request.target + "\n");
    return;
  }
  size_t question = request.target.find('?');
  request.path = percentDecode(std::string_view(request.target).substr(0, question), false);
  if (question != std::string::npos) request.query = parseQuery(std::string_view(request.target).substr(question + 1));
  for (const auto& field : message) request.headers.add(std::string(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());
  bool keep_alive = message.keep_alive();
  parser_.reset();

  Response response;
  // No exception escapes the module: a throwing handler is a 500 for that request only.
  try {
    response = core_.router.dispatch(request);
  } catch (const std::exception& e) {
    response = Response::text(500, std::string("internal error: ") + e.what() + "\n");
  } catch (...) {
    response = Response::text(500, "internal error\n");
  }
  if (response.on_stream) {
    startStream(std::move(response));
  } else {
    writeResponse(std::move(response), keep_alive);
  }
}

void Session::writeResponse(Response response, bool keep_alive) {
  auto message = std::make_shared<http::response<http::string_body>>();
  message->version(11);
  message->result(static_cast<unsigned>(response.status));
  message->set(http::field::server, "runnel");
  message->set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers.fields()) message->insert(name, value);
  message->body() = std::move(response.body);
  message->keep_alive(keep_alive);
  message->prepare_payload();
  stream_.expires_after(core_.options.idle_timeout);
  http::async_write(stream_, *message, [self = shared_from_this(), message, keep_alive](const ErrorCode& ec, size_t) {
    if (ec) {
      self->closeSocket();
    } else if (keep_alive) {
      self->readRequest();
    } else {
      self->lingerClose();
    }
  });
}

void Session::writeError(unsigned status, std::string message_text) {
  auto message = std::make_shared<http::response<http::string_body>>();
  message->version(11);
  message->result(status);
  message->set(http::field::server, "runnel");
  message->set(http::field::content_type, "text/plain; charset=utf-8");
  message->body() = std::move(message_text);
  // The rest of the input cannot be trusted to start at a request boundary.
  message->keep_alive(false);
  message->prepare_payload();
  stream_.expires_after(kLingerTimeout);
  http::async_write(stream_, *message, [self = shared_from_this(), message](const ErrorCode& ec, size_t) {
    if (ec) {
      self->closeSocket();
    } else {
      self->lingerClose();
    }
  });
}

void Session::lingerClose() {
  ErrorCode ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kLingerTimeout);
  drain();
}

void Session::drain() {
  stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](const ErrorCode& ec, size_t) {
    if (ec) {
      self->closeSocket();
    } else {
      self->drain();
    }
  });
}

void Session::startStream(Response response) {
  auto state = std::make_shared<ResponseStream::State>();
  state->limit = core_.options.stream_buffer_bytes;
  state->session = weak_from_this();
  stream_state_ = state;

  auto status = static_cast<http::status>(response.status);
  stream_head_ = "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(http::obsolete_reason(status)) +
                 "\r\nServer: runnel\r\nContent-Type: " + response.content_type + "\r\n";
  for (const auto& [name, value] : response.headers.fields()) stream_head_ += name + ": " + value + "\r\n";
  // A streamed response ends its connection: the server would otherwise have to stop the
  // disconnect watch (a pending read) to parse the next request.
  stream_head_ += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

  stream_.expires_never();
  try {
    response.on_stream(std::make_shared<ResponseStream>(state));
  } catch (...) {
    // The head is not sent yet; the stream just ends empty.
    ResponseStream(state).close();
  }
  flushStream();
  watchDisconnect();
}

void Session::watchDisconnect() {
  // Clients send nothing more on a streamed request; a completed read with an error is the
  // only timely sign that they left (a write would find out only at the next row).
  stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](const ErrorCode& ec, size_t) {
    if (ec) {
      self->markGone();
      self->closeSocket();
    } else {
      self->watchDisconnect();
    }
  });
}

void Session::flushStream() {
  auto state = stream_state_;
  if (!state || writing_ || end_sent_) return;
  std::string out = std::move(stream_head_);
  stream_head_.clear();
  size_t counted = 0;
  bool ends = false;
  {
    std::lock_guard lock(state->mutex);
    state->flush_posted = false;
    if (state->gone) return;
    for (std::string& chunk : state->queue) {
      counted += chunk.size();
      out += chunk;
    }
    state->queue.clear();
    if (state->closing) {
      out += "0\r\n\r\n";
      ends = true;
    }
  }
  if (out.empty()) return;
  writing_ = true;
  end_sent_ = ends;
  auto buffer = std::make_shared<std::string>(std::move(out));
  asio::async_write(stream_, asio::buffer(*buffer), [self = shared_from_this(), buffer, counted, ends](const ErrorCode& ec, size_t) {
    self->writing_ = false;
    auto& state = *self->stream_state_;
    if (ec) {
      self->markGone();
      self->closeSocket();
      return;
    }
    {
      std::lock_guard lock(state.mutex);
      state.queued_bytes -= counted;
    }
    state.space_cv.notify_all();
    if (ends) {
      // The watch read sees the client's close; it closes the socket then.
      ErrorCode ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->stream_.expires_after(kStreamEndTimeout);
      return;
    }
    self->flushStream();
  });
}

void Session::markGone() {
  if (!stream_state_) return;
  std::function<void()> callback;
  {
    std::lock_guard lock(stream_state_->mutex);
    if (stream_state_->gone) return;
    stream_state_->gone = true;
    if (!stream_state_->closing) callback = std::move(stream_state_->on_disconnect);
    stream_state_->closed = true;
    stream_state_->queue.clear();
    stream_state_->queued_bytes = 0;
  }
  stream_state_->space_cv.notify_all();
  if (callback) callback();
}

void ServerCore::doAccept() {
  acceptor.async_accept(asio::make_strand(io), [this](const ErrorCode& ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      // Out of descriptors, say: retry shortly instead of spinning.
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](const ErrorCode& wait_ec) {
        if (!wait_ec && acceptor.is_open()) doAccept();
      });
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard lock(mutex);
      if (stopping) return;  // the session's destructor closes the socket
      sessions.emplace(session.get(), session);
    }
    session->start();
    doAccept();
  });
}

}  // namespace

ResponseStream::ResponseStream(std::shared_ptr<State> state) : state_(std::move(state)) {}

ResponseStream::~ResponseStream() { close(); }

ResponseStream::WriteResult ResponseStream::write(std::string_view chunk) {
  std::lock_guard lock(state_->mutex);
  if (state_->closed) return WriteResult::kClosed;
  if (chunk.empty()) return WriteResult::kOk;
  char size_line[24];
  int size_length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  size_t encoded = static_cast<size_t>(size_length) + chunk.size() + 2;
  if (state_->queued_bytes > 0 && state_->queued_bytes + encoded > state_->limit) return WriteResult::kSlowClient;
  std::string framed;
  framed.reserve(encoded);
  framed.append(size_line, static_cast<size_t>(size_length)).append(chunk).append("\r\n");
  state_->queue.push_back(std::move(framed));
  state_->queued_bytes += encoded;
  state_->kickLocked();
  return WriteResult::kOk;
}

void ResponseStream::close() {
  std::lock_guard lock(state_->mutex);
  if (state_->closed) return;
  state_->closed = true;
  state_->closing = true;
  state_->kickLocked();
}

void ResponseStream::abort() {
  std::lock_guard lock(state_->mutex);
  if (state_->gone) return;
  state_->closed = true;
  state_->closing = true;  // the writer's own decision: no disconnect callback
  if (auto session = state_->session.lock()) session->abort();
}

bool ResponseStream::isOpen() const {
  std::lock_guard lock(state_->mutex);
  return !state_->closed;
}

bool ResponseStream::waitForSpace(size_t bytes, std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  auto has_room = [&] {
    return state_->closed || state_->queued_bytes == 0 || state_->queued_bytes + bytes <= state_->limit;
  };
  state_->space_cv.wait_for(lock, timeout, has_room);
  return !state_->closed && has_room();
}

void ResponseStream::setOnDisconnect(std::function<void()> callback) {
  std::unique_lock lock(state_->mutex);
  if (state_->gone) {
    bool closing = state_->closing;
    lock.unlock();
    if (!closing && callback) callback();
    return;
  }
  state_->on_disconnect = std::move(callback);
}

struct HttpServer::Impl : ServerCore {
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

Status HttpServer::route(std::string_view method, std::string_view pattern, Handler handler) {
  if (impl_->started) return Status::invalidArgument("routes are fixed once the server has started");
  return impl_->router.add(method, pattern, std::move(handler));
}

void HttpServer::setFallback(Handler handler) {
  if (!impl_->started) impl_->router.setFallback(std::move(handler));
}

Status HttpServer::start() {
  Impl& core = *impl_;
  if (core.started) return Status::alreadyExists("HTTP server already started");
  ErrorCode ec;
  auto address = asio::ip::make_address(core.options.host, ec);
  if (ec) return Status::invalidArgument("bad listen host '" + core.options.host + "': " + ec.message());
  tcp::endpoint endpoint(address, core.options.port);
  core.acceptor.open(endpoint.protocol(), ec);
  if (!ec) core.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) core.acceptor.bind(endpoint, ec);
  if (!ec) core.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    ErrorCode ignored;
    core.acceptor.close(ignored);
    return Status::ioError("cannot listen on " + endpointText(endpoint) + ": " + ec.message());
  }
  auto local = core.acceptor.local_endpoint(ec);
  core.port = local.port();
  core.address = endpointText(local);
  core.started = true;
  core.work.emplace(asio::make_work_guard(core.io));
  core.doAccept();
  for (int i = 0; i < std::max(1, core.options.io_threads); ++i) {
    core.threads.emplace_back([&core] { core.io.run(); });
  }
  return Status::ok();
}

uint16_t HttpServer::port() const { return impl_->port; }

std::string HttpServer::address() const { return impl_->address; }

void HttpServer::stop() {
  Impl& core = *impl_;
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(core.mutex);
    if (!core.started || core.stopping) return;
    core.stopping = true;
    for (auto& [raw, weak] : core.sessions) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  asio::post(core.acceptor.get_executor(), [&core] {
    ErrorCode ignored;
    core.acceptor.close(ignored);
    core.accept_retry.cancel();
  });
  for (auto& session : sessions) session->abort();
  sessions.clear();
  // With the listener and every socket closed, the I/O threads run out of work and return.
  core.work.reset();
  for (std::thread& thread : core.threads) {
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();  // stop() from a handler: the thread finishes on its own
    } else {
      thread.join();
    }
  }
  core.threads.clear();
}

}  // namespace runnel::net
