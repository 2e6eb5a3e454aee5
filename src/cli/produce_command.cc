#include "cli/produce_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "cli/line_reader.h"
#include "cli/cli_parse.h"
#include "cli/tools.h"
#include "client/kafka_client.h"

namespace runnel::cli {
namespace {

using namespace std::chrono_literals;

// Long enough for any delivery to resolve: delivery.timeout.ms bounds each record.
constexpr auto kFlushTimeout = std::chrono::hours(1);

// Kafka's maybeMergeOptions: an explicit flag wins; otherwise a configured property is
// kept; otherwise the flag's default applies.
template <typename T>
void merge(client::ClientConfig& config, const std::string& key, const std::optional<T>& flag, const T& fallback) {
  if (flag) {
    if constexpr (std::is_same_v<T, std::string>) {
      config[key] = *flag;
    } else {
      config[key] = std::to_string(*flag);
    }
  } else if (!config.contains(key)) {
    if constexpr (std::is_same_v<T, std::string>) {
      config[key] = fallback;
    } else {
      config[key] = std::to_string(fallback);
    }
  }
}

}  // namespace

ParsedArgs<ProduceOptions> parseProduceArgs(int argc, char** argv, std::ostream& out, std::ostream& err) {
  ProduceOptions o;
  CLI::App app{"This tool helps to read data from standard input and publish it to Kafka.",
               argc > 0 ? argv[0] : "produce"};
  app.set_help_flag("--help", "Print usage information.");
  std::string broker_list;
  app.add_option("--bootstrap-server", o.bootstrap_server, "REQUIRED: The server(s) to connect to.");
  app.add_option("--broker-list", broker_list, "DEPRECATED, use --bootstrap-server instead.");
  app.add_option("--topic", o.topic, "REQUIRED: The topic id to produce messages to.");
  app.add_flag("--sync", o.sync, "If set, message send requests are sent synchronously, one at a time.");
  app.add_option("--compression-codec", o.compression_codec,
                 "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without "
                 "value, then it defaults to 'gzip'.")
      ->expected(0, 1);
  app.add_option("--batch-size", o.batch_size, "Number of bytes in a single batch (batch.size; default 16384).");
  app.add_option("--message-send-max-retries", o.message_send_max_retries, "retries (default 3).");
  app.add_option("--retry-backoff-ms", o.retry_backoff_ms, "retry.backoff.ms (default 100).");
  app.add_option("--timeout", o.timeout_ms,
                 "The maximum time in ms a message waits for a batch to fill (linger.ms; default 1000).");
  app.add_option("--request-required-acks", o.request_required_acks,
                 "The required acks of the producer requests (default -1).");
  app.add_option("--request-timeout-ms", o.request_timeout_ms, "The ack timeout of the producer requests (default 1500).");
  app.add_option("--metadata-expiry-ms", o.metadata_expiry_ms, "metadata.max.age.ms (default 300000).");
  app.add_option("--max-block-ms", o.max_block_ms, "Accepted for compatibility; librdkafka does not block on send.");
  app.add_option("--max-memory-bytes", o.max_memory_bytes, "buffer.memory (default 33554432).");
  app.add_option("--max-partition-memory-bytes", o.max_partition_memory_bytes, "Same as --batch-size.");
  app.add_option("--socket-buffer-size", o.socket_buffer_size, "send.buffer.bytes (default 102400).");
  app.add_option("--property", o.properties,
                 "Line reader settings: parse.key, key.separator, parse.headers, headers.delimiter, "
                 "headers.separator, headers.key.separator, ignore.error, null.marker.")
      ->allow_extra_args(false);
  app.add_option("--reader-config", o.reader_config, "Properties file with line reader settings.");
  app.add_option("--producer-property", o.producer_properties, "A producer property in the form key=value.")
      ->allow_extra_args(false);
  app.add_option("--producer.config", o.producer_config,
                 "Producer config properties file. Note that --producer-property takes precedence over this config.");
  std::string line_reader;
  app.add_option("--line-reader", line_reader, "Only the default LineMessageReader is available.");
  ParsedArgs<ProduceOptions> result;
  if (auto exit_code = parseOrExitCode(app, argc, argv, out, err)) {
    result.exit_code = *exit_code;
    return result;
  }
  auto usage = [&](const std::string& message) {
    result.exit_code = usageError(err, message, app.help());
    return result;
  };
  if (o.bootstrap_server.empty()) o.bootstrap_server = broker_list;
  if (o.topic.empty()) return usage("Missing required argument \"[topic]\"");
  if (o.bootstrap_server.empty()) return usage("Missing required argument \"[bootstrap-server]\"");
  if (!line_reader.empty() && !line_reader.ends_with("LineMessageReader")) {
    return usage("Unsupported --line-reader " + line_reader + ": only LineMessageReader is available");
  }
  result.options = std::move(o);
  return result;
}

Result<client::ClientConfig> producerConfig(const ProduceOptions& o) {
  RUNNEL_ASSIGN_OR_RETURN(client::ClientConfig config, loadClientConfig(o.producer_config, o.producer_properties));
  config["bootstrap.servers"] = o.bootstrap_server;
  if (o.compression_codec) {
    config["compression.type"] = o.compression_codec->empty() ? "gzip" : *o.compression_codec;
  } else if (!config.contains("compression.type")) {
    config["compression.type"] = "none";
  }
  merge<int64_t>(config, "send.buffer.bytes", o.socket_buffer_size, 102400);
  merge<int64_t>(config, "retry.backoff.ms", o.retry_backoff_ms, 100);
  merge<int64_t>(config, "metadata.max.age.ms", o.metadata_expiry_ms, 300000);
  merge<int64_t>(config, "max.block.ms", o.max_block_ms, 60000);
  merge<std::string>(config, "acks", o.request_required_acks, "-1");
  merge<int64_t>(config, "request.timeout.ms", o.request_timeout_ms, 1500);
  merge<int64_t>(config, "retries", o.message_send_max_retries, 3);
  merge<int64_t>(config, "linger.ms", o.timeout_ms, 1000);
  merge<int64_t>(config, "buffer.memory", o.max_memory_bytes, 32 * 1024 * 1024);
  merge<int64_t>(config, "batch.size", o.batch_size ? o.batch_size : o.max_partition_memory_bytes, 16384);
  if (!config.contains("client.id")) config["client.id"] = "console-producer";
  return config;
}

int runProduce(const ProduceOptions& o, client::Producer& producer, std::istream& in, std::ostream& out,
               std::ostream& err, bool prompt) {
  auto reader_props = loadClientConfig(o.reader_config, o.properties);
  if (!reader_props) {
    err << reader_props.status().message() << "\n";
    return 1;
  }
  Properties props;
  for (const auto& [k, v] : *reader_props) props.set(k, v);
  auto reader = makeLineReaderConfig(props);
  if (!reader) {
    err << reader.status().message() << "\n";
    return 1;
  }
  int64_t sent = 0;
  int64_t line_number = 0;
  Status failure;
  std::string line;
  while (!stopRequested().load()) {
    if (prompt) out << ">" << std::flush;
    if (!std::getline(in, line)) break;
    ++line_number;
    // BufferedReader.readLine() also ends a line at "\r\n".
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto parsed = parseLine(*reader, line, line_number);
    if (!parsed) {
      failure = parsed.status();
      break;
    }
    client::ProducerRecord record{.topic = o.topic,
                                  .key = std::move(parsed->key),
                                  .value = std::move(parsed->value),
                                  .headers = std::move(parsed->headers)};
    if (Status s = producer.send(record); !s.isOk()) {
      failure = s;
      break;
    }
    ++sent;
    if (o.sync) {
      if (Status s = producer.flush(kFlushTimeout); !s.isOk()) {
        failure = s;
        break;
      }
    } else {
      producer.poll(0ms);
    }
  }
  // As Kafka's shutdown hook closes the producer: what was sent before an error or a
  // signal is still delivered.
  Status flushed = producer.flush(kFlushTimeout);
  if (!failure.isOk()) {
    err << client::kafkaErrorMessage(failure) << "\n";
    return 1;
  }
  if (!flushed.isOk()) {
    err << "ERROR Error when sending messages to topic " << o.topic << ": " << flushed.message() << "\n";
    return 1;
  }
  return 0;
}

int produceMain(int argc, char** argv) {
  auto parsed = parseProduceArgs(argc, argv, std::cout, std::cerr);
  if (!parsed.options) return parsed.exit_code;
  auto config = producerConfig(*parsed.options);
  if (!config) {
    std::cerr << config.status().message() << "\n";
    return 1;
  }
  auto producer = client::makeKafkaProducer(*config);
  if (!producer) {
    std::cerr << producer.status().message() << "\n";
    return 1;
  }
  installStopSignals();
  return runProduce(*parsed.options, **producer, std::cin, std::cout, std::cerr, isatty(STDIN_FILENO) == 1);
}

}  // namespace runnel::cli
