// End-to-end throughput of persistent SQL queries through a broker, with the engine and
// its Kafka environment as the SQL server runs them: fills a topic with 256-byte JSON
// records, then times (1) a projection + filter CSAS until its sink holds every record,
// (2) a GROUP BY count CTAS until its consumer group has committed the whole input.
// Usage: sql_perf --bootstrap-server HOST:PORT [--records N] [--threads T]

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "client/kafka_client.h"
#include "server/kafka_environment.h"
#include "sql/engine.h"

using namespace runnel;
using Clock = std::chrono::steady_clock;

namespace {

int64_t endOffsets(client::Admin& admin, const std::string& topic, int partitions) {
  std::vector<client::TopicPartition> all;
  for (int p = 0; p < partitions; ++p) all.push_back({topic, p});
  auto offsets = admin.listOffsets(all, client::OffsetSpec::latest());
  int64_t total = 0;
  if (offsets.isOk()) {
    for (const auto& offset : *offsets) total += offset.offset;
  }
  return total;
}

int64_t committed(client::Admin& admin, const std::string& group) {
  auto offsets = admin.listGroupOffsets(group);
  int64_t total = 0;
  if (offsets.isOk()) {
    for (const auto& offset : *offsets) total += std::max<int64_t>(offset.offset, 0);
  }
  return total;
}

double processCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Wall and CPU time of this process (stream threads and the Kafka clients' threads; the
// broker runs in its own process) until `done` holds.
struct Elapsed {
  double seconds;
  double cpu_seconds;
};

template <class Done>
Elapsed timeUntil(Done done) {
  auto start = Clock::now();
  double cpu_start = processCpuSeconds();
  while (!done()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return {std::chrono::duration<double>(Clock::now() - start).count(), processCpuSeconds() - cpu_start};
}

void printThroughput(const char* what, int64_t records, const Elapsed& elapsed, int threads) {
  fmt::print("{}: {} records in {:.2f} s = {:.0f} msgs/s ({} stream thread(s)); {:.2f} CPU s = {:.0f} msgs/s per core\n",
             what, records, elapsed.seconds, records / elapsed.seconds, threads, elapsed.cpu_seconds,
             records / elapsed.cpu_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("End-to-end throughput of SQL queries (projection + filter, GROUP BY count) through a broker");
  std::string bootstrap = "127.0.0.1:9092";
  int64_t records = 1000000;
  int threads = 1;
  app.add_option("--bootstrap-server", bootstrap, "broker to connect to");
  app.add_option("--records", records, "records to write and process");
  app.add_option("--threads", threads, "ksql.streams.num.stream.threads");
  CLI11_PARSE(app, argc, argv);

  constexpr int kPartitions = 4;
  auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap}});
  auto producer = client::makeKafkaProducer(
      {{"bootstrap.servers", bootstrap}, {"linger.ms", "5"}, {"batch.size", "1000000"}, {"acks", "1"}});
  if (!admin.isOk() || !producer.isOk()) {
    fmt::print(stderr, "cannot connect to {}\n", bootstrap);
    return 1;
  }
  std::string run = std::to_string(Clock::now().time_since_epoch().count() % 1000000);
  std::string input = "sql-perf-in-" + run;
  if (!(*admin)->createTopics({{input, kPartitions, 1, {}}}).isOk()) return 1;
  auto fill_start = Clock::now();
  for (int64_t i = 0; i < records; ++i) {
    client::ProducerRecord record;
    record.topic = input;
    record.key = fmt::format("user-{:04}", i % 1000);
    // 8 columns, 256 bytes with the padding.
    record.value = fmt::format(
        R"({{"ID":{},"USER_ID":"user-{:04}","PAGE":"/page/{}","REGION":"region-{}","AMOUNT":{}.5,)"
        R"("QUANTITY":{},"ACTIVE":true,"NOTE":"{:<110}"}})",
        i, i % 1000, i % 97, i % 7, i % 1000, i % 10, "n");
    while (!(*producer)->send(record).isOk()) (*producer)->poll(std::chrono::milliseconds(10));
    (*producer)->poll(std::chrono::milliseconds(0));
  }
  (void)(*producer)->flush(std::chrono::seconds(60));
  fmt::print("fill: {} records in {:.1f} s\n", records,
             std::chrono::duration<double>(Clock::now() - fill_start).count());

  server::KafkaEnvironment::Options options;
  options.bootstrap_servers = bootstrap;
  options.state_dir = "/tmp/runnel-sql-perf";
  auto environment = server::KafkaEnvironment::create(options);
  if (!environment.isOk()) return 1;
  sql::Engine engine(**environment, {{"ksql.streams.num.stream.threads", std::to_string(threads)},
                                     {"ksql.streams.commit.interval.ms", "100"},
                                     {"ksql.streams.auto.offset.reset", "earliest"}});
  sql::Session session;
  auto created = engine.executeScript(fmt::format(
      "CREATE STREAM pageviews_{0} (user_id VARCHAR KEY, id BIGINT, page VARCHAR, region VARCHAR, amount DOUBLE, "
      "quantity INT, active BOOLEAN, note VARCHAR) WITH (kafka_topic='{1}', value_format='JSON');",
      run, input), session);
  if (!created.isOk()) {
    fmt::print(stderr, "{}\n", created.status().message());
    return 1;
  }

  auto projection = engine.execute(fmt::format("CREATE STREAM projected_{0} AS SELECT user_id, id, UCASE(page) AS page, "
                                               "amount * quantity AS total FROM pageviews_{0} WHERE active AND amount >= 0;",
                                               run),
                                   session);
  if (!projection.isOk()) {
    fmt::print(stderr, "{}\n", projection.status().message());
    return 1;
  }
  auto elapsed =
      timeUntil([&] { return endOffsets(**admin, fmt::format("PROJECTED_{}", run), kPartitions) >= records; });
  printThroughput("projection + filter", records, elapsed, threads);

  auto aggregation = engine.execute(
      fmt::format("CREATE TABLE counts_{0} AS SELECT user_id, COUNT(*) AS views FROM pageviews_{0} GROUP BY user_id;",
                  run),
      session);
  if (!aggregation.isOk()) {
    fmt::print(stderr, "{}\n", aggregation.status().message());
    return 1;
  }
  std::string group = "_confluent-ksql-default_query_" + aggregation->query_id;
  elapsed = timeUntil([&] { return committed(**admin, group) >= records; });
  printThroughput("GROUP BY count", records, elapsed, threads);
  (*environment)->closeAll();
  return 0;
}
