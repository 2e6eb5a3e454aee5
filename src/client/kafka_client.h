#pragma once

#include <memory>

#include "client/admin.h"
#include "client/consumer.h"
#include "client/producer.h"
#include "client/types.h"
#include "common/result.h"

namespace runnel::client {

// Clients backed by librdkafka. Java client names in `config` are translated
// (delivery.timeout.ms -> message.timeout.ms, send.buffer.bytes, buffer.memory, ...),
// Java-only ones without an equivalent (serializers, max.block.ms) are ignored, anything
// else goes to librdkafka as is; an unknown name is an InvalidArgument error.
//
// Every producer uses partitioner=murmur2_random, so keys map to the same partitions as
// with Java clients; a `partitioner` in `config` is overridden.
Result<std::unique_ptr<Producer>> makeKafkaProducer(const ClientConfig& config);

// Without group.id the consumer gets a private generated group and does not commit:
// librdkafka needs a group even to assign partitions by hand.
Result<std::unique_ptr<Consumer>> makeKafkaConsumer(const ClientConfig& config);
// As above, and `listener` (borrowed; null for none) takes part in every rebalance of the
// group: librdkafka's rebalance callback, served inside poll(), pollBatch() and close().
// The listener must outlive the consumer, whose destructor closes it and so may call
// onPartitionsRevoked() a last time. Works with eager (range, roundrobin) and cooperative
// (cooperative-sticky) assignors.
Result<std::unique_ptr<Consumer>> makeKafkaConsumer(const ClientConfig& config, RebalanceListener* listener);

Result<std::unique_ptr<Admin>> makeKafkaAdmin(const ClientConfig& config);

}  // namespace runnel::client
