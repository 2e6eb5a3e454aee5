#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "client/types.h"
#include "common/status.h"

namespace runnel::client {

// The outcome of one record: where it was written, or why it was not.
// Passed by reference and valid only during the callback: the topic is a view into the
// client's own name, so a delivery costs no allocation.
struct DeliveryReport {
  std::string_view topic;
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t timestamp = -1;  // the record's timestamp as sent
  Status status;
};

using DeliveryCallback = std::function<void(const DeliveryReport&)>;

// Sends records asynchronously. Not thread-safe: one thread owns a producer.
class Producer {
 public:
  virtual ~Producer() = default;

  // Called for every record once its fate is known, on the thread that calls send(),
  // poll() or flush(). Set it before the first send().
  virtual void setDeliveryCallback(DeliveryCallback callback) = 0;

  // Queues a record. An error here means the record was not queued (bad partition,
  // record too large, fatal producer error). When the local queue is full, waits for
  // room instead of failing.
  [[nodiscard]] virtual Status send(const ProducerRecord& record) = 0;

  // Serves delivery callbacks that are ready, waiting up to `timeout` for one.
  virtual void poll(std::chrono::milliseconds timeout) = 0;

  // Waits until every queued record has been delivered or has failed. Returns TimedOut
  // if records are still outstanding after `timeout`, otherwise an error describing the
  // records that failed since the previous flush() (how many, and the first error), or OK.
  [[nodiscard]] virtual Status flush(std::chrono::milliseconds timeout) = 0;

  // Records not yet delivered nor failed.
  virtual int64_t outstanding() const = 0;
};

}  // namespace runnel::client
