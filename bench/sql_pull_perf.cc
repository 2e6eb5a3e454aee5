// Latency of pull queries by key over loopback HTTP against a running SQL server: fills a
// CTAS table with --keys keys, then sends `SELECT * FROM t WHERE id = <random key>` to
// POST /query at a fixed rate (open loop: each query's latency counts from when it was
// due, so a slow server is not hidden by a slower send rate) from --connections
// keep-alive connections, and prints the latency percentiles.
// Usage: sql_pull_perf --server http://127.0.0.1:8088 [--rate 5000] [--seconds 10]

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "net/http_client.h"

using namespace runnel;
using Clock = std::chrono::steady_clock;

namespace {

bool ksql(net::HttpClient& client, const std::string& server, const std::string& statements) {
  std::string body = fmt::format(R"({{"ksql":"{}","streamsProperties":{{}}}})", statements);
  auto response = client.post(server + "/ksql", body);
  if (!response.isOk() || response->status != 200) {
    fmt::print(stderr, "statement failed: {}\n", response.isOk() ? response->body : response.status().message());
    return false;
  }
  return true;
}

std::string pullBody(int key) {
  return fmt::format(R"({{"ksql":"SELECT * FROM pull_perf_counts WHERE id = {};","streamsProperties":{{}}}})", key);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Latency of pull queries by key over HTTP against a running SQL server");
  std::string server = "http://127.0.0.1:8088";
  int keys = 1000;
  int rate = 5000;
  int seconds = 10;
  int connections = 8;
  app.add_option("--server", server, "the SQL server's URL");
  app.add_option("--keys", keys, "keys in the table");
  app.add_option("--rate", rate, "pull queries per second");
  app.add_option("--seconds", seconds, "how long to send them");
  app.add_option("--connections", connections, "client connections (one thread each)");
  CLI11_PARSE(app, argc, argv);

  net::HttpClient setup;
  if (!ksql(setup, server,
            "CREATE STREAM pull_perf_events (id INT KEY, v INT) WITH (kafka_topic='pull_perf_events', "
            "value_format='JSON', partitions=2);"
            "CREATE TABLE pull_perf_counts AS SELECT id, COUNT(*) AS n, LATEST_BY_OFFSET(v) AS v "
            "FROM pull_perf_events GROUP BY id;")) {
    return 1;
  }
  std::string inserts;
  for (int key = 0; key < keys; ++key) {
    inserts += fmt::format("INSERT INTO pull_perf_events (id, v) VALUES ({}, {});", key, key * 10);
    if ((key + 1) % 200 == 0 || key + 1 == keys) {
      if (!ksql(setup, server, inserts)) return 1;
      inserts.clear();
    }
  }
  // The table is ready when the last key can be read.
  for (auto deadline = Clock::now() + std::chrono::seconds(60);;) {
    auto response = setup.post(server + "/query", pullBody(keys - 1));
    if (response.isOk() && response->status == 200 && response->body.find("\"row\"") != std::string::npos) break;
    if (Clock::now() > deadline) {
      fmt::print(stderr, "the table did not fill within 60 s\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  const int64_t total = static_cast<int64_t>(rate) * seconds;
  const auto interval = std::chrono::nanoseconds(1'000'000'000LL / rate);
  std::vector<std::vector<double>> latencies(connections);
  std::atomic<int64_t> errors{0};
  auto start = Clock::now() + std::chrono::milliseconds(100);
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      net::HttpClient client;
      std::mt19937 random(c);
      std::uniform_int_distribution<int> pick(0, keys - 1);
      for (int64_t i = c; i < total; i += connections) {
        auto due = start + interval * i;
        std::this_thread::sleep_until(due);
        auto response = client.post(server + "/query", pullBody(pick(random)));
        if (!response.isOk() || response->status != 200 || response->body.find("\"row\"") == std::string::npos) {
          ++errors;
        }
        latencies[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - due).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& list : latencies) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) { return all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))]; };
  fmt::print("pull queries by key: {} sent at {} q/s target ({:.0f} q/s achieved), {} errors, {} connections\n",
             all.size(), rate, all.size() / elapsed, errors.load(), connections);
  fmt::print("latency ms: p50 {:.3f}  p90 {:.3f}  p99 {:.3f}  p99.9 {:.3f}  max {:.3f}\n", percentile(0.5),
             percentile(0.9), percentile(0.99), percentile(0.999), all.back());
  return errors.load() == 0 ? 0 : 1;
}
