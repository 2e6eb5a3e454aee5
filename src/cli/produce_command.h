#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/tool_support.h"
#include "client/producer.h"
#include "client/types.h"

namespace runnel::cli {

// kafka-console-producer.sh's options. Unset optionals fall back to a property of the
// same meaning from --producer.config / --producer-property, then to Kafka's default.
struct ProduceOptions {
  std::string bootstrap_server;
  std::string topic;
  bool sync = false;
  std::optional<std::string> compression_codec;  // "" when the flag was given without a value
  std::optional<int64_t> batch_size;
  std::optional<int64_t> message_send_max_retries;
  std::optional<int64_t> retry_backoff_ms;
  std::optional<int64_t> timeout_ms;  // linger.ms
  std::optional<std::string> request_required_acks;
  std::optional<int64_t> request_timeout_ms;
  std::optional<int64_t> metadata_expiry_ms;
  std::optional<int64_t> max_block_ms;
  std::optional<int64_t> max_memory_bytes;
  std::optional<int64_t> max_partition_memory_bytes;
  std::optional<int64_t> socket_buffer_size;
  std::vector<std::string> properties;  // line reader settings, key=value
  std::optional<std::string> reader_config;
  std::vector<std::string> producer_properties;
  std::optional<std::string> producer_config;
};

ParsedArgs<ProduceOptions> parseProduceArgs(int argc, char** argv, std::ostream& out, std::ostream& err);

// The producer configuration kafka-console-producer would use.
Result<client::ClientConfig> producerConfig(const ProduceOptions& options);

// Sends one record per line of `in` until its end (or a stop signal), then flushes.
// Returns 0 if every record was delivered, 1 otherwise (after printing why).
int runProduce(const ProduceOptions& options, client::Producer& producer, std::istream& in, std::ostream& out,
               std::ostream& err, bool prompt);

}  // namespace runnel::cli
