// Groups as stored and administered: loading and writing group metadata, listing,
// describing and deleting groups, committing and deleting offsets, offsets retention.

#include <spdlog/spdlog.h>

#include "broker/group/group_codec.h"
#include "broker/group/group_coordinator.h"
#include "broker/request_context.h"

namespace runnel::broker::group {

using protocol::ErrorCode;

void GroupCoordinator::start() {
  Lock lock(mu_);
  for (auto& [id, value] : offsets_.takeLoadedGroups()) {
    auto record = decodeGroupRecord(value);
    if (!record) {
      spdlog::warn("group {}: unreadable group metadata in {}, ignored", id, OffsetStore::kTopic);
      continue;
    }
    Group& group = getOrCreate(id);
    for (auto& m : record->members) {
      Member member;
      member.member_id = m.member_id;
      member.group_instance_id = m.group_instance_id;
      member.client_id = m.client_id;
      member.client_host = m.client_host;
      member.session_timeout_ms = m.session_timeout_ms;
      member.rebalance_timeout_ms = m.rebalance_timeout_ms;
      member.protocol_type = record->protocol_type;
      // Only the chosen protocol's metadata is stored, as in Kafka.
      member.protocols.emplace_back(record->protocol_name.value_or(""), std::move(m.subscription));
      member.assignment = std::move(m.assignment);
      group.add(std::move(member));
    }
    group.restore(record->protocol_type, record->generation, record->protocol_name, record->leader.value_or(""),
                  record->state_timestamp_ms > 0 ? record->state_timestamp_ms : nowMs());
    // Loaded members must heartbeat within their session, or they are expired.
    for (auto& [member_id, member] : group.members()) touch(group, member, member.session_timeout_ms);
  }
  for (const auto& id : offsets_.groupsWithOffsets()) getOrCreate(id);
  spdlog::info("group coordinator loaded {} groups", groups_.size());
  scheduleRetention();
}

Status GroupCoordinator::storeGroup(const Group& group) {
  GroupRecord record;
  record.protocol_type = group.protocolType();
  record.generation = group.generation();
  record.protocol_name = group.protocolName();
  if (!group.leader().empty()) record.leader = group.leader();
  record.state_timestamp_ms = group.stateTimestampMs();
  for (const auto& [id, member] : group.members()) {
    GroupRecord::MemberRecord m;
    m.member_id = id;
    m.group_instance_id = member.group_instance_id;
    m.client_id = member.client_id;
    m.client_host = member.client_host;
    m.rebalance_timeout_ms = member.rebalance_timeout_ms;
    m.session_timeout_ms = member.session_timeout_ms;
    if (group.protocolName()) {
      if (const Bytes* metadata = member.metadataFor(*group.protocolName())) m.subscription = *metadata;
    }
    m.assignment = member.assignment;
    record.members.push_back(std::move(m));
  }
  Bytes value = encodeGroupRecord(record);
  return offsets_.storeGroup(group.id(), ByteSpan(value), nowMs());
}

std::vector<GroupCoordinator::Listing> GroupCoordinator::list() const {
  Lock lock(mu_);
  std::vector<Listing> out;
  for (const auto& [id, group] : groups_) {
    if (!group->is(GroupState::kDead)) out.push_back({id, group->protocolType(), stateName(group->state())});
  }
  return out;
}

GroupCoordinator::Description GroupCoordinator::describe(const std::string& group_id) const {
  Lock lock(mu_);
  Description out;
  out.group_id = group_id;
  auto it = groups_.find(group_id);
  if (it == groups_.end()) {
    out.state = stateName(GroupState::kDead);
    return out;
  }
  const Group& group = *it->second;
  out.state = stateName(group.state());
  out.protocol_type = group.protocolType();
  // Metadata and assignments are only meaningful in a Stable generation.
  bool stable = group.is(GroupState::kStable);
  if (stable) out.protocol = group.protocolName().value_or("");
  for (const auto& [id, member] : group.members()) {
    Description::MemberDescription m;
    m.member_id = id;
    m.group_instance_id = member.group_instance_id;
    m.client_id = member.client_id;
    m.client_host = member.client_host;
    if (stable) {
      if (const Bytes* metadata = member.metadataFor(out.protocol)) m.metadata = *metadata;
      m.assignment = member.assignment;
    }
    out.members.push_back(std::move(m));
  }
  return out;
}

ErrorCode GroupCoordinator::deleteGroup(const std::string& group_id) {
  Lock lock(mu_);
  if (group_id.empty()) return ErrorCode::kInvalidGroupId;
  Group* group = find(group_id);
  if (!group || group->is(GroupState::kDead)) return ErrorCode::kGroupIdNotFound;
  if (!group->is(GroupState::kEmpty) || !group->pendingMembers().empty()) return ErrorCode::kNonEmptyGroup;
  if (Status s = offsets_.deleteGroup(group_id, nowMs()); !s.isOk()) {
    spdlog::warn("group {}: delete failed: {}", group_id, s.message());
    return ErrorCode::kCoordinatorNotAvailable;
  }
  group->transitionTo(GroupState::kDead, nowMs());
  groups_.erase(group_id);
  return ErrorCode::kNone;
}

ErrorCode GroupCoordinator::commitOffsets(const std::string& group_id, int32_t generation_id,
                                          const std::string& member_id,
                                          const std::optional<std::string>& group_instance_id,
                                          std::span<const OffsetCommitEntry> entries) {
  Lock lock(mu_);
  Group* group = find(group_id);
  if (!group) {
    // Only a consumer that assigns partitions itself commits into a group that does
    // not exist; one that thinks it has a generation is from a group that is gone.
    if (generation_id >= 0) return ErrorCode::kIllegalGeneration;
    group = &getOrCreate(group_id);
  }
  if (group->is(GroupState::kDead)) return ErrorCode::kCoordinatorNotAvailable;
  if (group->isStaticMemberFenced(member_id, group_instance_id)) return ErrorCode::kFencedInstanceId;
  bool simple = generation_id < 0 && group->is(GroupState::kEmpty);
  if (!simple) {
    if (group->is(GroupState::kCompletingRebalance)) return ErrorCode::kRebalanceInProgress;
    Member* member = group->member(member_id);
    if (!member) return ErrorCode::kUnknownMemberId;
    if (generation_id != group->generation()) return ErrorCode::kIllegalGeneration;
    // A commit is a sign of life (Kafka resets the session timer too).
    touch(*group, *member, member->session_timeout_ms);
  }
  if (Status s = offsets_.commit(group_id, entries, nowMs()); !s.isOk()) {
    spdlog::warn("group {}: offset commit failed: {}", group_id, s.message());
    return ErrorCode::kCoordinatorNotAvailable;
  }
  return ErrorCode::kNone;
}

GroupCoordinator::OffsetDeleteResult GroupCoordinator::deleteOffsets(
    const std::string& group_id, std::span<const std::pair<std::string, int32_t>> partitions) {
  Lock lock(mu_);
  OffsetDeleteResult result;
  Group* group = find(group_id);
  if (!group || group->is(GroupState::kDead)) {
    result.error = ErrorCode::kGroupIdNotFound;
    return result;
  }
  bool empty = group->is(GroupState::kEmpty);
  if (!empty && group->protocolType() != "consumer") {
    result.error = ErrorCode::kNonEmptyGroup;
    return result;
  }
  std::set<std::string> subscribed = empty ? std::set<std::string>() : group->subscribedTopics();
  std::vector<std::pair<std::string, int32_t>> deletable;
  for (const auto& partition : partitions) {
    bool busy = subscribed.count(partition.first) > 0;
    result.partition_errors.push_back(busy ? ErrorCode::kGroupSubscribedToTopic : ErrorCode::kNone);
    if (!busy) deletable.push_back(partition);
  }
  if (Status s = offsets_.deleteOffsets(group_id, deletable, nowMs()); !s.isOk()) {
    spdlog::warn("group {}: offset delete failed: {}", group_id, s.message());
    result.error = ErrorCode::kCoordinatorNotAvailable;
  }
  return result;
}

void GroupCoordinator::expireOffsets(int64_t now_ms) {
  Lock lock(mu_);
  std::vector<std::string> dead;
  for (auto& [id, group] : groups_) {
    if (!group->is(GroupState::kEmpty) || !group->pendingMembers().empty()) continue;
    // Kafka (KIP-211): a consumer group's offsets age from the moment it became empty;
    // offsets of a group that never had members age from their commit.
    bool from_state = !group->protocolType().empty();
    std::vector<std::pair<std::string, int32_t>> expired;
    auto committed = offsets_.fetchAll(id);
    for (const auto& entry : committed) {
      int64_t base = from_state ? group->stateTimestampMs() : entry.committed.commit_timestamp;
      if (now_ms - base >= config_.offsets_retention_ms) expired.emplace_back(entry.topic, entry.partition);
    }
    if (!expired.empty()) {
      spdlog::info("group {}: {} committed offsets expired", id, expired.size());
      if (Status s = offsets_.deleteOffsets(id, expired, now_ms); !s.isOk()) {
        spdlog::warn("group {}: offset expiry failed: {}", id, s.message());
        continue;
      }
    }
    if (expired.size() == committed.size()) dead.push_back(id);
  }
  // An empty group without offsets is gone; its metadata gets a tombstone.
  for (const auto& id : dead) {
    if (groups_[id]->generation() > 0) {
      if (Status s = offsets_.storeGroup(id, std::nullopt, now_ms); !s.isOk()) {
        spdlog::warn("group {}: {}", id, s.message());
        continue;
      }
    }
    groups_.erase(id);
  }
}

void GroupCoordinator::scheduleRetention() {
  scheduler_.runAfter(std::chrono::milliseconds(config_.offsets_retention_check_interval_ms), [this] {
    expireOffsets(nowMs());
    scheduleRetention();
  });
}

}  // namespace runnel::broker::group
