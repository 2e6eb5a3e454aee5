// End-to-end throughput of a stateless streams application (filter -> mapValues -> to)
// through a broker: the input topic is filled beforehand (runnel perf produce), then the
// time from start() until every record has reached the output topic is measured, with
// Kafka Streams' default commit interval (30 s; close() commits the rest).
// Usage: streams_perf --bootstrap-server HOST:PORT --topic in --records N [--threads T]

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "client/kafka_client.h"
#include "streams/kafka_streams.h"
#include "streams/serdes.h"

using namespace runnel;
using namespace runnel::streams;
using std::string;

int main(int argc, char** argv) {
  CLI::App app("End-to-end throughput of filter -> mapValues -> to through a broker");
  string bootstrap = "127.0.0.1:9092";
  string input = "perf-streams-in";
  string output = "perf-streams-out";
  int64_t records = 0;
  int threads = 1;
  app.add_option("--bootstrap-server", bootstrap, "broker to connect to");
  app.add_option("--topic", input, "input topic, already holding --records records");
  app.add_option("--output-topic", output, "output topic (created if missing)");
  app.add_option("--records", records, "records in the input topic")->required();
  app.add_option("--threads", threads, "num.stream.threads");
  std::vector<string> overrides;
  app.add_option("--override", overrides, "a streams config key=value (repeatable)");
  CLI11_PARSE(app, argc, argv);

  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap}});
  if (!admin) {
    fmt::print(stderr, "{}\n", admin.status().toString());
    return 1;
  }
  (void)(*admin)->createTopics({{output, 4, 1, {}}});

  StreamsBuilder pipeline;
  pipeline.stream(input, Consumed<string, string>::with(Serdes::Bytes(), Serdes::Bytes()))
      .filter([](const string&, const string& v) { return !v.empty(); })  // keeps all: the count is known
      .mapValues([](const string& v) {
        string out = v;
        out[0] = 'M';
        return out;
      })
      .to(output, Produced<string, string>::with(Serdes::Bytes(), Serdes::Bytes()));
  string app_id = fmt::format("streams-perf-{}", std::chrono::steady_clock::now().time_since_epoch().count());
  std::map<string, string> config = {{"application.id", app_id},
                                     {"bootstrap.servers", bootstrap},
                                     {"num.stream.threads", std::to_string(threads)},
                                     {"state.dir", "/tmp/runnel-streams-perf"}};
  for (const auto& assignment : overrides) {
    auto eq = assignment.find('=');
    if (eq == string::npos) {
      fmt::print(stderr, "--override needs key=value, got {}\n", assignment);
      return 2;
    }
    config[assignment.substr(0, eq)] = assignment.substr(eq + 1);
  }
  auto streams = KafkaStreams::create(*pipeline.build(), config);
  if (!streams) {
    fmt::print(stderr, "{}\n", streams.status().toString());
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  if (Status status = (*streams)->start(); !status.isOk()) {
    fmt::print(stderr, "{}\n", status.toString());
    return 1;
  }
  auto metadata = (*admin)->metadata(std::vector<string>{output});
  if (!metadata || metadata->topics.empty()) {
    fmt::print(stderr, "no metadata for {}\n", output);
    return 1;
  }
  std::vector<client::TopicPartition> partitions;
  for (const auto& p : metadata->topics[0].partitions) partitions.push_back({output, p.id});
  int64_t written = 0;
  while (written < records) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto ends = (*admin)->listOffsets(partitions, client::OffsetSpec::latest());
    if (!ends) continue;
    written = 0;
    for (const auto& o : *ends) written += o.offset;
    if ((*streams)->state() == KafkaStreams::State::kError) {
      fmt::print(stderr, "the application failed\n");
      return 1;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  (*streams)->close();
  fmt::print("records, threads, seconds (from start() to the last output record, includes the group join), records/s\n");
  fmt::print("{}, {}, {:.2f}, {:.0f}\n", records, threads, seconds, static_cast<double>(records) / seconds);
  return 0;
}
