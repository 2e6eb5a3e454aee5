#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "common/bytes.h"

namespace runnel::broker {

// Where a connection collects the responses to its requests, which may complete out of
// order (a delayed Fetch) but must be written in request order.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // `frame` is a whole response frame, or nullopt when the request gets no response
  // (Produce with acks=0). Thread-safe.
  virtual void complete(uint64_t sequence, std::optional<Bytes> frame) = 0;
};

// The one-shot handle a handler answers through.
class Responder {
 public:
  Responder(std::shared_ptr<ResponseSink> sink, uint64_t sequence) : sink_(std::move(sink)), sequence_(sequence) {}

  void send(Bytes frame) { sink_->complete(sequence_, std::move(frame)); }
  void noResponse() { sink_->complete(sequence_, std::nullopt); }

 private:
  std::shared_ptr<ResponseSink> sink_;
  uint64_t sequence_;
};

}  // namespace runnel::broker
