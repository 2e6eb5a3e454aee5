#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/producer.h"
#include "client/types.h"

namespace runnel::client {

// A record as the MemoryProducer wrote it: where it landed and with which timestamp.
struct SentRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;

  bool operator==(const SentRecord&) const = default;
};

// A Producer that writes into memory instead of a cluster, for the topology test driver.
// Each topic has a fixed partition count (1 unless set with setPartitions()); a record
// goes to its given partition, else to murmur2Partition(key) like a real producer, else
// (null key) to partition 0, so that the driver's output is deterministic. Offsets count
// from 0 per partition. A record's timestamp of 0 is replaced by the owner's clock.
//
// send() never fails for a valid partition and delivery is certain, but the report is
// handed to the delivery callback on the next poll() or flush(), not inside send(): code
// written against the librdkafka producer must not see a callback it could not see there.
//
// Single-threaded by design (the driver runs everything on the calling thread): no locks.
class MemoryProducer final : public Producer {
 public:
  // `clock` gives the current time in milliseconds since the epoch (the driver's mock clock).
  explicit MemoryProducer(std::function<int64_t()> clock);

  // Sets the partition count of `topic` (> 0); takes effect for records sent afterwards.
  void setPartitions(const std::string& topic, int32_t partitions);
  int32_t partitions(std::string_view topic) const;

  void setDeliveryCallback(DeliveryCallback callback) override;
  // NotFound if the partition is outside the topic's partitions, InvalidArgument without a
  // topic name; nothing is written then.
  [[nodiscard]] Status send(const ProducerRecord& record) override;
  // Hands every pending delivery report to the callback; never waits.
  void poll(std::chrono::milliseconds timeout) override;
  // As poll(); always OK, since nothing can fail after send().
  [[nodiscard]] Status flush(std::chrono::milliseconds timeout) override;
  // Records whose delivery report is not yet handed over.
  int64_t outstanding() const override;

  // Removes and returns the records written to `topic` since the last take(), in send order.
  std::vector<SentRecord> take(std::string_view topic);
  // The records written to `topic` and not yet taken, in send order.
  const std::vector<SentRecord>& records(std::string_view topic) const;
  // Every topic written to so far, sorted.
  std::vector<std::string> topicNames() const;
  // The offset the next record written to the partition gets.
  int64_t endOffset(std::string_view topic, int32_t partition) const;

 private:
  struct TopicLog {
    int32_t partitions = 1;
    std::vector<int64_t> next_offsets;  // per partition, grown on first write
    std::vector<SentRecord> records;    // not yet taken
  };
  struct PendingReport {
    const std::string* topic;  // the key of the topic's entry in logs_, which never moves
    int32_t partition;
    int64_t offset;
    int64_t timestamp;
  };

  void deliver();

  std::function<int64_t()> clock_;
  DeliveryCallback callback_;
  std::map<std::string, TopicLog, std::less<>> logs_;
  std::vector<PendingReport> pending_;
};

}  // namespace runnel::client
