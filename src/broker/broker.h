#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "broker/broker_config.h"
#include "common/result.h"

namespace runnel::broker {

// A single-node Kafka-protocol broker: opens the logs under log.dirs, listens on the
// configured listener and serves clients on a pool of I/O threads until stopped.
class Broker {
 public:
  // Returns once the broker accepts connections.
  static Result<std::unique_ptr<Broker>> start(const BrokerConfig& config);
  ~Broker();  // stops and flushes

  // The bound port (useful with listeners=PLAINTEXT://127.0.0.1:0).
  uint16_t port() const;
  const std::string& clusterId() const;
  // Thread-safe and idempotent; closes connections, fsyncs the logs.
  void stop();
  // Blocks until stop() has been called and the broker has shut down.
  void waitForStop();

 private:
  struct Impl;
  explicit Broker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::broker
