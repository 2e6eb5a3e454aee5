#pragma once

// One group member speaking the classic group protocol over its own raw connection, as
// a consumer would: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit. Calls
// block; a JoinGroup that waits for a rebalance is started with std::async.

#include <future>
#include <optional>
#include <string>
#include <vector>

#include "broker/raw_client.h"
#include "protocol/error_code.h"
#include "protocol/messages/create_topics.h"
#include "protocol/messages/heartbeat.h"
#include "protocol/messages/join_group.h"
#include "protocol/messages/leave_group.h"
#include "protocol/messages/offset_commit.h"
#include "protocol/messages/sync_group.h"

namespace runnel::testing {

inline Bytes bytesOf(const std::string& text) { return Bytes(text.begin(), text.end()); }

inline void createTopicRaw(uint16_t port, const std::string& name, int32_t partitions) {
  RawClient client(port);
  protocol::CreateTopicsRequest request;
  protocol::CreateTopicsRequest::CreatableTopic topic;
  topic.name = name;
  topic.num_partitions = partitions;
  topic.replication_factor = 1;
  request.topics.push_back(topic);
  auto response = client.call<protocol::CreateTopicsResponse>(request, 4);
  if (!response || response->topics.at(0).error_code != 0) throw std::runtime_error("CreateTopics failed");
}

class GroupMember {
 public:
  GroupMember(uint16_t port, std::string group) : client_(port), group_(std::move(group)) {}

  std::string member_id;
  int32_t generation = -1;
  std::optional<std::string> instance_id;
  int32_t session_timeout_ms = 6000;
  int32_t rebalance_timeout_ms = 10000;
  std::string metadata = "subscription";

  // One JoinGroup; updates member_id and generation from the answer.
  std::optional<protocol::JoinGroupResponse> joinOnce(int16_t version = 5) {
    protocol::JoinGroupRequest request;
    request.group_id = group_;
    request.session_timeout_ms = session_timeout_ms;
    request.rebalance_timeout_ms = rebalance_timeout_ms;
    request.member_id = member_id;
    request.group_instance_id = instance_id;
    request.protocol_type = "consumer";
    request.protocols.push_back({"range", bytesOf(metadata), {}});
    auto response = client_.call<protocol::JoinGroupResponse>(request, version);
    if (response && !response->member_id.empty()) member_id = response->member_id;
    if (response && response->error_code == 0) generation = response->generation_id;
    return response;
  }

  // JoinGroup, repeated once after MEMBER_ID_REQUIRED, as clients do.
  std::optional<protocol::JoinGroupResponse> join() {
    auto response = joinOnce();
    if (response && response->error_code == protocol::wire(protocol::ErrorCode::kMemberIdRequired)) {
      response = joinOnce();
    }
    return response;
  }

  std::future<std::optional<protocol::JoinGroupResponse>> joinAsync() {
    return std::async(std::launch::async, [this] { return join(); });
  }

  std::optional<protocol::SyncGroupResponse> sync(const std::vector<std::pair<std::string, std::string>>& plan = {}) {
    protocol::SyncGroupRequest request;
    request.group_id = group_;
    request.generation_id = generation;
    request.member_id = member_id;
    request.group_instance_id = instance_id;
    for (const auto& [member, assignment] : plan) request.assignments.push_back({member, bytesOf(assignment), {}});
    return client_.call<protocol::SyncGroupResponse>(request, 3);
  }

  std::future<std::optional<protocol::SyncGroupResponse>> syncAsync(
      std::vector<std::pair<std::string, std::string>> plan = {}) {
    return std::async(std::launch::async, [this, plan] { return sync(plan); });
  }

  int16_t heartbeat() {
    protocol::HeartbeatRequest request;
    request.group_id = group_;
    request.generation_id = generation;
    request.member_id = member_id;
    request.group_instance_id = instance_id;
    auto response = client_.call<protocol::HeartbeatResponse>(request, 3);
    return response ? response->error_code : int16_t(-100);
  }

  int16_t leave() {
    protocol::LeaveGroupRequest request;
    request.group_id = group_;
    request.members.push_back({member_id, instance_id, std::nullopt, {}});
    auto response = client_.call<protocol::LeaveGroupResponse>(request, 3);
    if (!response || response->members.size() != 1) return -100;
    return response->members[0].error_code;
  }

  // Commits one offset with this member's generation and id; the partition's error.
  int16_t commit(const std::string& topic, int32_t partition, int64_t offset) {
    protocol::OffsetCommitRequest request;
    request.group_id = group_;
    request.generation_id_or_member_epoch = generation;
    request.member_id = member_id;
    request.group_instance_id = instance_id;
    protocol::OffsetCommitRequest::Topic t;
    t.name = topic;
    t.partitions.push_back({partition, offset, -1, -1, std::string(), {}});
    request.topics.push_back(t);
    auto response = client_.call<protocol::OffsetCommitResponse>(request, 7);
    if (!response) return -100;
    return response->topics.at(0).partitions.at(0).error_code;
  }

  RawClient& client() { return client_; }

 private:
  RawClient client_;
  std::string group_;
};

inline std::string asString(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

}  // namespace runnel::testing
