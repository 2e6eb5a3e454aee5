// The librdkafka consumer against the project's broker: rebalance listener (eager and
// cooperative), commits from inside the revoke callback, pause/resume, headers in the
// zero-copy views of pollBatch().

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/test_broker.h"
#include "client/kafka_client.h"

namespace runnel::client {
namespace {

using namespace std::chrono_literals;

void fastGroups(broker::BrokerConfig& config) {
  config.group_initial_rebalance_delay_ms = 0;
  config.group_min_session_timeout_ms = 100;
}

// Records every callback; on revocation commits and reads positions through the consumer,
// as the streams runtime does before it gives tasks up.
class RecordingListener : public RebalanceListener {
 public:
  struct Event {
    std::string kind;  // "assigned", "revoked" or "lost"
    std::vector<TopicPartition> partitions;
  };

  Consumer* consumer = nullptr;
  std::vector<Event> events;
  std::vector<Status> revoke_commits;
  std::vector<std::vector<TopicPartitionOffset>> revoke_positions;

  void onPartitionsAssigned(const std::vector<TopicPartition>& partitions) override {
    events.push_back({"assigned", partitions});
  }
  void onPartitionsRevoked(const std::vector<TopicPartition>& partitions) override {
    events.push_back({"revoked", partitions});
    auto positions = consumer->position(partitions);
    revoke_positions.push_back(positions.isOk() ? *positions : std::vector<TopicPartitionOffset>{});
    revoke_commits.push_back(consumer->commitSync({}));
  }
  void onPartitionsLost(const std::vector<TopicPartition>& partitions) override {
    events.push_back({"lost", partitions});
  }

  int count(const std::string& kind) const {
    int n = 0;
    for (const Event& e : events) n += e.kind == kind;
    return n;
  }
};

class KafkaConsumerGroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = makeKafkaAdmin(baseConfig());
    ASSERT_TRUE(admin.isOk()) << admin.status().toString();
    ASSERT_TRUE((*admin)->createTopics({{.name = "events", .partitions = 2, .replication_factor = 1}}).isOk());
    auto producer = makeKafkaProducer(baseConfig());
    ASSERT_TRUE(producer.isOk()) << producer.status().toString();
    producer_ = std::move(producer).value();
  }

  ClientConfig baseConfig() const { return {{"bootstrap.servers", "127.0.0.1:" + std::to_string(broker_.port())}}; }

  ClientConfig groupConfig(const std::string& assignor) const {
    ClientConfig config = baseConfig();
    config["group.id"] = "group-" + assignor;
    config["partition.assignment.strategy"] = assignor;
    config["enable.auto.commit"] = "false";
    config["auto.offset.reset"] = "earliest";
    config["session.timeout.ms"] = "3000";
    config["heartbeat.interval.ms"] = "100";
    return config;
  }

  void produce(int32_t partition, int count, std::vector<Header> headers = {}) {
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(producer_->send({.topic = "events", .partition = partition, .key = "k" + std::to_string(i),
                                   .value = "v" + std::to_string(i), .headers = headers})
                      .isOk());
    }
    ASSERT_TRUE(producer_->flush(10s).isOk());
  }

  // Polls every consumer in turn (pollBatch only) until `done(records seen so far)` or
  // 20 s; the records seen.
  static int pollUntil(const std::vector<Consumer*>& consumers, const std::function<bool(int)>& done) {
    int records = 0;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done(records) && std::chrono::steady_clock::now() < deadline) {
      for (Consumer* c : consumers) {
        auto handed = c->pollBatch(50ms, 100, [](const MessageView&) {});
        EXPECT_TRUE(handed.isOk()) << handed.status().toString();
        if (handed.isOk()) records += static_cast<int>(*handed);
      }
    }
    return records;
  }

  testing::TestBroker broker_{{}, fastGroups};
  std::unique_ptr<Producer> producer_;
};

const std::vector<TopicPartition> kBoth = {{"events", 0}, {"events", 1}};

TEST_F(KafkaConsumerGroupTest, EagerListenerSeesAssignRevokeAssignAndCommitsOnRevoke) {
  produce(0, 3);
  produce(1, 4);
  RecordingListener a_listener;
  auto a = makeKafkaConsumer(groupConfig("range"), &a_listener);
  ASSERT_TRUE(a.isOk()) << a.status().toString();
  a_listener.consumer = a->get();
  ASSERT_TRUE((*a)->subscribe({"events"}).isOk());

  int consumed = pollUntil({a->get()}, [](int records) { return records >= 7; });
  ASSERT_EQ(consumed, 7);
  // pollBatch() alone served the rebalance callback.
  ASSERT_EQ(a_listener.events.size(), 1u);
  EXPECT_EQ(a_listener.events[0].kind, "assigned");
  EXPECT_EQ(a_listener.events[0].partitions, kBoth);

  RecordingListener b_listener;
  auto b = makeKafkaConsumer(groupConfig("range"), &b_listener);
  ASSERT_TRUE(b.isOk());
  b_listener.consumer = b->get();
  ASSERT_TRUE((*b)->subscribe({"events"}).isOk());
  int after_join = pollUntil({a->get(), b->get()}, [&](int) {
    return a_listener.count("assigned") == 2 && b_listener.count("assigned") == 1;
  });

  // Eager: A gives up everything, then gets one partition back; B gets the other.
  ASSERT_EQ(a_listener.events.size(), 3u);
  EXPECT_EQ(a_listener.events[1].kind, "revoked");
  EXPECT_EQ(a_listener.events[1].partitions, kBoth);
  EXPECT_EQ(a_listener.events[2].kind, "assigned");
  ASSERT_EQ(b_listener.events.size(), 1u);
  ASSERT_EQ(a_listener.events[2].partitions.size(), 1u);
  ASSERT_EQ(b_listener.events[0].partitions.size(), 1u);
  EXPECT_NE(a_listener.events[2].partitions[0], b_listener.events[0].partitions[0]);
  auto a_owned = (*a)->assignment();
  ASSERT_TRUE(a_owned.isOk());
  EXPECT_EQ(*a_owned, a_listener.events[2].partitions);

  // Inside the revoke callback the partitions were still A's: positions were readable
  // and the commit went through, so nobody reads the 7 records again.
  ASSERT_EQ(a_listener.revoke_commits.size(), 1u);
  EXPECT_TRUE(a_listener.revoke_commits[0].isOk()) << a_listener.revoke_commits[0].toString();
  EXPECT_EQ(a_listener.revoke_positions[0],
            (std::vector<TopicPartitionOffset>{{"events", 0, 3}, {"events", 1, 4}}));
  auto committed = (*b)->committed(kBoth, 5s);
  ASSERT_TRUE(committed.isOk()) << committed.status().toString();
  EXPECT_EQ(*committed, (std::vector<TopicPartitionOffset>{{"events", 0, 3}, {"events", 1, 4}}));
  EXPECT_EQ(after_join, 0);

  // Closing revokes what is left, through the same listener.
  ASSERT_TRUE((*b)->close().isOk());
  EXPECT_EQ(b_listener.events.back().kind, "revoked");
  EXPECT_TRUE(b_listener.revoke_commits.back().isOk()) << b_listener.revoke_commits.back().toString();
}

TEST_F(KafkaConsumerGroupTest, CooperativeListenerSeesOnlyTheMovedPartition) {
  RecordingListener a_listener;
  auto a = makeKafkaConsumer(groupConfig("cooperative-sticky"), &a_listener);
  ASSERT_TRUE(a.isOk()) << a.status().toString();
  a_listener.consumer = a->get();
  ASSERT_TRUE((*a)->subscribe({"events"}).isOk());
  pollUntil({a->get()}, [&](int) { return a_listener.count("assigned") == 1; });
  ASSERT_EQ(a_listener.events.size(), 1u);
  EXPECT_EQ(a_listener.events[0].partitions, kBoth);

  RecordingListener b_listener;
  auto b = makeKafkaConsumer(groupConfig("cooperative-sticky"), &b_listener);
  ASSERT_TRUE(b.isOk());
  b_listener.consumer = b->get();
  ASSERT_TRUE((*b)->subscribe({"events"}).isOk());
  pollUntil({a->get(), b->get()}, [&](int) {
    for (const auto& e : b_listener.events) {
      if (e.kind == "assigned" && !e.partitions.empty()) return true;
    }
    return false;
  });

  // A keeps one partition throughout: only the one that moves is revoked.
  ASSERT_EQ(a_listener.count("revoked"), 1);
  EXPECT_EQ(a_listener.count("lost"), 0);
  std::vector<TopicPartition> revoked;
  for (const auto& e : a_listener.events) {
    if (e.kind == "revoked") revoked = e.partitions;
  }
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_TRUE(a_listener.revoke_commits[0].isOk()) << a_listener.revoke_commits[0].toString();
  auto a_owned = (*a)->assignment();
  auto b_owned = (*b)->assignment();
  ASSERT_TRUE(a_owned.isOk());
  ASSERT_TRUE(b_owned.isOk());
  ASSERT_EQ(a_owned->size(), 1u);
  EXPECT_EQ(*b_owned, revoked);
  EXPECT_NE((*a_owned)[0], revoked[0]);
}

TEST_F(KafkaConsumerGroupTest, PauseStopsDeliveryAndResumeRestartsIt) {
  produce(0, 5);
  auto consumer = makeKafkaConsumer(baseConfig());
  ASSERT_TRUE(consumer.isOk());
  ASSERT_TRUE((*consumer)->assign({{"events", 0, kOffsetBeginning}}).isOk());
  int consumed = pollUntil({consumer->get()}, [](int records) { return records >= 5; });
  ASSERT_EQ(consumed, 5);

  ASSERT_TRUE((*consumer)->pause({{"events", 0}}).isOk());
  produce(0, 5);
  int while_paused = 0;
  for (int i = 0; i < 10; ++i) {
    auto handed = (*consumer)->pollBatch(100ms, 100, [](const MessageView&) {});
    ASSERT_TRUE(handed.isOk());
    while_paused += static_cast<int>(*handed);
  }
  EXPECT_EQ(while_paused, 0);

  ASSERT_TRUE((*consumer)->resume({{"events", 0}}).isOk());
  std::vector<int64_t> offsets;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (offsets.size() < 5 && std::chrono::steady_clock::now() < deadline) {
    auto handed = (*consumer)->pollBatch(100ms, 100, [&](const MessageView& m) { offsets.push_back(m.offset); });
    ASSERT_TRUE(handed.isOk());
  }
  EXPECT_EQ(offsets, (std::vector<int64_t>{5, 6, 7, 8, 9}));
}

TEST_F(KafkaConsumerGroupTest, PollBatchViewsCarryHeaders) {
  produce(0, 2, {{"trace", "abc"}, {"empty", ""}, {"null", std::nullopt}});
  produce(0, 1);
  produce(0, 1, {{"only", "one"}});
  auto consumer = makeKafkaConsumer(baseConfig());
  ASSERT_TRUE(consumer.isOk());
  ASSERT_TRUE((*consumer)->assign({{"events", 0, kOffsetBeginning}}).isOk());
  std::vector<std::optional<std::vector<Header>>> seen;
  std::vector<const std::vector<Header>*> addresses;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (seen.size() < 4 && std::chrono::steady_clock::now() < deadline) {
    auto handed = (*consumer)->pollBatch(100ms, 100, [&](const MessageView& m) {
      if (m.headers == nullptr) {
        seen.emplace_back();
      } else {
        seen.emplace_back(*m.headers);
        addresses.push_back(m.headers);
      }
    });
    ASSERT_TRUE(handed.isOk());
  }
  ASSERT_EQ(seen.size(), 4u);
  std::vector<Header> three = {{"trace", "abc"}, {"empty", ""}, {"null", std::nullopt}};
  EXPECT_EQ(seen[0], three);
  EXPECT_EQ(seen[1], three);
  EXPECT_FALSE(seen[2].has_value());
  EXPECT_EQ(seen[3], (std::vector<Header>{{"only", "one"}}));
  // One scratch vector, refilled per record.
  ASSERT_EQ(addresses.size(), 3u);
  EXPECT_EQ(addresses[0], addresses[2]);
}

}  // namespace
}  // namespace runnel::client
