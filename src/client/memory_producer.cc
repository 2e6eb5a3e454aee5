#include "client/memory_producer.h"

#include <utility>

#include "client/partitioner.h"

namespace runnel::client {

MemoryProducer::MemoryProducer(std::function<int64_t()> clock) : clock_(std::move(clock)) {}

void MemoryProducer::setPartitions(const std::string& topic, int32_t partitions) {
  logs_[topic].partitions = partitions;
}

int32_t MemoryProducer::partitions(std::string_view topic) const {
  auto it = logs_.find(topic);
  return it == logs_.end() ? 1 : it->second.partitions;
}

void MemoryProducer::setDeliveryCallback(DeliveryCallback callback) { callback_ = std::move(callback); }

Status MemoryProducer::send(const ProducerRecord& record) {
  if (record.topic.empty()) return Status::invalidArgument("INVALID_TOPIC_EXCEPTION: a record needs a topic");
  auto it = logs_.try_emplace(record.topic).first;
  TopicLog& topic = it->second;
  int32_t partition = record.partition;
  if (partition == ProducerRecord::kAnyPartition) {
    partition = record.key ? murmur2Partition(*record.key, topic.partitions) : 0;
  } else if (partition < 0 || partition >= topic.partitions) {
    return Status::notFound("UNKNOWN_PARTITION: topic " + record.topic + " has no partition " +
                            std::to_string(partition));
  }
  if (topic.next_offsets.size() <= size_t(partition)) topic.next_offsets.resize(size_t(partition) + 1, 0);
  SentRecord& sent = topic.records.emplace_back();
  sent.topic = record.topic;
  sent.partition = partition;
  sent.offset = topic.next_offsets[size_t(partition)]++;
  sent.timestamp = record.timestamp != 0 ? record.timestamp : clock_();
  sent.key = record.key;
  sent.value = record.value;
  sent.headers = record.headers;
  pending_.push_back({&it->first, partition, sent.offset, sent.timestamp});
  return Status::ok();
}

void MemoryProducer::poll(std::chrono::milliseconds) { deliver(); }

Status MemoryProducer::flush(std::chrono::milliseconds) {
  deliver();
  return Status::ok();
}

int64_t MemoryProducer::outstanding() const { return static_cast<int64_t>(pending_.size()); }

std::vector<SentRecord> MemoryProducer::take(std::string_view topic) {
  auto it = logs_.find(topic);
  if (it == logs_.end()) return {};
  return std::exchange(it->second.records, {});
}

const std::vector<SentRecord>& MemoryProducer::records(std::string_view topic) const {
  static const std::vector<SentRecord> kNone;
  auto it = logs_.find(topic);
  return it == logs_.end() ? kNone : it->second.records;
}

int64_t MemoryProducer::endOffset(std::string_view topic, int32_t partition) const {
  auto it = logs_.find(topic);
  if (it == logs_.end() || partition < 0 || size_t(partition) >= it->second.next_offsets.size()) return 0;
  return it->second.next_offsets[size_t(partition)];
}

void MemoryProducer::deliver() {
  // A callback may send() (its report waits for the next poll(), as with librdkafka) or
  // even poll() again, so the reports being handed over live in a local vector.
  std::vector<PendingReport> batch;
  batch.swap(pending_);
  if (callback_) {
    for (const PendingReport& p : batch) {
      DeliveryReport report;
      report.topic = *p.topic;
      report.partition = p.partition;
      report.offset = p.offset;
      report.timestamp = p.timestamp;
      callback_(report);
    }
  }
  batch.clear();
  if (pending_.empty()) pending_.swap(batch);  // keeps the capacity: no allocation per poll()
}

std::vector<std::string> MemoryProducer::topicNames() const {
  std::vector<std::string> names;
  for (const auto& [topic, log] : logs_) names.push_back(topic);
  return names;
}

}  // namespace runnel::client
