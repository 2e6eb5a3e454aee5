// `runnel perf produce|consume`: kafka-producer-perf-test and kafka-consumer-perf-test,
// the end-to-end throughput measurements of bench/RESULTS.md. Flags and output lines
// follow the Kafka tools so their numbers read the same way.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "client/kafka_client.h"
#include "cli/tool_support.h"
#include "cli/tools.h"

namespace runnel::cli {
namespace {

using Clock = std::chrono::steady_clock;

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Latency statistics of kafka-producer-perf-test: every record's latency in ms, a
// window for the periodic line and the whole run for the final one.
class ProduceStats {
 public:
  ProduceStats(int64_t records, int32_t record_size) : record_size_(record_size) {
    latencies_.reserve(size_t(std::min<int64_t>(records, 50'000'000)));
  }

  void record(int64_t latency_ms) {
    if (latencies_.size() < latencies_.capacity()) latencies_.push_back(int32_t(latency_ms));
    ++count_;
    ++window_count_;
    total_latency_ += latency_ms;
    window_latency_ += latency_ms;
    max_latency_ = std::max(max_latency_, latency_ms);
    window_max_ = std::max(window_max_, latency_ms);
    if (Clock::now() - window_start_ >= std::chrono::seconds(5)) printWindow();
  }

  void printWindow() {
    double elapsed = seconds(Clock::now() - window_start_);
    double rate = window_count_ / elapsed;
    std::cout << fmt::format("{} records sent, {:.1f} records/sec ({:.2f} MB/sec), {:.1f} ms avg latency, {:.1f} ms "
                             "max latency.\n",
                             window_count_, rate, rate * record_size_ / (1024.0 * 1024.0),
                             window_count_ ? double(window_latency_) / window_count_ : 0.0, double(window_max_));
    window_start_ = Clock::now();
    window_count_ = 0;
    window_latency_ = 0;
    window_max_ = 0;
  }

  void printTotal() {
    double elapsed = seconds(Clock::now() - start_);
    double rate = count_ / elapsed;
    std::sort(latencies_.begin(), latencies_.end());
    auto percentile = [&](double p) {
      if (latencies_.empty()) return 0;
      return latencies_[std::min(latencies_.size() - 1, size_t(p * double(latencies_.size())))];
    };
    std::cout << fmt::format(
        "{} records sent, {:.6f} records/sec ({:.2f} MB/sec), {:.2f} ms avg latency, {:.2f} ms max latency, {} ms "
        "50th, {} ms 95th, {} ms 99th, {} ms 99.9th.\n",
        count_, rate, rate * record_size_ / (1024.0 * 1024.0), count_ ? double(total_latency_) / count_ : 0.0,
        double(max_latency_), percentile(0.5), percentile(0.95), percentile(0.99), percentile(0.999));
  }

 private:
  int32_t record_size_;
  std::vector<int32_t> latencies_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point window_start_ = start_;
  int64_t count_ = 0, window_count_ = 0;
  int64_t total_latency_ = 0, window_latency_ = 0;
  int64_t max_latency_ = 0, window_max_ = 0;
};

int producePerf(int argc, char** argv) {
  CLI::App app{"Measures producer throughput and latency (kafka-producer-perf-test).", "runnel perf produce"};
  std::string topic;
  int64_t num_records = 0;
  int32_t record_size = 100;
  double throughput = -1;
  std::vector<std::string> producer_props;
  std::optional<std::string> producer_config;
  std::string bootstrap;
  app.add_option("--topic", topic, "REQUIRED: topic to produce to")->required();
  app.add_option("--num-records", num_records, "REQUIRED: number of records to produce")->required();
  app.add_option("--record-size", record_size, "size of each record in bytes")->capture_default_str();
  app.add_option("--throughput", throughput, "REQUIRED: records/sec cap, -1 for none")->required();
  app.add_option("--producer-props", producer_props, "producer settings as key=value")->expected(1, -1);
  app.add_option("--producer.config", producer_config, "producer config properties file");
  app.add_option("--bootstrap-server", bootstrap, "shortcut for --producer-props bootstrap.servers=...");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto config = loadClientConfig(producer_config, producer_props);
  if (!config) return usageError(std::cerr, config.status().message(), app.help());
  if (!bootstrap.empty()) (*config)["bootstrap.servers"] = bootstrap;
  if (!config->count("bootstrap.servers")) {
    return usageError(std::cerr, "bootstrap.servers must be given (--producer-props or --bootstrap-server)", app.help());
  }
  auto producer = client::makeKafkaProducer(*config);
  if (!producer) {
    std::cerr << "ERROR " << producer.status().message() << "\n";
    return 1;
  }
  ProduceStats stats(num_records, record_size);
  (*producer)->setDeliveryCallback([&](const client::DeliveryReport& report) {
    if (report.status.isOk()) stats.record(std::max<int64_t>(0, wallMs() - report.timestamp));
  });
  client::ProducerRecord record;
  record.topic = topic;
  std::string payload(size_t(record_size), 'x');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = char('A' + i % 26);
  record.value = std::move(payload);
  auto start = Clock::now();
  installStopSignals();
  for (int64_t i = 0; i < num_records && !stopRequested(); ++i) {
    record.timestamp = wallMs();
    Status sent = (*producer)->send(record);
    if (!sent.isOk()) {
      std::cerr << "ERROR " << sent.message() << "\n";
      return 1;
    }
    if ((i & 1023) == 0) (*producer)->poll(std::chrono::milliseconds(0));
    if (throughput > 0) {
      auto due = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / throughput));
      if (due > Clock::now()) std::this_thread::sleep_until(due);
    }
  }
  Status flushed = (*producer)->flush(std::chrono::minutes(5));
  stats.printTotal();
  if (!flushed.isOk()) {
    std::cerr << "ERROR " << flushed.message() << "\n";
    return 1;
  }
  return 0;
}

Status assignAll(client::Consumer& consumer, const std::string& topic) {
  RUNNEL_ASSIGN_OR_RETURN(auto partitions, consumer.partitionsFor(topic, std::chrono::seconds(10)));
  std::vector<client::TopicPartitionOffset> assignment;
  for (const auto& tp : partitions) assignment.push_back({tp.topic, tp.partition, client::kOffsetBeginning});
  return consumer.assign(assignment);
}

int consumePerf(int argc, char** argv) {
  CLI::App app{"Measures consumer throughput (kafka-consumer-perf-test).", "runnel perf consume"};
  std::string bootstrap;
  std::string topic;
  int64_t messages = 0;
  int64_t timeout_ms = 10000;
  std::optional<std::string> consumer_config;
  std::vector<std::string> consumer_props;
  app.add_option("--bootstrap-server", bootstrap, "REQUIRED: the broker to connect to")->required();
  app.add_option("--topic", topic, "REQUIRED: topic to consume from")->required();
  app.add_option("--messages", messages, "REQUIRED: number of messages to consume")->required();
  app.add_option("--timeout", timeout_ms, "max ms between two returned records")->capture_default_str();
  app.add_option("--consumer.config", consumer_config, "consumer config properties file");
  app.add_option("--consumer-props", consumer_props, "consumer settings as key=value")->expected(1, -1);
  std::string group;
  app.add_option("--group", group,
                 "join this consumer group (subscribe) instead of reading every partition (assign); "
                 "--messages then counts this member's share");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto config = loadClientConfig(consumer_config, consumer_props);
  if (!config) return usageError(std::cerr, config.status().message(), app.help());
  (*config)["bootstrap.servers"] = bootstrap;
  if (!group.empty()) {
    (*config)["group.id"] = group;
    config->emplace("auto.offset.reset", "earliest");
  }
  auto consumer = client::makeKafkaConsumer(*config);
  if (!consumer) {
    std::cerr << "ERROR " << consumer.status().message() << "\n";
    return 1;
  }
  Status started = group.empty() ? assignAll(**consumer, topic) : (*consumer)->subscribe({topic});
  if (!started.isOk()) {
    std::cerr << "ERROR " << started.message() << "\n";
    return 1;
  }
  int64_t start_ms = wallMs();
  auto start = Clock::now();
  auto last_record = start;
  std::optional<Clock::time_point> first_record;
  int64_t count = 0;
  int64_t bytes = 0;
  installStopSignals();
  while (count < messages && !stopRequested()) {
    auto handed = (*consumer)->pollBatch(std::chrono::milliseconds(100), 10000, [&](const client::MessageView& m) {
      ++count;
      bytes += int64_t(m.value ? m.value->size() : 0) + int64_t(m.key ? m.key->size() : 0);
    });
    if (!handed) {
      std::cerr << "ERROR " << handed.status().message() << "\n";
      return 1;
    }
    if (*handed > 0) {
      last_record = Clock::now();
      if (!first_record) first_record = last_record;
    }
    else if (Clock::now() - last_record > std::chrono::milliseconds(timeout_ms)) break;
  }
  // Up to the last record, as a member of a group waits out --timeout after its share; and
  // for a member, from its first record, so that joining the group is not counted.
  double elapsed = seconds(last_record - (group.empty() ? start : first_record.value_or(start)));
  double mb = bytes / (1024.0 * 1024.0);
  std::cout << "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec\n";
  std::cout << fmt::format("{}, {}, {:.4f}, {:.4f}, {}, {:.4f}\n", start_ms, wallMs(), mb, mb / elapsed, count,
                           count / elapsed);
  if (count < messages) {
    std::cerr << "WARNING: Exiting before consuming the expected number of messages: timeout (" << timeout_ms
              << " ms) exceeded.\n";
    return 1;
  }
  return 0;
}

}  // namespace

int perfMain(int argc, char** argv) {
  std::string_view usage =
      "Usage: runnel perf produce|consume [options]\n"
      "  produce   producer throughput and latency (kafka-producer-perf-test)\n"
      "  consume   consumer throughput (kafka-consumer-perf-test)\n";
  if (argc < 2) {
    std::cerr << usage;
    return 1;
  }
  std::string_view mode = argv[1];
  if (mode == "produce") return producePerf(argc - 1, argv + 1);
  if (mode == "consume") return consumePerf(argc - 1, argv + 1);
  if (mode == "--help" || mode == "-h") {
    std::cout << usage;
    return 0;
  }
  std::cerr << "runnel perf: unknown mode '" << mode << "'\n" << usage;
  return 1;
}

}  // namespace runnel::cli
