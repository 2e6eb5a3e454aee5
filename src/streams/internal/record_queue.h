#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "client/types.h"
#include "streams/internal/source_node.h"

namespace runnel::streams::internal {

// The fetched, not yet processed records of one input partition of a task. Record bytes
// are copied into one growing buffer that is reset whenever the queue drains, so that
// buffering costs no allocation per record in steady state.
class RecordQueue {
 public:
  RecordQueue(std::string topic, int32_t partition, SourceNodeBase* source)
      : topic_(std::move(topic)), partition_(partition), source_(source), slot_(source->makeSlot()) {}

  const std::string& topic() const { return topic_; }
  int32_t partition() const { return partition_; }
  SourceNodeBase* source() const { return source_; }
  SourceNodeBase::Slot& slot() { return *slot_; }

  void add(const client::MessageView& message);
  bool empty() const { return head_ == entries_.size(); }
  size_t size() const { return entries_.size() - head_; }
  RawRecord head() const;
  void pop();

  // The timestamp of the decoded head record; valid while headDecoded().
  bool headDecoded() const { return head_decoded_; }
  int64_t headTimestamp() const { return head_timestamp_; }
  void setHeadDecoded(int64_t timestamp) {
    head_decoded_ = true;
    head_timestamp_ = timestamp;
  }

  // The largest timestamp decoded so far in this partition (-1 before the first).
  int64_t partitionTime() const { return partition_time_; }
  void advancePartitionTime(int64_t timestamp) { partition_time_ = std::max(partition_time_, timestamp); }

  // The offset of the last record processed or skipped (-1: none yet).
  int64_t consumedOffset() const { return consumed_offset_; }

 private:
  struct Entry {
    int64_t offset;
    int64_t timestamp;
    uint32_t key_pos, key_len, value_pos, value_len;
    int32_t headers;  // index into headers_, -1 without headers
    bool has_key, has_value;
  };

  std::string topic_;
  int32_t partition_;
  SourceNodeBase* source_;
  std::unique_ptr<SourceNodeBase::Slot> slot_;
  std::vector<Entry> entries_;
  size_t head_ = 0;
  std::string arena_;
  std::vector<Headers> headers_;
  bool head_decoded_ = false;
  int64_t head_timestamp_ = -1;
  int64_t partition_time_ = -1;
  int64_t consumed_offset_ = -1;
};

}  // namespace runnel::streams::internal
