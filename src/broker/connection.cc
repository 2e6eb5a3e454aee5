#include "broker/connection.h"

#include <spdlog/spdlog.h>

#include <array>
#include <deque>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "broker/dispatch.h"

namespace runnel::broker {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Stop reading new requests while this many responses are outstanding, so that a
// client pipelining faster than we answer cannot grow memory without bound.
constexpr size_t kMaxPendingResponses = 1024;

class Connection : public ResponseSink, public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, BrokerContext& context)
      : socket_(std::move(socket)), strand_(socket_.get_executor()), context_(context) {
    boost::system::error_code ec;
    auto endpoint = socket_.remote_endpoint(ec);
    peer_ = ec ? "unknown" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    client_host_ = ec ? "unknown" : "/" + endpoint.address().to_string();
    socket_.set_option(tcp::no_delay(true), ec);
  }

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->readSize(); });
  }

  void complete(uint64_t sequence, std::optional<Bytes> frame) override {
    asio::dispatch(strand_, [self = shared_from_this(), sequence, frame = std::move(frame)]() mutable {
      self->onComplete(sequence, std::move(frame));
    });
  }

 private:
  struct Slot {
    bool ready = false;
    std::optional<Bytes> frame;
  };

  void readSize() {
    if (reading_ || closed_) return;
    if (slots_.size() >= kMaxPendingResponses) return;  // resumed by onComplete
    reading_ = true;
    asio::async_read(socket_, asio::buffer(size_buf_),
                     asio::bind_executor(strand_, [self = shared_from_this()](auto ec, size_t) {
                       self->onSize(ec);
                     }));
  }

  void onSize(const boost::system::error_code& ec) {
    if (ec) return close(ec == asio::error::eof ? "" : ec.message());
    int32_t size = int32_t(loadBe32(size_buf_.data()));
    if (size < 8 || size > context_.config.socket_request_max_bytes) {
      return close("request size " + std::to_string(size) + " is outside 8.." +
                   std::to_string(context_.config.socket_request_max_bytes) + " (socket.request.max.bytes)");
    }
    frame_ = std::make_shared<Bytes>(size_t(size));
    asio::async_read(socket_, asio::buffer(*frame_),
                     asio::bind_executor(strand_, [self = shared_from_this()](auto ec, size_t) {
                       self->onFrame(ec);
                     }));
  }

  void onFrame(const boost::system::error_code& ec) {
    reading_ = false;
    if (ec) return close(ec.message());
    Request request;
    request.frame = std::move(frame_);
    request.client_host = client_host_;
    auto header = protocol::decodeRequestHeader(*request.frame, request.body_offset);
    if (!header) return close(header.status().message());
    request.header = std::move(header).value();
    uint64_t sequence = first_sequence_ + slots_.size();
    slots_.emplace_back();
    int16_t api_key = request.header.api_key;
    int16_t api_version = request.header.api_version;
    Status status = dispatch(context_, std::move(request), Responder(shared_from_this(), sequence));
    if (!status.isOk()) {
      return close("request api_key=" + std::to_string(api_key) + " version=" + std::to_string(api_version) +
                   ": " + status.message());
    }
    readSize();
  }

  void onComplete(uint64_t sequence, std::optional<Bytes> frame) {
    if (closed_ || sequence < first_sequence_) return;
    Slot& slot = slots_[sequence - first_sequence_];
    slot.ready = true;
    slot.frame = std::move(frame);
    writeReady();
    readSize();
  }

  // Writes every response at the front of the queue that is ready, in one gathered write.
  void writeReady() {
    if (writing_ || closed_) return;
    while (!slots_.empty() && slots_.front().ready) {
      if (slots_.front().frame) writing_frames_.push_back(std::move(*slots_.front().frame));
      slots_.pop_front();
      ++first_sequence_;
    }
    if (writing_frames_.empty()) return;
    writing_ = true;
    buffers_.clear();
    for (const auto& f : writing_frames_) buffers_.emplace_back(asio::buffer(f));
    asio::async_write(socket_, buffers_,
                      asio::bind_executor(strand_, [self = shared_from_this()](auto ec, size_t) {
                        self->writing_ = false;
                        self->writing_frames_.clear();
                        if (ec) return self->close(ec.message());
                        self->writeReady();
                      }));
  }

  void close(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    if (!reason.empty()) spdlog::warn("closing connection from {}: {}", peer_, reason);
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::strand<tcp::socket::executor_type> strand_;
  BrokerContext& context_;
  std::string peer_;
  std::string client_host_;
  std::array<uint8_t, 4> size_buf_{};
  std::shared_ptr<Bytes> frame_;
  std::deque<Slot> slots_;
  uint64_t first_sequence_ = 0;
  std::vector<Bytes> writing_frames_;
  std::vector<asio::const_buffer> buffers_;
  bool reading_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace

void serveConnection(tcp::socket socket, BrokerContext& context) {
  std::make_shared<Connection>(std::move(socket), context)->start();
}

}  // namespace runnel::broker
