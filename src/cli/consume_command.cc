#include "cli/consume_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

#include "cli/message_formatter.h"
#include "cli/cli_parse.h"
#include "cli/tools.h"
#include "client/kafka_client.h"

namespace runnel::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = 100ms;
constexpr auto kMetadataTimeout = 10s;

// Every partition of the topic, or just --partition. The group coordinator (JoinGroup)
// is not in the broker yet, so without --partition the consumer assigns all partitions
// itself and starts each from the group's committed offset, else auto.offset.reset.
Result<std::vector<client::TopicPartitionOffset>> initialAssignment(const ConsumeOptions& o,
                                                                    client::Consumer& consumer) {
  RUNNEL_ASSIGN_OR_RETURN(auto partitions, consumer.partitionsFor(o.topic, kMetadataTimeout));
  std::vector<client::TopicPartitionOffset> out;
  if (o.partition) {
    bool exists = std::any_of(partitions.begin(), partitions.end(),
                              [&](const client::TopicPartition& tp) { return tp.partition == *o.partition; });
    if (!exists) {
      return Status::notFound("Partition " + std::to_string(*o.partition) + " does not exist in topic " + o.topic);
    }
    RUNNEL_ASSIGN_OR_RETURN(int64_t offset, startOffset(o));
    out.push_back({o.topic, *o.partition, offset});
    return out;
  }
  for (const auto& tp : partitions) out.push_back({tp.topic, tp.partition, client::kOffsetStored});
  return out;
}

}  // namespace

ParsedArgs<ConsumeOptions> parseConsumeArgs(int argc, char** argv, std::ostream& out, std::ostream& err) {
  ConsumeOptions o;
  CLI::App app{"This tool helps to read data from Kafka topics and outputs it to standard output.",
               argc > 0 ? argv[0] : "consume"};
  app.set_help_flag("--help", "Print usage information.");
  app.add_option("--bootstrap-server", o.bootstrap_server, "REQUIRED: The server(s) to connect to.");
  app.add_option("--topic", o.topic, "The topic to consume on.");
  app.add_option("--partition", o.partition,
                 "The partition to consume from. Consumption starts from the end of the partition unless '--offset' "
                 "is specified.");
  app.add_option("--offset", o.offset,
                 "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or "
                 "'latest' which means from end (default: latest)");
  app.add_flag("--from-beginning", o.from_beginning,
               "If the consumer does not already have an established offset to consume from, start with the "
               "earliest message present in the log rather than the latest message.");
  app.add_option("--max-messages", o.max_messages,
                 "The maximum number of messages to consume before exiting. If not set, consumption is continual.");
  app.add_option("--timeout-ms", o.timeout_ms,
                 "If specified, exit if no message is available for consumption for the specified interval.");
  app.add_option("--group", o.group, "The consumer group id of the consumer.");
  app.add_option("--consumer-property", o.consumer_properties, "A consumer property in the form key=value.")
      ->allow_extra_args(false);
  app.add_option("--consumer.config", o.consumer_config,
                 "Consumer config properties file. Note that --consumer-property takes precedence over this config.");
  app.add_option("--property", o.properties,
                 "Formatter settings: print.timestamp, print.key, print.value, print.partition, print.offset, "
                 "print.headers, key.separator, line.separator, headers.separator, null.literal, "
                 "key.deserializer, value.deserializer, headers.deserializer.")
      ->allow_extra_args(false);
  std::string formatter;
  app.add_option("--formatter", formatter, "Only the DefaultMessageFormatter is available.");
  app.add_option("--isolation-level", o.isolation_level,
                 "Set to read_committed in order to filter out transactional messages which are not committed. Set "
                 "to read_uncommitted to read all messages.");
  app.add_option("--key-deserializer", o.key_deserializer, "Java deserializer class for keys.");
  app.add_option("--value-deserializer", o.value_deserializer, "Java deserializer class for values.");
  app.add_flag("--skip-message-on-error", o.skip_message_on_error,
               "If there is an error when processing a message, skip it instead of halt.");
  ParsedArgs<ConsumeOptions> result;
  if (auto exit_code = parseOrExitCode(app, argc, argv, out, err)) {
    result.exit_code = *exit_code;
    return result;
  }
  auto usage = [&](const std::string& message) {
    result.exit_code = usageError(err, message, app.help());
    return result;
  };
  if (o.bootstrap_server.empty()) return usage("Missing required argument \"[bootstrap-server]\"");
  if (o.topic.empty()) return usage("Exactly one of include/topic is required.");
  if (o.partition) {
    if (o.from_beginning && o.offset) return usage("Options from-beginning and offset cannot be specified together.");
  } else if (o.offset) {
    return usage("The partition is required when offset is specified.");
  }
  if (o.offset) {
    auto offset = startOffset(o);
    if (!offset) return usage(offset.status().message());
  }
  if (!formatter.empty() && !formatter.ends_with("DefaultMessageFormatter")) {
    return usage("Unsupported --formatter " + formatter + ": only DefaultMessageFormatter is available");
  }
  result.options = std::move(o);
  return result;
}

Result<int64_t> startOffset(const ConsumeOptions& o) {
  if (!o.offset) return o.from_beginning ? client::kOffsetBeginning : client::kOffsetEnd;
  std::string value = *o.offset;
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  if (value == "earliest") return client::kOffsetBeginning;
  if (value == "latest") return client::kOffsetEnd;
  auto number = parseInt64(value);
  if (!number || *number < 0) {
    return Status::invalidArgument("The provided offset value '" + *o.offset +
                                   "' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.");
  }
  return *number;
}

Result<ConsumerSetup> consumerSetup(const ConsumeOptions& o) {
  ConsumerSetup setup;
  RUNNEL_ASSIGN_OR_RETURN(setup.config, loadClientConfig(o.consumer_config, o.consumer_properties));
  auto& config = setup.config;
  if (o.group) {
    auto it = config.find("group.id");
    if (it != config.end() && it->second != *o.group) {
      return Status::invalidArgument(
          "The group ids provided in different places (directly using '--group', via '--consumer-property', or via "
          "'--consumer.config') do not match. Detected group ids: '" + *o.group + "', '" + it->second + "'");
    }
    config["group.id"] = *o.group;
  }
  if (config.contains("group.id")) {
    setup.group_passed = true;
  } else {
    std::random_device random;
    config["group.id"] = "console-consumer-" + std::to_string(random() % 100000);
    // The generated group is never used again: do not fill the coordinator with it.
    config["enable.auto.commit"] = "false";
  }
  auto reset = config.find("auto.offset.reset");
  if (reset == config.end()) {
    config["auto.offset.reset"] = o.from_beginning ? "earliest" : "latest";
  } else if (o.from_beginning && reset->second != "earliest") {
    return Status::invalidArgument("Can't simultaneously specify --from-beginning and 'auto.offset.reset=" +
                                   reset->second + "', please remove one option");
  }
  config["bootstrap.servers"] = o.bootstrap_server;
  config["isolation.level"] = o.isolation_level;
  return setup;
}

int runConsume(const ConsumeOptions& o, client::Consumer& consumer, std::ostream& out, std::ostream& err,
               const std::atomic<bool>& stop) {
  Properties props;
  auto parsed_props = parseAssignments(o.properties);
  if (!parsed_props) {
    err << parsed_props.status().message() << "\n";
    return 1;
  }
  props = std::move(*parsed_props);
  if (o.key_deserializer) props.set("key.deserializer", *o.key_deserializer);
  if (o.value_deserializer) props.set("value.deserializer", *o.value_deserializer);
  auto formatter = makeFormatterConfig(props);
  if (!formatter) {
    err << formatter.status().message() << "\n";
    return 1;
  }
  int64_t count = 0;
  int exit_code = 0;
  auto finish = [&] {
    out.flush();
    (void)consumer.close();
    err << "Processed a total of " << count << " messages\n";
    return exit_code;
  };
  auto assignment = initialAssignment(o, consumer);
  if (!assignment) {
    err << "ERROR Error processing message, terminating consumer process: "
        << client::kafkaErrorMessage(assignment.status()) << "\n";
    exit_code = 1;
    return finish();
  }
  if (Status s = consumer.assign(*assignment); !s.isOk()) {
    err << "ERROR " << client::kafkaErrorMessage(s) << "\n";
    exit_code = 1;
    return finish();
  }
  std::string buffer;
  auto last_message = Clock::now();
  while (!stop.load() && (!o.max_messages || count < *o.max_messages)) {
    auto polled = consumer.poll(kPollInterval);
    if (!polled) {
      err << "ERROR Error processing message, terminating consumer process: "
          << client::kafkaErrorMessage(polled.status()) << "\n";
      exit_code = 1;
      break;
    }
    if (polled->kind == client::PollResult::Kind::kMessage) {
      ++count;
      last_message = Clock::now();
      buffer.clear();
      formatMessage(*formatter, polled->message, buffer);
      out << buffer;
      if (!out) {
        err << "Unable to write to standard out, closing consumer.\n";
        break;
      }
      continue;
    }
    // Nothing new right now: make what was printed visible before waiting.
    out.flush();
    if (o.timeout_ms && Clock::now() - last_message >= std::chrono::milliseconds(*o.timeout_ms)) {
      err << "ERROR Error processing message, terminating consumer process: TimeoutException\n";
      break;
    }
  }
  return finish();
}

int consumeMain(int argc, char** argv) {
  auto parsed = parseConsumeArgs(argc, argv, std::cout, std::cerr);
  if (!parsed.options) return parsed.exit_code;
  auto setup = consumerSetup(*parsed.options);
  if (!setup) {
    std::cerr << setup.status().message() << "\n";
    return 1;
  }
  auto consumer = client::makeKafkaConsumer(setup->config);
  if (!consumer) {
    std::cerr << consumer.status().message() << "\n";
    return 1;
  }
  installStopSignals();
  std::ios::sync_with_stdio(false);
  return runConsume(*parsed.options, **consumer, std::cout, std::cerr, stopRequested());
}

}  // namespace runnel::cli
