#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "client/types.h"
#include "common/result.h"

namespace runnel::client {

// What one Consumer::poll() call observed.
struct PollResult {
  enum class Kind {
    kNone,          // the timeout passed without an event
    kMessage,       // `message` is set
    kPartitionEof,  // reached the end of `eof.partition` (only with enable.partition.eof=true)
    kError,         // a transient error (broker down, ...); the consumer keeps retrying
  };
  Kind kind = Kind::kNone;
  Message message;
  TopicPartitionOffset eof;  // the partition and the offset at its end
  Status error;
};

// Told when a group consumer (subscribe()) gains or loses partitions. Called on the
// thread that polls, from inside poll(), pollBatch() or close(), so it may call the
// consumer back: commitSync() and position() in onPartitionsRevoked() commit what was
// processed before the partitions go to another member.
class RebalanceListener {
 public:
  virtual ~RebalanceListener() = default;

  // After the partitions were added to the assignment (all of it with the eager
  // protocol, only the new ones with the cooperative one).
  virtual void onPartitionsAssigned(const std::vector<TopicPartition>& partitions) = 0;
  // Before the partitions are taken from the assignment: they are still owned, and
  // committing their offsets works.
  virtual void onPartitionsRevoked(const std::vector<TopicPartition>& partitions) = 0;
  // The partitions already belong to someone else (the session expired, a rebalance
  // failed): committing them fails. By default treated as a revocation.
  virtual void onPartitionsLost(const std::vector<TopicPartition>& partitions) { onPartitionsRevoked(partitions); }
};

// Reads records from assigned or subscribed partitions. Not thread-safe.
class Consumer {
 public:
  virtual ~Consumer() = default;

  // Replaces the assignment. Each offset is a real offset or kOffsetBeginning,
  // kOffsetEnd or kOffsetStored.
  [[nodiscard]] virtual Status assign(const std::vector<TopicPartitionOffset>& partitions) = 0;
  // Joins the group (group.id) and lets the group coordinator assign partitions.
  [[nodiscard]] virtual Status subscribe(const std::vector<std::string>& topics) = 0;
  // Moves the fetch position of an assigned partition.
  [[nodiscard]] virtual Status seek(const TopicPartitionOffset& position,
                                    std::chrono::milliseconds timeout) = 0;

  // Waits up to `timeout` for the next event. An error Status means the consumer
  // cannot go on (a fatal error); transient errors come back as PollResult::Kind::kError.
  virtual Result<PollResult> poll(std::chrono::milliseconds timeout) = 0;

  // The hot path: waits up to `timeout` for records and hands up to `max_messages` of
  // them to `fn` as views, without copying. Returns how many it handed over. Partition
  // EOF events are skipped; transient errors end the batch early.
  virtual Result<size_t> pollBatch(std::chrono::milliseconds timeout, size_t max_messages,
                                   const std::function<void(const MessageView&)>& fn) = 0;
  // Commits the given offsets (the offset of the next record to read), or the current
  // position of every assigned partition when `offsets` is empty.
  [[nodiscard]] virtual Status commitSync(const std::vector<TopicPartitionOffset>& offsets) = 0;
  // The offset of the next record poll() will return, per partition (kOffsetInvalid if
  // nothing was fetched yet).
  virtual Result<std::vector<TopicPartitionOffset>> position(const std::vector<TopicPartition>& partitions) = 0;
  // The group's committed offsets (kOffsetInvalid where none).
  virtual Result<std::vector<TopicPartitionOffset>> committed(const std::vector<TopicPartition>& partitions,
                                                              std::chrono::milliseconds timeout) = 0;
  virtual Result<std::vector<TopicPartition>> assignment() = 0;

  // Stops fetching from assigned partitions, keeping their position, until resume().
  // Consumers without flow control (test fakes) answer Unsupported.
  [[nodiscard]] virtual Status pause(const std::vector<TopicPartition>& partitions) {
    (void)partitions;
    return Status::unsupported("this consumer cannot pause partitions");
  }
  [[nodiscard]] virtual Status resume(const std::vector<TopicPartition>& partitions) {
    (void)partitions;
    return Status::unsupported("this consumer cannot resume partitions");
  }

  // The partitions of a topic, from cluster metadata; NotFound if the topic does not exist.
  virtual Result<std::vector<TopicPartition>> partitionsFor(const std::string& topic,
                                                            std::chrono::milliseconds timeout) = 0;

  // Leaves the group and commits if enable.auto.commit is on. Idempotent; the destructor
  // calls it too.
  [[nodiscard]] virtual Status close() = 0;
};

}  // namespace runnel::client
