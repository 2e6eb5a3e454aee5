#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/admin.h"

namespace runnel::cli {

// The tables `runnel groups` prints, character for character as Kafka 3.7's
// ConsumerGroupCommand prints them (Java's "%-Ns" padding, the leading blank line, the
// trailing spaces of the members table). Missing values print as "-".

// One row of --describe (--offsets): a partition with a committed offset or an owner.
struct PartitionRow {
  std::string group;
  std::optional<std::string> topic;  // nullopt for a member without partitions
  std::optional<int32_t> partition;
  std::optional<int64_t> current_offset;
  std::optional<int64_t> log_end_offset;
  std::optional<int64_t> lag;
  std::string consumer_id = "-";
  std::string host = "-";
  std::string client_id = "-";
};
std::string formatOffsets(const std::vector<PartitionRow>& rows);

struct MemberRow {
  std::string group;
  std::string consumer_id;
  std::string group_instance_id;  // empty without static membership
  std::string host;
  std::string client_id;
  std::vector<client::TopicPartition> assignment;
};
// With `verbose`, an ASSIGNMENT column: "t1(0,1), t2(3)".
std::string formatMembers(const std::vector<MemberRow>& rows, bool verbose);

struct GroupStateRow {
  std::string group;
  client::BrokerMetadata coordinator;
  std::string assignment_strategy;
  client::GroupState state = client::GroupState::kUnknown;
  size_t members = 0;
};
std::string formatState(const GroupStateRow& row);

// `runnel groups --list --state`.
std::string formatGroupList(const std::vector<client::GroupListing>& groups);

struct ResetRow {
  std::string group;
  client::TopicPartition partition;
  int64_t new_offset = 0;
};
// The --reset-offsets plan; nothing at all when no group was planned.
std::string formatResetPlan(const std::vector<ResetRow>& rows, bool any_group);
// --export: "topic,partition,offset" lines, with the group first when `with_group`.
std::string formatResetCsv(const std::vector<ResetRow>& rows, bool with_group);

struct DeleteOffsetRow {
  std::string topic;
  int32_t partition = -1;  // -1: the topic could not be resolved
  std::string status;      // "Successful" or "Error: ..."
};
std::string formatDeleteOffsets(std::vector<DeleteOffsetRow> rows);

}  // namespace runnel::cli
