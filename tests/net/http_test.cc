// The HTTP server and client over real loopback sockets: routing, keep-alive, errors,
// chunked streaming from another thread, concurrency, stop(), and curl interoperability.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

#include "net/http_client.h"
#include "net/http_server.h"

namespace runnel::net {
namespace {

using namespace std::chrono_literals;

// A plain blocking socket, for what HttpClient would not send: garbage, pipelining, a
// client that never reads.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads until `done(received)` or EOF or the timeout; returns what arrived.
  std::string readUntil(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(received_) && !eof_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) break;
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[8192];
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        eof_ = true;
        break;
      }
      received_.append(buffer, static_cast<size_t>(n));
    }
    return received_;
  }
  std::string readToEof(std::chrono::milliseconds timeout = 5s) {
    return readUntil([](const std::string&) { return false; }, timeout);
  }
  bool eof() const { return eof_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string received_;
};

size_t countOf(const std::string& text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// A stream handed over by a handler to the test thread.
struct StreamSlot {
  std::promise<std::shared_ptr<ResponseStream>> promise;
  std::shared_ptr<ResponseStream> take() {
    auto future = promise.get_future();
    if (future.wait_for(5s) != std::future_status::ready) return nullptr;
    return future.get();
  }
};

class HttpTest : public ::testing::Test {
 protected:
  // Stop first: the handlers and disconnect callbacks refer to the fixture's members.
  void TearDown() override { server_.reset(); }

  void startServer(HttpServerOptions options = {}) {
    server_ = std::make_unique<HttpServer>(options);
    ASSERT_TRUE(server_->get("/leaderboard/:productId", [](Request& request) {
      std::string body = "product=" + request.path_params["productId"];
      for (const auto& [key, value] : request.query) body += " " + key + "=" + value;
      if (auto custom = request.header("x-custom")) body += " header=" + std::string(*custom);
      return Response::json(200, "{\"echo\":\"" + body + "\"}");
    }).isOk());
    ASSERT_TRUE(server_->post("/echo", [](Request& request) {
      Response response = Response::text(201, request.body);
      response.headers.set("X-Method", request.method);
      return response;
    }).isOk());
    ASSERT_TRUE(server_->get("/remote", [](Request& request) { return Response::text(200, request.remote); }).isOk());
    ASSERT_TRUE(server_->get("/throw", [](Request&) -> Response { throw std::runtime_error("boom"); }).isOk());
    ASSERT_TRUE(server_->get("/stream", [this](Request&) {
      return Response::streaming(200, "application/json", [this](std::shared_ptr<ResponseStream> stream) {
        std::lock_guard lock(slot_mutex_);
        slot_.promise.set_value(std::move(stream));
      });
    }).isOk());
    ASSERT_TRUE(server_->start().isOk());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  std::shared_ptr<ResponseStream> takeStream() {
    auto stream = slot_.take();
    std::lock_guard lock(slot_mutex_);
    slot_ = StreamSlot();
    return stream;
  }

  std::unique_ptr<HttpServer> server_;
  std::string base_;
  std::mutex slot_mutex_;
  StreamSlot slot_;
};

TEST_F(HttpTest, RoutesWithPathParamsQueryAndHeaders) {
  startServer();
  EXPECT_NE(server_->port(), 0);
  HttpClient client;
  auto response = client.request("GET", base_ + "/leaderboard/p%2042?limit=5&name=a+b%21", {},
                                 Headers{{"X-Custom", "yes"}});
  ASSERT_TRUE(response.isOk()) << response.status().toString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, "{\"echo\":\"product=p 42 limit=5 name=a b! header=yes\"}");

  auto posted = client.post(base_ + "/echo", "payload", "text/plain");
  ASSERT_TRUE(posted.isOk());
  EXPECT_EQ(posted->status, 201);
  EXPECT_EQ(posted->body, "payload");
  EXPECT_EQ(posted->headers.get("x-method"), "POST");

  auto wrong_method = client.get(base_ + "/echo");
  ASSERT_TRUE(wrong_method.isOk());
  EXPECT_EQ(wrong_method->status, 405);

  auto thrown = client.get(base_ + "/throw");
  ASSERT_TRUE(thrown.isOk());
  EXPECT_EQ(thrown->status, 500);
  EXPECT_NE(thrown->body.find("boom"), std::string::npos);
}

TEST_F(HttpTest, FallbackAnswers404UnlessReplaced) {
  startServer();
  HttpClient client;
  auto missing = client.get(base_ + "/nope");
  ASSERT_TRUE(missing.isOk());
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("/nope"), std::string::npos);

  HttpServer custom;
  custom.setFallback([](Request& request) { return Response::text(418, "fallback " + request.path); });
  ASSERT_TRUE(custom.start().isOk());
  auto teapot = client.get("127.0.0.1:" + std::to_string(custom.port()) + "/x/y");
  ASSERT_TRUE(teapot.isOk());
  EXPECT_EQ(teapot->status, 418);
  EXPECT_EQ(teapot->body, "fallback /x/y");
  EXPECT_FALSE(custom.route("GET", "/late", [](Request&) { return Response{}; }).isOk());
}

TEST_F(HttpTest, KeepsConnectionsAlive) {
  startServer();
  HttpClient client;
  auto first = client.get(base_ + "/remote");
  auto second = client.get(base_ + "/remote");
  ASSERT_TRUE(first.isOk() && second.isOk());
  EXPECT_EQ(first->body, second->body) << "the client reuses its connection";

  // Two pipelined requests in one write, on one raw connection.
  RawSocket raw(server_->port());
  ASSERT_TRUE(raw.connected());
  raw.send("GET /leaderboard/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /leaderboard/2 HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string both = raw.readUntil([](const std::string& got) { return got.find("product=2") != std::string::npos; });
  EXPECT_EQ(countOf(both, "HTTP/1.1 200 OK"), 2u) << both;
  EXPECT_NE(both.find("product=1"), std::string::npos);
  EXPECT_FALSE(raw.eof());

  // "Connection: close" is honoured.
  raw.send("GET /leaderboard/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string all = raw.readToEof();
  EXPECT_TRUE(raw.eof());
  EXPECT_NE(all.find("product=3"), std::string::npos);
}

TEST_F(HttpTest, AnswersGarbageWith400) {
  startServer();
  RawSocket raw(server_->port());
  raw.send("THIS IS NOT HTTP\r\n\r\n");
  std::string answer = raw.readToEof();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer;
  EXPECT_NE(answer.find("bad request"), std::string::npos);
  EXPECT_TRUE(raw.eof());

  RawSocket bad_length(server_->port());
  bad_length.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
  EXPECT_TRUE(bad_length.readToEof().starts_with("HTTP/1.1 400"));

  RawSocket absolute(server_->port());
  absolute.send("GET http://elsewhere/ HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absolute.readToEof().starts_with("HTTP/1.1 400"));
}

TEST_F(HttpTest, AnswersLargeBodiesWith413) {
  startServer();
  HttpClient client;
  std::string big(11 * 1024 * 1024, 'x');  // over the 10 MiB default
  auto response = client.post(base_ + "/echo", big, "text/plain");
  ASSERT_TRUE(response.isOk()) << response.status().toString();
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("larger than"), std::string::npos);

  // A chunked body crossing a configured limit mid-way.
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  HttpServer small(options);
  ASSERT_TRUE(small.post("/echo", [](Request& r) { return Response::text(200, r.body); }).isOk());
  ASSERT_TRUE(small.start().isOk());
  RawSocket raw(small.port());
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  raw.send("3e8\r\n" + std::string(1000, 'y') + "\r\n");
  raw.send("3e8\r\n" + std::string(1000, 'y') + "\r\n0\r\n\r\n");
  EXPECT_TRUE(raw.readToEof().starts_with("HTTP/1.1 413"));
  auto fits = client.post("127.0.0.1:" + std::to_string(small.port()) + "/echo", std::string(1000, 'z'));
  ASSERT_TRUE(fits.isOk());
  EXPECT_EQ(fits->status, 200);

  // Head too large.
  RawSocket huge_head(server_->port());
  huge_head.send("GET /remote HTTP/1.1\r\nX-Big: " + std::string(100 * 1024, 'h') + "\r\n\r\n");
  EXPECT_TRUE(huge_head.readToEof().starts_with("HTTP/1.1 431"));
}

TEST_F(HttpTest, StreamsChunksWrittenFromAnotherThread) {
  startServer();
  std::thread writer([this] {
    auto stream = takeStream();
    ASSERT_NE(stream, nullptr);
    for (int i = 0; i < 200; ++i) {
      std::string row = "{\"row\":" + std::to_string(i) + "}\n";
      while (stream->write(row) == ResponseStream::WriteResult::kSlowClient) {
        stream->waitForSpace(row.size(), 100ms);
      }
      if (i % 50 == 0) std::this_thread::sleep_for(5ms);
    }
    stream->close();
    EXPECT_FALSE(stream->isOpen());
    EXPECT_EQ(stream->write("late"), ResponseStream::WriteResult::kClosed);
  });
  HttpClient client;
  std::string received;
  int pieces = 0;
  auto head = client.stream("GET", base_ + "/stream", {}, {}, [&](std::string_view data) {
    received.append(data);
    ++pieces;
    return true;
  });
  writer.join();
  ASSERT_TRUE(head.isOk()) << head.status().toString();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.get("transfer-encoding"), "chunked");
  EXPECT_EQ(head->content_type, "application/json");
  std::string expected;
  for (int i = 0; i < 200; ++i) expected += "{\"row\":" + std::to_string(i) + "}\n";
  EXPECT_EQ(received, expected);
  EXPECT_GT(pieces, 1);
}

TEST_F(HttpTest, StreamNoticesClientDisconnect) {
  startServer();
  std::atomic<bool> disconnected{false};
  std::promise<ResponseStream::WriteResult> last_write;
  std::thread writer([&] {
    auto stream = takeStream();
    ASSERT_NE(stream, nullptr);
    stream->setOnDisconnect([&] { disconnected = true; });
    ResponseStream::WriteResult result = ResponseStream::WriteResult::kOk;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      result = stream->write("row\n");
      if (result == ResponseStream::WriteResult::kClosed) break;
      std::this_thread::sleep_for(2ms);
    }
    last_write.set_value(result);
  });
  HttpClient client;
  auto head = client.stream("GET", base_ + "/stream", {}, {}, [](std::string_view) { return false; });
  ASSERT_TRUE(head.isOk());
  auto future = last_write.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(future.get(), ResponseStream::WriteResult::kClosed);
  writer.join();
  EXPECT_TRUE(disconnected);
}

TEST_F(HttpTest, SlowClientFillsTheBoundedBuffer) {
  HttpServerOptions options;
  options.stream_buffer_bytes = 64 * 1024;
  startServer(options);
  RawSocket raw(server_->port());  // asks, then never reads
  raw.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  auto stream = takeStream();
  ASSERT_NE(stream, nullptr);
  std::string chunk(1024, 'r');
  bool stalled = false;
  // Kernel socket buffers absorb a few MiB (and grow) before the server's queue fills and
  // stays full.
  for (int i = 0; i < 200'000 && !stalled; ++i) {
    auto result = stream->write(chunk);
    ASSERT_NE(result, ResponseStream::WriteResult::kClosed);
    if (result == ResponseStream::WriteResult::kSlowClient) stalled = !stream->waitForSpace(chunk.size(), 200ms);
  }
  EXPECT_TRUE(stalled);
  EXPECT_TRUE(stream->isOpen());
  // Once the client reads, the queue drains and the writer may go on.
  std::thread reader([&] { raw.readToEof(1s); });
  EXPECT_TRUE(stream->waitForSpace(chunk.size(), 2s));
  EXPECT_EQ(stream->write(chunk), ResponseStream::WriteResult::kOk);
  reader.join();

  // A writer that gives up on a slow client drops the connection.
  stream->abort();
  EXPECT_FALSE(stream->isOpen());
  EXPECT_EQ(stream->write(chunk), ResponseStream::WriteResult::kClosed);
  raw.readToEof(5s);
  EXPECT_TRUE(raw.eof());
}

TEST_F(HttpTest, AnswersExpectContinue) {
  startServer();
  RawSocket raw(server_->port());
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = raw.readUntil([](const std::string& got) { return got.find("\r\n\r\n") != std::string::npos; });
  EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n\r\n")) << interim;
  raw.send("hello");
  std::string all = raw.readUntil([](const std::string& got) { return got.ends_with("hello"); });
  EXPECT_NE(all.find("HTTP/1.1 201"), std::string::npos) << all;

  // Over the limit: 413 straight away, no 100.
  RawSocket too_big(server_->port());
  too_big.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_TRUE(too_big.readToEof().starts_with("HTTP/1.1 413"));
}

TEST_F(HttpTest, ServesConcurrentClients) {
  HttpServerOptions options;
  options.io_threads = 4;
  startServer(options);
  HttpClient shared_client;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      HttpClient own_client;
      for (int i = 0; i < 50; ++i) {
        HttpClient& client = i % 2 == 0 ? shared_client : own_client;
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto response = client.get(base_ + "/leaderboard/" + id);
        if (response.isOk() && response->body.find("product=" + id + "\"") != std::string::npos) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST_F(HttpTest, StopClosesOpenConnectionsAndStreams) {
  startServer();
  RawSocket idle(server_->port());
  idle.send("GET /remote HTTP/1.1\r\nHost: x\r\n\r\n");
  idle.readUntil([](const std::string& got) { return got.find("127.0.0.1") != std::string::npos; });
  RawSocket streaming(server_->port());
  streaming.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  auto stream = takeStream();
  ASSERT_NE(stream, nullptr);
  std::atomic<bool> disconnected{false};
  stream->setOnDisconnect([&] { disconnected = true; });
  ASSERT_EQ(stream->write("first\n"), ResponseStream::WriteResult::kOk);

  auto started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(stream->write("after\n"), ResponseStream::WriteResult::kClosed);
  EXPECT_TRUE(disconnected);
  idle.readToEof(2s);
  EXPECT_TRUE(idle.eof());
  streaming.readToEof(2s);
  EXPECT_TRUE(streaming.eof());
  RawSocket refused(server_->port());
  EXPECT_FALSE(refused.connected());
  server_->stop();  // idempotent
  server_.reset();
  EXPECT_EQ(stream->write("after destruction\n"), ResponseStream::WriteResult::kClosed);
}

TEST_F(HttpTest, ClientReportsErrors) {
  HttpClient client;
  HttpServer closed;
  ASSERT_TRUE(closed.start().isOk());
  uint16_t port = closed.port();
  closed.stop();
  auto refused = client.get("127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_FALSE(refused.isOk());
  EXPECT_FALSE(client.get("ftp://x/").isOk());

  startServer();
  // The stream's writer never writes: the wait for body bytes times out.
  auto timed_out = client.stream("GET", base_ + "/stream", {}, {}, [](std::string_view) { return true; }, 200ms);
  ASSERT_FALSE(timed_out.isOk());
  EXPECT_EQ(timed_out.status().code(), Status::Code::kTimedOut);
}

// Interoperability with a client we did not write.
TEST_F(HttpTest, CurlUnderstandsTheServer) {
  if (std::system("curl --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "curl is not installed";
  startServer();
  auto run = [](const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return output;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
    return output;
  };
  // Two URLs in one curl call share a keep-alive connection.
  std::string two = run("curl -s -v '" + base_ + "/leaderboard/7?limit=3' '" + base_ + "/remote' 2>&1");
  EXPECT_NE(two.find("product=7 limit=3"), std::string::npos) << two;
  EXPECT_NE(two.find("Re-using existing connection"), std::string::npos) << two;
  std::string posted = run("curl -s -X POST --data-binary 'hello curl' " + base_ + "/echo");
  EXPECT_EQ(posted, "hello curl");

  std::thread writer([this] {
    auto stream = takeStream();
    if (!stream) return;
    for (int i = 0; i < 3; ++i) (void)stream->write("line " + std::to_string(i) + "\n");
    stream->close();
  });
  std::string streamed = run("curl -s -N " + base_ + "/stream");
  writer.join();
  EXPECT_EQ(streamed, "line 0\nline 1\nline 2\n");
}

}  // namespace
}  // namespace runnel::net
