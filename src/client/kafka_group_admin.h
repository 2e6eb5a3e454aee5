#pragma once

// Consumer group administration over librdkafka's admin API, used by the librdkafka
// Admin. Private to this module (include only from .cc files: it pulls in rdkafka.h).

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "client/admin.h"

namespace runnel::client::rdkafka {

class GroupAdmin {
 public:
  // `rk` is borrowed and must outlive this object.
  GroupAdmin(rd_kafka_t* rk, std::chrono::milliseconds timeout) : rk_(rk), timeout_(timeout) {}

  Result<std::vector<GroupListing>> listGroups(const std::vector<GroupState>& states);
  Result<std::vector<GroupDescription>> describeGroups(const std::vector<std::string>& groups);
  Result<std::vector<TopicPartitionOffset>> listGroupOffsets(const std::string& group);
  Status alterGroupOffsets(const std::string& group, const std::vector<TopicPartitionOffset>& offsets);
  Result<std::vector<std::pair<std::string, Status>>> deleteGroups(const std::vector<std::string>& groups);
  Result<DeleteGroupOffsetsResult> deleteGroupOffsets(const std::string& group,
                                                      const std::vector<TopicPartition>& partitions);

 private:
  rd_kafka_t* rk_;
  std::chrono::milliseconds timeout_;
};

}  // namespace runnel::client::rdkafka
