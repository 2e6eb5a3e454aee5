// End-to-end throughput of a stateless streams application (filter -> mapValues -> to)
// through a broker: the input topic is filled beforehand (runnel perf produce), then the
// time from start() until the group has committed every input record is measured.
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
  CLI11_PARSE(app, argc, argv);

  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap}});
  if (!admin) {
    fmt::print(stderr, "{}\n", admin.status().toString());
    return 1;
  }
  (void)(*admin)->createTopics({{output, 4, 1, {}}});

  StreamsBuilder pipeline;
  pipeline.stream(input, Consumed<string, string>::with(Serdes::Bytes(), Serdes::Bytes()))
      .filter([](const string&, const string& v) { return !v.empty() && v[0] != 'x'; })
      .mapValues([](const string& v) {
        string out = v;
        out[0] = 'M';
        return out;
      })
      .to(output, Produced<string, string>::with(Serdes::Bytes(), Serdes::Bytes()));
  string app_id = fmt::format("streams-perf-{}", std::chrono::steady_clock::now().time_since_epoch().count());
  auto streams = KafkaStreams::create(*pipeline.build(), {{"application.id", app_id},
                                                         {"bootstrap.servers", bootstrap},
                                                         {"num.stream.threads", std::to_string(threads)},
                                                         {"commit.interval.ms", "1000"},
                                                         {"state.dir", "/tmp/runnel-streams-perf"}});
  if (!streams) {
    fmt::print(stderr, "{}\n", streams.status().toString());
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  if (Status status = (*streams)->start(); !status.isOk()) {
    fmt::print(stderr, "{}\n", status.toString());
    return 1;
  }
  int64_t committed = 0;
  while (committed < records) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto offsets = (*admin)->listGroupOffsets(app_id);
    if (!offsets) continue;
    committed = 0;
    for (const auto& o : *offsets) committed += o.offset;
    if ((*streams)->state() == KafkaStreams::State::kError) {
      fmt::print(stderr, "the application failed\n");
      return 1;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  (*streams)->close();
  fmt::print("records, threads, seconds (start to last commit, includes the group join), records/s\n");
  fmt::print("{}, {}, {:.2f}, {:.0f}\n", records, threads, seconds, static_cast<double>(records) / seconds);
  return 0;
}
