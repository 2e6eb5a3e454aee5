#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "client/admin.h"
#include "client/consumer.h"
#include "client/producer.h"

namespace runnel::cli::testing {

// In-memory stand-ins for the client interface, enough for the tools' logic.
class FakeAdmin : public client::Admin {
 public:
  client::ClusterMetadata cluster;
  std::map<std::string, std::vector<client::ConfigEntry>> configs;
  std::vector<client::NewTopic> created;
  std::vector<std::string> deleted;
  std::map<std::string, int32_t> grown;

  void addTopic(const std::string& name, int partitions, bool internal = false) {
    client::TopicMetadata t;
    t.name = name;
    t.is_internal = internal;
    for (int p = 0; p < partitions; ++p) t.partitions.push_back({p, 1, {1}, {1}, Status::ok()});
    cluster.topics.push_back(t);
    std::sort(cluster.topics.begin(), cluster.topics.end(), [](auto& a, auto& b) { return a.name < b.name; });
  }

  Status createTopics(const std::vector<client::NewTopic>& topics) override {
    for (const auto& t : topics) {
      for (const auto& existing : cluster.topics) {
        if (existing.name == t.name) {
          return Status::alreadyExists("TOPIC_ALREADY_EXISTS: Topic '" + t.name + "' already exists.");
        }
      }
      created.push_back(t);
    }
    return Status::ok();
  }
  Status deleteTopics(const std::vector<std::string>& topics) override {
    deleted.insert(deleted.end(), topics.begin(), topics.end());
    return Status::ok();
  }
  Status createPartitions(const std::string& topic, int32_t total) override {
    grown[topic] = total;
    return Status::ok();
  }
  Result<client::ClusterMetadata> metadata(const std::optional<std::vector<std::string>>& topics) override {
    client::ClusterMetadata out = cluster;
    if (topics) {
      std::erase_if(out.topics, [&](auto& t) { return std::find(topics->begin(), topics->end(), t.name) == topics->end(); });
    }
    return out;
  }
  Result<std::vector<client::ConfigEntry>> describeTopicConfigs(const std::string& topic) override {
    return configs[topic];
  }
  Status alterTopicConfigs(const std::string&, const std::map<std::string, std::string>&,
                           const std::vector<std::string>&) override {
    return Status::ok();
  }
  Result<std::vector<client::TopicPartitionOffset>> listOffsets(const std::vector<client::TopicPartition>&,
                                                                client::OffsetSpec) override {
    return std::vector<client::TopicPartitionOffset>{};
  }
  // Group administration is tested against a real broker (tests/e2e/test_groups_tool.py).
  Result<std::vector<client::GroupListing>> listGroups(const std::vector<client::GroupState>&) override {
    return Status::unsupported("groups");
  }
  Result<std::vector<client::GroupDescription>> describeGroups(const std::vector<std::string>&) override {
    return Status::unsupported("groups");
  }
  Result<std::vector<client::TopicPartitionOffset>> listGroupOffsets(const std::string&) override {
    return Status::unsupported("groups");
  }
  Status alterGroupOffsets(const std::string&, const std::vector<client::TopicPartitionOffset>&) override {
    return Status::unsupported("groups");
  }
  Result<std::vector<std::pair<std::string, Status>>> deleteGroups(const std::vector<std::string>&) override {
    return Status::unsupported("groups");
  }
  Result<client::DeleteGroupOffsetsResult> deleteGroupOffsets(const std::string&,
                                                              const std::vector<client::TopicPartition>&) override {
    return Status::unsupported("groups");
  }
};

class FakeProducer : public client::Producer {
 public:
  std::vector<client::ProducerRecord> sent;
  Status flush_status;
  int flushes = 0;

  void setDeliveryCallback(client::DeliveryCallback) override {}
  Status send(const client::ProducerRecord& record) override {
    sent.push_back(record);
    return Status::ok();
  }
  void poll(std::chrono::milliseconds) override {}
  Status flush(std::chrono::milliseconds) override {
    ++flushes;
    return flush_status;
  }
  int64_t outstanding() const override { return 0; }
};

class FakeConsumer : public client::Consumer {
 public:
  int32_t partitions = 1;
  std::deque<client::Message> messages;
  std::vector<client::TopicPartitionOffset> assigned;
  bool closed = false;

  Status assign(const std::vector<client::TopicPartitionOffset>& p) override {
    assigned = p;
    return Status::ok();
  }
  Status subscribe(const std::vector<std::string>&) override { return Status::unsupported("no groups"); }
  Status seek(const client::TopicPartitionOffset&, std::chrono::milliseconds) override { return Status::ok(); }
  Result<client::PollResult> poll(std::chrono::milliseconds) override {
    client::PollResult r;
    if (messages.empty()) return r;
    r.kind = client::PollResult::Kind::kMessage;
    r.message = messages.front();
    messages.pop_front();
    return r;
  }
  Result<size_t> pollBatch(std::chrono::milliseconds, size_t max_messages,
                           const std::function<void(const client::MessageView&)>& fn) override {
    size_t n = 0;
    for (; n < max_messages && !messages.empty(); ++n) {
      const client::Message& m = messages.front();
      client::MessageView view{m.topic, m.partition, m.offset, m.timestamp, m.timestamp_type, m.key, m.value};
      fn(view);
      messages.pop_front();
    }
    return n;
  }
  Status commitSync(const std::vector<client::TopicPartitionOffset>&) override { return Status::ok(); }
  Result<std::vector<client::TopicPartitionOffset>> position(const std::vector<client::TopicPartition>&) override {
    return std::vector<client::TopicPartitionOffset>{};
  }
  Result<std::vector<client::TopicPartitionOffset>> committed(const std::vector<client::TopicPartition>&,
                                                              std::chrono::milliseconds) override {
    return std::vector<client::TopicPartitionOffset>{};
  }
  Result<std::vector<client::TopicPartition>> assignment() override { return std::vector<client::TopicPartition>{}; }
  Result<std::vector<client::TopicPartition>> partitionsFor(const std::string& topic,
                                                            std::chrono::milliseconds) override {
    if (topic == "missing") return Status::notFound("UNKNOWN_TOPIC_OR_PART: topic missing does not exist");
    std::vector<client::TopicPartition> out;
    for (int32_t p = 0; p < partitions; ++p) out.push_back({topic, p});
    return out;
  }
  Status close() override {
    closed = true;
    return Status::ok();
  }
};

// argv for a parse function: {"tool", args...}.
class Argv {
 public:
  Argv(std::initializer_list<std::string> args) : strings_(args) {
    for (auto& s : strings_) pointers_.push_back(s.data());
  }
  int argc() { return static_cast<int>(pointers_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

}  // namespace runnel::cli::testing
