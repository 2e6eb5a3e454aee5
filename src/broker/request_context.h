#pragma once

#include <memory>

#include "broker/broker_config.h"
#include "broker/responder.h"
#include "broker/scheduler.h"
#include "common/bytes.h"
#include "protocol/api.h"

namespace runnel::broker {

class TopicManager;
class OffsetStore;
class ProducerIdAllocator;
namespace group {
class GroupCoordinator;
}

// What every handler can reach: the broker's state and services.
struct BrokerContext {
  const BrokerConfig& config;
  TopicManager& topics;
  OffsetStore& offsets;
  Scheduler& scheduler;
  uint16_t advertised_port;
  std::string advertised_host;
  ProducerIdAllocator* producer_ids = nullptr;  // set by the broker before it accepts
  group::GroupCoordinator* groups = nullptr;  // set by the broker before it accepts
};

// One decoded request frame. The frame buffer is owned here, so views into it (a
// produce request's record batches) stay valid until the handler answers.
struct Request {
  protocol::RequestHeader header;
  std::shared_ptr<Bytes> frame;
  size_t body_offset = 0;
  // The client's address as Kafka shows it ("/127.0.0.1"), for group member descriptions.
  std::string client_host;

  ByteSpan body() const { return ByteSpan(*frame).subspan(body_offset); }
  int16_t version() const { return header.api_version; }
};

int64_t nowMs();

}  // namespace runnel::broker
