#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/tool_support.h"
#include "client/consumer.h"
#include "client/types.h"

namespace runnel::cli {

// kafka-console-consumer.sh's options.
struct ConsumeOptions {
  std::string bootstrap_server;
  std::string topic;
  std::optional<int32_t> partition;
  std::optional<std::string> offset;  // earliest, latest or a non-negative number
  bool from_beginning = false;
  std::optional<int64_t> max_messages;
  std::optional<int64_t> timeout_ms;
  std::optional<std::string> group;
  std::vector<std::string> consumer_properties;
  std::optional<std::string> consumer_config;
  std::vector<std::string> properties;  // formatter settings, key=value
  std::string isolation_level = "read_uncommitted";
  std::optional<std::string> key_deserializer;
  std::optional<std::string> value_deserializer;
  bool skip_message_on_error = false;
};

ParsedArgs<ConsumeOptions> parseConsumeArgs(int argc, char** argv, std::ostream& out, std::ostream& err);

// The consumer configuration kafka-console-consumer would use; `group_passed` tells
// whether the group came from the user (else a console-consumer-NNNNN group that does
// not commit).
struct ConsumerSetup {
  client::ClientConfig config;
  bool group_passed = false;
};
Result<ConsumerSetup> consumerSetup(const ConsumeOptions& options);

// The starting offset for --partition: --offset, else --from-beginning, else the end.
Result<int64_t> startOffset(const ConsumeOptions& options);

// Consumes and prints until --max-messages, --timeout-ms without a message, or `stop`.
// Prints "Processed a total of N messages" to `err`. Returns the exit code.
int runConsume(const ConsumeOptions& options, client::Consumer& consumer, std::ostream& out, std::ostream& err,
               const std::atomic<bool>& stop);

}  // namespace runnel::cli
