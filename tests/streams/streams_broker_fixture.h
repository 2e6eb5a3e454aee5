#pragma once

// A broker started in-process on a free port, and helpers that produce, consume and
// configure streams applications against it, for the streams runtime's tests.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "../broker/test_broker.h"
#include "client/kafka_client.h"

namespace runnel::streams {

using namespace std::chrono_literals;
using std::string;

inline void fastGroups(broker::BrokerConfig& config) {
  config.group_initial_rebalance_delay_ms = 0;
  config.group_min_session_timeout_ms = 100;
}

template <class Predicate>
bool waitUntil(Predicate predicate, std::chrono::milliseconds timeout = 30s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return predicate();
}

class StreamsBrokerTest : public ::testing::Test {
 protected:
  StreamsBrokerTest() : broker_({}, fastGroups) {}

  string bootstrap() const { return "127.0.0.1:" + std::to_string(broker_.port()); }

  void createTopic(const string& name, int32_t partitions) {
    auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
    ASSERT_TRUE(admin.isOk());
    ASSERT_TRUE((*admin)->createTopics({{name, partitions, 1, {}}}).isOk());
  }

  // Records key-<i % 97> -> "<i>" for i in [from, from + count).
  void produce(const string& topic, int from, int count) {
    auto producer = client::makeKafkaProducer({{"bootstrap.servers", bootstrap()}, {"linger.ms", "5"}});
    ASSERT_TRUE(producer.isOk());
    for (int i = from; i < from + count; ++i) {
      client::ProducerRecord record;
      record.topic = topic;
      record.key = "key-" + std::to_string(i % 97);
      record.value = std::to_string(i);
      ASSERT_TRUE((*producer)->send(record).isOk());
    }
    ASSERT_TRUE((*producer)->flush(30s).isOk());
  }

  // Every value of `topic`, read from the beginning until `expected` arrived or 30 s passed.
  std::vector<string> consumeValues(const string& topic, size_t expected) {
    auto consumer = client::makeKafkaConsumer({{"bootstrap.servers", bootstrap()}});
    EXPECT_TRUE(consumer.isOk());
    std::vector<string> values;
    auto partitions = (*consumer)->partitionsFor(topic, 10s);
    if (!partitions.isOk()) return values;
    std::vector<client::TopicPartitionOffset> assignment;
    for (const auto& p : *partitions) assignment.push_back({p.topic, p.partition, client::kOffsetBeginning});
    EXPECT_TRUE((*consumer)->assign(assignment).isOk());
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (values.size() < expected && std::chrono::steady_clock::now() < deadline) {
      (void)(*consumer)->pollBatch(200ms, 1000, [&](const client::MessageView& m) {
        values.emplace_back(m.value.value_or(""));
      });
    }
    return values;
  }

  std::map<string, string> appConfig(const string& app_id) {
    return {{"application.id", app_id},
            {"bootstrap.servers", bootstrap()},
            {"default.key.serde", "Serdes$StringSerde"},
            {"default.value.serde", "Serdes$StringSerde"},
            {"commit.interval.ms", "200"},
            {"session.timeout.ms", "2000"},
            {"heartbeat.interval.ms", "200"},
            {"state.dir", state_dir_}};
  }

  testing::TestBroker broker_;
  string state_dir_ = (std::filesystem::temp_directory_path() /
                       ("runnel-streams-test-" + std::to_string(::getpid()))).string();
};

}  // namespace runnel::streams
