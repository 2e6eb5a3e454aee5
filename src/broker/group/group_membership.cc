// The members' side of a generation: SyncGroup, heartbeats and session expiry, leaving.

#include <spdlog/spdlog.h>

#include "broker/group/group_coordinator.h"
#include "broker/request_context.h"

namespace runnel::broker::group {

using protocol::ErrorCode;

void GroupCoordinator::sync(SyncRequest request, SyncCallback callback) {
  Lock lock(mu_);
  Group* group = find(request.group_id);
  if (!group) return callback(SyncResult::failed(ErrorCode::kUnknownMemberId));
  if (group->is(GroupState::kDead)) return callback(SyncResult::failed(ErrorCode::kCoordinatorNotAvailable));
  if (group->isStaticMemberFenced(request.member_id, request.group_instance_id)) {
    return callback(SyncResult::failed(ErrorCode::kFencedInstanceId));
  }
  Member* member = group->member(request.member_id);
  if (!member) return callback(SyncResult::failed(ErrorCode::kUnknownMemberId));
  if (request.generation_id != group->generation()) return callback(SyncResult::failed(ErrorCode::kIllegalGeneration));
  if ((request.protocol_type && *request.protocol_type != group->protocolType()) ||
      (request.protocol_name && request.protocol_name != group->protocolName())) {
    return callback(SyncResult::failed(ErrorCode::kInconsistentGroupProtocol));
  }
  switch (group->state()) {
    case GroupState::kEmpty:
    case GroupState::kDead:
      return callback(SyncResult::failed(ErrorCode::kUnknownMemberId));
    case GroupState::kPreparingRebalance:
      return callback(SyncResult::failed(ErrorCode::kRebalanceInProgress));
    case GroupState::kStable: {
      touch(*group, *member, member->session_timeout_ms);
      SyncResult result;
      result.protocol_type = group->protocolType();
      result.protocol_name = group->protocolName();
      result.assignment = member->assignment;
      return callback(std::move(result));
    }
    case GroupState::kCompletingRebalance:
      break;
  }
  // Followers wait here until the leader's SyncGroup brings the assignment.
  if (member->awaiting_sync) member->awaiting_sync(SyncResult::failed(ErrorCode::kRebalanceInProgress));
  member->awaiting_sync = std::move(callback);
  touch(*group, *member, member->session_timeout_ms);
  if (!group->isLeader(request.member_id)) return;
  for (auto& [id, m] : group->members()) m.assignment.clear();
  for (auto& [id, assignment] : request.assignments) {
    if (Member* target = group->member(id)) target->assignment = std::move(assignment);
  }
  if (Status stored = storeGroup(*group); !stored.isOk()) {
    spdlog::warn("group {}: storing the assignment failed: {}", group->id(), stored.message());
    failPendingSyncs(*group, ErrorCode::kCoordinatorNotAvailable);
    return prepareRebalance(*group);
  }
  completeSync(*group);
}

void GroupCoordinator::completeSync(Group& group) {
  group.transitionTo(GroupState::kStable, nowMs());
  for (auto& [id, member] : group.members()) {
    if (!member.awaiting_sync) continue;
    SyncResult result;
    result.protocol_type = group.protocolType();
    result.protocol_name = group.protocolName();
    result.assignment = member.assignment;
    touch(group, member, member.session_timeout_ms);
    std::exchange(member.awaiting_sync, nullptr)(std::move(result));
  }
}

// A generation that will not complete: pending SyncGroups fail and the assignments that
// were handed out are void.
void GroupCoordinator::failPendingSyncs(Group& group, ErrorCode error) {
  for (auto& [id, member] : group.members()) {
    member.assignment.clear();
    if (member.awaiting_sync) std::exchange(member.awaiting_sync, nullptr)(SyncResult::failed(error));
  }
}

ErrorCode GroupCoordinator::heartbeat(const std::string& group_id, const std::string& member_id,
                                      const std::optional<std::string>& group_instance_id, int32_t generation_id) {
  Lock lock(mu_);
  Group* group = find(group_id);
  if (!group) return ErrorCode::kUnknownMemberId;
  if (group->is(GroupState::kDead)) return ErrorCode::kCoordinatorNotAvailable;
  if (group->isStaticMemberFenced(member_id, group_instance_id)) return ErrorCode::kFencedInstanceId;
  Member* member = group->member(member_id);
  if (!member || group->is(GroupState::kEmpty)) return ErrorCode::kUnknownMemberId;
  if (generation_id != group->generation()) return ErrorCode::kIllegalGeneration;
  touch(*group, *member, member->session_timeout_ms);
  return group->is(GroupState::kPreparingRebalance) ? ErrorCode::kRebalanceInProgress : ErrorCode::kNone;
}

std::vector<ErrorCode> GroupCoordinator::leave(const std::string& group_id, std::span<const LeavingMember> members) {
  Lock lock(mu_);
  std::vector<ErrorCode> errors;
  Group* group = find(group_id);
  for (const auto& leaving : members) {
    if (!group || group->is(GroupState::kDead)) {
      errors.push_back(group ? ErrorCode::kCoordinatorNotAvailable : ErrorCode::kUnknownMemberId);
      continue;
    }
    std::string member_id = leaving.member_id;
    if (member_id.empty() && leaving.group_instance_id) {
      member_id = group->staticMember(*leaving.group_instance_id).value_or("");
    } else if (group->isStaticMemberFenced(member_id, leaving.group_instance_id)) {
      errors.push_back(ErrorCode::kFencedInstanceId);
      continue;
    }
    if (group->pendingMembers().erase(member_id)) {
      tryCompleteJoin(*group);
      errors.push_back(ErrorCode::kNone);
      continue;
    }
    if (!group->has(member_id)) {
      errors.push_back(ErrorCode::kUnknownMemberId);
      continue;
    }
    spdlog::info("group {}: member {} leaves", group_id, member_id);
    removeMemberAndUpdateGroup(*group, member_id);
    errors.push_back(ErrorCode::kNone);
  }
  return errors;
}

void GroupCoordinator::removeMemberAndUpdateGroup(Group& group, const std::string& member_id) {
  Member& member = *group.member(member_id);
  if (member.awaiting_join) {
    std::exchange(member.awaiting_join, nullptr)(JoinResult::failed(ErrorCode::kUnknownMemberId, member_id));
  }
  if (member.awaiting_sync) std::exchange(member.awaiting_sync, nullptr)(SyncResult::failed(ErrorCode::kUnknownMemberId));
  group.remove(member_id);
  switch (group.state()) {
    case GroupState::kStable:
    case GroupState::kCompletingRebalance:
      return prepareRebalance(group);
    case GroupState::kPreparingRebalance:
      return tryCompleteJoin(group);
    case GroupState::kEmpty:
    case GroupState::kDead:
      return;
  }
}

// Records a sign of life and (re)arms the member's session timer.
void GroupCoordinator::touch(Group& group, Member& member, int64_t timeout_ms) {
  member.last_heartbeat_ms = steadyNowMs();
  uint64_t epoch = ++member.heartbeat_epoch;
  scheduler_.runAfter(std::chrono::milliseconds(timeout_ms),
                      [this, group_id = group.id(), member_id = member.member_id, epoch] {
                        onSessionTimer(group_id, member_id, epoch);
                      });
}

void GroupCoordinator::onSessionTimer(const std::string& group_id, const std::string& member_id, uint64_t epoch) {
  Lock lock(mu_);
  Group* group = find(group_id);
  Member* member = group ? group->member(member_id) : nullptr;
  if (!member || member->heartbeat_epoch != epoch) return;
  // Kafka's shouldKeepAlive: a member inside a rebalance is bounded by the rebalance
  // timeout instead (a new one by the new-member timeout, which armed this timer).
  if (member->awaiting_sync) return;
  if (member->awaiting_join && !member->is_new) return;
  spdlog::info("group {}: member {} session expired", group_id, member_id);
  removeMemberAndUpdateGroup(*group, member_id);
}

void GroupCoordinator::schedulePendingMemberExpiry(const std::string& group_id, const std::string& member_id,
                                                   int32_t timeout_ms) {
  scheduler_.runAfter(std::chrono::milliseconds(timeout_ms), [this, group_id, member_id] {
    Lock lock(mu_);
    Group* group = find(group_id);
    if (group && group->pendingMembers().erase(member_id)) tryCompleteJoin(*group);
  });
}

}  // namespace runnel::broker::group
