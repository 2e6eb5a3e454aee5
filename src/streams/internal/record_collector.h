#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "client/producer.h"
#include "common/status.h"
#include "streams/streams_config.h"

namespace runnel::streams::internal {

// Sends the records of a thread's sinks through its producer and keeps the first
// delivery failure, which fails the thread at the next send or flush unless the
// production exception handler says to continue.
class RecordCollector {
 public:
  RecordCollector(client::Producer* producer, StreamsConfig::ProductionHandling handling);

  // The record a sink fills in place (its strings keep their storage between records)
  // and then hands to send().
  client::ProducerRecord& next() { return scratch_; }
  // Throws StreamsException when the record cannot be queued or an earlier one failed.
  void send();
  // Waits for every record sent so far; a failure is returned (kFail) or logged.
  [[nodiscard]] Status flush(std::chrono::milliseconds timeout);
  // Serves delivery reports without waiting.
  void poll() { producer_->poll(std::chrono::milliseconds(0)); }
  // The offset after the last delivered record of a changelog partition, if any.
  std::optional<int64_t> changelogEndOffset(const client::TopicPartition& partition) const {
    auto it = changelog_offsets_.find(partition);
    return it == changelog_offsets_.end() ? std::nullopt : std::optional<int64_t>(it->second);
  }

 private:
  void throwIfFailed();

  client::Producer* producer_;
  StreamsConfig::ProductionHandling handling_;
  client::ProducerRecord scratch_;
  Status first_error_;
  std::map<client::TopicPartition, int64_t> changelog_offsets_;
  int64_t skipped_ = 0;
};

}  // namespace runnel::streams::internal
