#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "streams/record.h"
#include "streams/serde.h"
#include "streams/state_store.h"
#include "streams/topology.h"

namespace runnel::streams {

// A record piped into or read from the test driver, as Kafka's TestRecord.
template <class K, class V>
struct TestRecord {
  K key{};
  V value{};
  int64_t timestamp = 0;
  Headers headers;

  bool operator==(const TestRecord&) const = default;
};

class TopologyTestDriver;

namespace internal {
// A record in serialized form, as the driver moves it.
struct DriverRecord {
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp = 0;
  Headers headers;
};
}  // namespace internal

// Writes records into an input topic of the driver (Kafka's TestInputTopic). Without an
// explicit timestamp a record gets the topic's current time, which then advances by
// the auto-advance step.
template <class K, class V>
class TestInputTopic {
 public:
  void pipeInput(const K& key, const V& value, int64_t timestamp) { pipe(key, value, timestamp, {}); }
  void pipeInput(const K& key, const V& value) { pipe(key, value, nextTimestamp(), {}); }
  void pipeInput(const V& value) { pipe(K{}, value, nextTimestamp(), {}, true); }
  void pipeInput(const V& value, int64_t timestamp) { pipe(K{}, value, timestamp, {}, true); }
  void pipeInput(const TestRecord<K, V>& record) { pipe(record.key, record.value, record.timestamp, record.headers); }
  void pipeKeyValueList(const std::vector<KeyValue<K, V>>& records) {
    for (const auto& r : records) pipeInput(r.key, r.value);
  }
  void pipeValueList(const std::vector<V>& values) {
    for (const auto& v : values) pipeInput(v);
  }
  void pipeRecordList(const std::vector<TestRecord<K, V>>& records) {
    for (const auto& r : records) pipeInput(r);
  }
  void advanceTime(std::chrono::milliseconds step) { current_time_ += step.count(); }

 private:
  friend class TopologyTestDriver;
  TestInputTopic(TopologyTestDriver* driver, std::string topic, SerdePtr<K> key_serde, SerdePtr<V> value_serde,
                 int64_t start_time, int64_t auto_advance)
      : driver_(driver), topic_(std::move(topic)), key_serde_(std::move(key_serde)),
        value_serde_(std::move(value_serde)), current_time_(start_time), auto_advance_(auto_advance) {}

  int64_t nextTimestamp() {
    int64_t t = current_time_;
    current_time_ += auto_advance_;
    return t;
  }
  void pipe(const K& key, const V& value, int64_t timestamp, Headers headers, bool null_key = false);

  TopologyTestDriver* driver_;
  std::string topic_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  int64_t current_time_;
  int64_t auto_advance_;
};

// Reads what the topology wrote to a topic (Kafka's TestOutputTopic). Reading removes.
template <class K, class V>
class TestOutputTopic {
 public:
  bool isEmpty() const;
  size_t getQueueSize() const;
  // The next record; nullopt when there is none (Kafka throws NoSuchElementException).
  std::optional<TestRecord<K, V>> readRecord();
  std::optional<V> readValue();
  std::optional<KeyValue<K, V>> readKeyValue();
  std::vector<TestRecord<K, V>> readRecordsToList();
  std::vector<V> readValuesToList();
  std::vector<KeyValue<K, V>> readKeyValuesToList();
  // The last value per key.
  std::map<K, V> readKeyValuesToMap();

 private:
  friend class TopologyTestDriver;
  TestOutputTopic(TopologyTestDriver* driver, std::string topic, SerdePtr<K> key_serde, SerdePtr<V> value_serde)
      : driver_(driver), topic_(std::move(topic)), key_serde_(std::move(key_serde)),
        value_serde_(std::move(value_serde)) {}

  TopologyTestDriver* driver_;
  std::string topic_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
};

// Runs a topology without a broker, as Kafka's TopologyTestDriver: records piped into an
// input topic are processed at once, on the calling thread, by the same tasks, processor
// contexts and stores that a stream thread runs, with an in-memory producer and a mock
// wall clock. Every topic has one partition; records written to a topic that the
// topology reads (repartition topics) are fed back in.
class TopologyTestDriver {
 public:
  // `config` needs no application.id nor bootstrap.servers (dummies are set); the state
  // directory is a fresh temporary one unless state.dir is given. Fails on a topology or
  // configuration mistake, or when a processor's init() throws.
  static Result<std::unique_ptr<TopologyTestDriver>> create(const Topology& topology,
                                                            std::map<std::string, std::string> config = {},
                                                            int64_t initial_wall_clock_ms = 0);
  ~TopologyTestDriver();

  template <class K, class V>
  TestInputTopic<K, V> createInputTopic(const std::string& topic, SerdePtr<K> key_serde, SerdePtr<V> value_serde,
                                        int64_t start_timestamp = -1, std::chrono::milliseconds auto_advance = {}) {
    return TestInputTopic<K, V>(this, topic, std::move(key_serde), std::move(value_serde),
                                start_timestamp < 0 ? wallClockTime() : start_timestamp, auto_advance.count());
  }
  template <class K, class V>
  TestOutputTopic<K, V> createOutputTopic(const std::string& topic, SerdePtr<K> key_serde, SerdePtr<V> value_serde) {
    return TestOutputTopic<K, V>(this, topic, std::move(key_serde), std::move(value_serde));
  }

  // Moves the mock wall clock and runs the wall-clock punctuators that are due.
  void advanceWallClockTime(std::chrono::milliseconds step);
  int64_t wallClockTime() const;

  // The store named `name` (of the task of partition 0), or nullptr.
  StateStore* getStateStore(const std::string& name) const;
  template <class Store>
  Store* getStore(const std::string& name) const {
    return dynamic_cast<Store*>(getStateStore(name));
  }
  // The topics the topology has written to so far.
  std::vector<std::string> producedTopicNames() const;
  // The topics the topology reads (its sources and global tables), without its own
  // repartition topics.
  std::vector<std::string> inputTopicNames() const;

  // For TestInputTopic / TestOutputTopic. As Kafka's driver, piping throws the
  // StreamsException that processing raised.
  void pipeRecord(const std::string& topic, internal::DriverRecord record);
  std::deque<internal::DriverRecord>& output(const std::string& topic);

 private:
  class Impl;
  explicit TopologyTestDriver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

template <class K, class V>
void TestInputTopic<K, V>::pipe(const K& key, const V& value, int64_t timestamp, Headers headers, bool null_key) {
  internal::DriverRecord record;
  if (!null_key) {
    record.key.emplace();
    if (!key_serde_->serialize(topic_, key, *record.key)) record.key.reset();
  }
  record.value.emplace();
  if (!value_serde_->serialize(topic_, value, *record.value)) record.value.reset();
  record.timestamp = timestamp;
  record.headers = std::move(headers);
  driver_->pipeRecord(topic_, std::move(record));
}

template <class K, class V>
bool TestOutputTopic<K, V>::isEmpty() const {
  return driver_->output(topic_).empty();
}
template <class K, class V>
size_t TestOutputTopic<K, V>::getQueueSize() const {
  return driver_->output(topic_).size();
}

template <class K, class V>
std::optional<TestRecord<K, V>> TestOutputTopic<K, V>::readRecord() {
  auto& queue = driver_->output(topic_);
  if (queue.empty()) return std::nullopt;
  internal::DriverRecord raw = std::move(queue.front());
  queue.pop_front();
  TestRecord<K, V> out;
  auto key_view = raw.key ? std::optional<std::string_view>(*raw.key) : std::nullopt;
  auto value_view = raw.value ? std::optional<std::string_view>(*raw.value) : std::nullopt;
  Status status = key_serde_->deserialize(topic_, key_view, out.key);
  if (status.isOk()) status = value_serde_->deserialize(topic_, value_view, out.value);
  if (!status.isOk()) throw StreamsException("cannot read a record of " + topic_ + ": " + status.message());
  out.timestamp = raw.timestamp;
  out.headers = std::move(raw.headers);
  return out;
}

template <class K, class V>
std::optional<V> TestOutputTopic<K, V>::readValue() {
  auto record = readRecord();
  if (!record) return std::nullopt;
  return std::move(record->value);
}

template <class K, class V>
std::optional<KeyValue<K, V>> TestOutputTopic<K, V>::readKeyValue() {
  auto record = readRecord();
  if (!record) return std::nullopt;
  return KeyValue<K, V>{std::move(record->key), std::move(record->value)};
}

template <class K, class V>
std::vector<TestRecord<K, V>> TestOutputTopic<K, V>::readRecordsToList() {
  std::vector<TestRecord<K, V>> out;
  while (auto record = readRecord()) out.push_back(std::move(*record));
  return out;
}

template <class K, class V>
std::vector<V> TestOutputTopic<K, V>::readValuesToList() {
  std::vector<V> out;
  while (auto record = readRecord()) out.push_back(std::move(record->value));
  return out;
}

template <class K, class V>
std::vector<KeyValue<K, V>> TestOutputTopic<K, V>::readKeyValuesToList() {
  std::vector<KeyValue<K, V>> out;
  while (auto record = readRecord()) out.push_back({std::move(record->key), std::move(record->value)});
  return out;
}

template <class K, class V>
std::map<K, V> TestOutputTopic<K, V>::readKeyValuesToMap() {
  std::map<K, V> out;
  while (auto record = readRecord()) out[std::move(record->key)] = std::move(record->value);
  return out;
}

}  // namespace runnel::streams
