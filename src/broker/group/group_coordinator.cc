#include "broker/group/group_coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "broker/request_context.h"
#include "common/uuid.h"

namespace runnel::broker::group {

using protocol::ErrorCode;

namespace {

// Kafka's NewMemberJoinTimeoutMs (KIP-394): a member that joined but never completed a
// rebalance is dropped after this long even if it has a longer session.
constexpr int64_t kNewMemberJoinTimeoutMs = 300000;

// Kafka's member ids: client id, a dash and a java.util.UUID string.
std::string newMemberId(const std::string& client_id) {
  Uuid128 id = randomUuid();
  char text[37];
  std::snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", id[0],
                id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12], id[13], id[14],
                id[15]);
  return client_id + "-" + text;
}

}  // namespace

int64_t steadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

GroupCoordinator::GroupCoordinator(const BrokerConfig& config, OffsetStore& offsets, Scheduler& scheduler)
    : config_(config), offsets_(offsets), scheduler_(scheduler) {}

Group* GroupCoordinator::find(const std::string& group_id) {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : it->second.get();
}

Group& GroupCoordinator::getOrCreate(const std::string& group_id) {
  auto& slot = groups_[group_id];
  if (!slot) {
    slot = std::make_unique<Group>(group_id);
    slot->transitionTo(GroupState::kEmpty, nowMs());
  }
  return *slot;
}

void GroupCoordinator::join(JoinRequest request, JoinCallback callback) {
  Lock lock(mu_);
  if (request.group_id.empty()) return callback(JoinResult::failed(ErrorCode::kInvalidGroupId, request.member_id));
  if (request.session_timeout_ms < config_.group_min_session_timeout_ms ||
      request.session_timeout_ms > config_.group_max_session_timeout_ms) {
    return callback(JoinResult::failed(ErrorCode::kInvalidSessionTimeout, request.member_id));
  }
  bool new_member = request.member_id.empty();
  Group* group = find(request.group_id);
  if (!group) {
    if (!new_member) return callback(JoinResult::failed(ErrorCode::kUnknownMemberId, request.member_id));
    if (!Group(request.group_id).supportsProtocols(request.protocol_type, request.protocols)) {
      return callback(JoinResult::failed(ErrorCode::kInconsistentGroupProtocol, request.member_id));
    }
    group = &getOrCreate(request.group_id);
  }
  if (group->is(GroupState::kDead)) return callback(JoinResult::failed(ErrorCode::kCoordinatorNotAvailable, request.member_id));
  if (!group->supportsProtocols(request.protocol_type, request.protocols)) {
    return callback(JoinResult::failed(ErrorCode::kInconsistentGroupProtocol, request.member_id));
  }
  if (new_member) {
    joinNewMember(*group, request, callback);
  } else {
    joinKnownMember(*group, request, callback);
  }
}

void GroupCoordinator::joinNewMember(Group& group, JoinRequest& request, JoinCallback& callback) {
  std::string member_id = newMemberId(request.client_id);
  if (request.group_instance_id) {
    if (auto old_id = group.staticMember(*request.group_instance_id)) {
      return updateStaticMemberAndRebalance(group, *old_id, member_id, request, callback);
    }
    return addMemberAndRebalance(group, member_id, request, callback);
  }
  if (request.require_known_member_id) {
    group.pendingMembers().insert(member_id);
    schedulePendingMemberExpiry(group.id(), member_id, request.session_timeout_ms);
    return callback(JoinResult::failed(ErrorCode::kMemberIdRequired, member_id));
  }
  addMemberAndRebalance(group, member_id, request, callback);
}

void GroupCoordinator::joinKnownMember(Group& group, JoinRequest& request, JoinCallback& callback) {
  const std::string& member_id = request.member_id;
  if (group.pendingMembers().erase(member_id)) return addMemberAndRebalance(group, member_id, request, callback);
  if (group.isStaticMemberFenced(member_id, request.group_instance_id)) {
    return callback(JoinResult::failed(ErrorCode::kFencedInstanceId, member_id));
  }
  Member* member = group.member(member_id);
  if (!member) return callback(JoinResult::failed(ErrorCode::kUnknownMemberId, member_id));
  switch (group.state()) {
    case GroupState::kPreparingRebalance:
      return updateMemberAndRebalance(group, *member, request, callback);
    case GroupState::kCompletingRebalance:
      // A retried JoinGroup of this generation gets the same answer again.
      if (member->protocols == request.protocols) {
        return callback(currentJoinResult(group, *member, group.isLeader(member_id)));
      }
      return updateMemberAndRebalance(group, *member, request, callback);
    case GroupState::kStable:
      // The leader rejoining means it wants a new assignment (a subscription change).
      if (group.isLeader(member_id) || member->protocols != request.protocols) {
        return updateMemberAndRebalance(group, *member, request, callback);
      }
      return callback(currentJoinResult(group, *member, false));
    case GroupState::kEmpty:
    case GroupState::kDead:
      return callback(JoinResult::failed(ErrorCode::kUnknownMemberId, member_id));
  }
}

void GroupCoordinator::addMemberAndRebalance(Group& group, const std::string& member_id, JoinRequest& request,
                                             JoinCallback& callback) {
  Member member;
  member.member_id = member_id;
  member.group_instance_id = request.group_instance_id;
  member.client_id = request.client_id;
  member.client_host = request.client_host;
  member.session_timeout_ms = request.session_timeout_ms;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.protocol_type = request.protocol_type;
  member.protocols = std::move(request.protocols);
  member.awaiting_join = std::move(callback);
  member.is_new = true;
  if (group.initial_delay_active) group.new_member_added = true;
  group.add(std::move(member));
  touch(group, *group.member(member_id), kNewMemberJoinTimeoutMs);
  maybePrepareRebalance(group);
}

void GroupCoordinator::updateMemberAndRebalance(Group& group, Member& member, JoinRequest& request,
                                                JoinCallback& callback) {
  member.protocols = std::move(request.protocols);
  member.session_timeout_ms = request.session_timeout_ms;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.client_id = request.client_id;
  member.client_host = request.client_host;
  if (member.awaiting_join) member.awaiting_join(JoinResult::failed(ErrorCode::kRebalanceInProgress, member.member_id));
  member.awaiting_join = std::move(callback);
  maybePrepareRebalance(group);
}

// A static member came back with a new process: it takes over the old member id's
// place, and in a Stable group keeps its assignment without a rebalance.
void GroupCoordinator::updateStaticMemberAndRebalance(Group& group, const std::string& old_id,
                                                      const std::string& new_id, JoinRequest& request,
                                                      JoinCallback& callback) {
  std::string leader_before = group.leader();
  Member& old_member = *group.member(old_id);
  if (old_member.awaiting_join) {
    std::exchange(old_member.awaiting_join, nullptr)(JoinResult::failed(ErrorCode::kFencedInstanceId, old_id));
  }
  if (old_member.awaiting_sync) {
    std::exchange(old_member.awaiting_sync, nullptr)(SyncResult::failed(ErrorCode::kFencedInstanceId));
  }
  group.replaceStaticMember(*request.group_instance_id, old_id, new_id);
  Member& member = *group.member(new_id);
  member.client_id = request.client_id;
  member.client_host = request.client_host;
  member.session_timeout_ms = request.session_timeout_ms;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.protocols = std::move(request.protocols);
  touch(group, member, member.session_timeout_ms);
  // Kafka rebalances only if the new metadata would change the group's protocol.
  if (group.is(GroupState::kStable) && group.protocolName() == group.selectProtocol()) {
    if (Status s = storeGroup(group); !s.isOk()) spdlog::warn("group {}: {}", group.id(), s.message());
    // The old leader id is answered, as Kafka does: the member then acts as a follower and
    // fetches its unchanged assignment with SyncGroup instead of reassigning.
    JoinResult result = currentJoinResult(group, member, false);
    result.leader = leader_before;
    return callback(std::move(result));
  }
  member.awaiting_join = std::move(callback);
  maybePrepareRebalance(group);
}

void GroupCoordinator::maybePrepareRebalance(Group& group) {
  switch (group.state()) {
    case GroupState::kStable:
    case GroupState::kCompletingRebalance:
    case GroupState::kEmpty:
      return prepareRebalance(group);
    case GroupState::kPreparingRebalance:
      return tryCompleteJoin(group);
    case GroupState::kDead:
      return;
  }
}

int32_t GroupCoordinator::rebalanceTimeoutMs(const Group& group) const {
  int32_t timeout = 0;
  for (const auto& [id, member] : group.members()) timeout = std::max(timeout, member.rebalance_timeout_ms);
  return timeout;
}

void GroupCoordinator::prepareRebalance(Group& group) {
  if (group.is(GroupState::kCompletingRebalance)) failPendingSyncs(group, ErrorCode::kRebalanceInProgress);
  bool initial = group.is(GroupState::kEmpty);
  group.transitionTo(GroupState::kPreparingRebalance, nowMs());
  uint64_t epoch = ++group.rebalance_epoch;
  int64_t timeout = rebalanceTimeoutMs(group);
  if (initial) {
    // group.initial.rebalance.delay.ms: let more members of a starting group arrive
    // before the first generation, as long as new ones keep coming (within the
    // rebalance timeout).
    group.initial_delay_active = true;
    group.new_member_added = false;
    int64_t delay = std::min(config_.group_initial_rebalance_delay_ms, timeout);
    scheduleInitialJoin(group.id(), epoch, delay, std::max<int64_t>(timeout - delay, 0));
    return;
  }
  scheduler_.runAfter(std::chrono::milliseconds(timeout), [this, id = group.id(), epoch] {
    Lock lock(mu_);
    Group* g = find(id);
    if (g && g->rebalance_epoch == epoch) completeJoin(*g);
  });
  tryCompleteJoin(group);
}

void GroupCoordinator::scheduleInitialJoin(const std::string& group_id, uint64_t epoch, int64_t delay_ms,
                                           int64_t remaining_ms) {
  scheduler_.runAfter(std::chrono::milliseconds(delay_ms), [this, group_id, epoch, remaining_ms] {
    Lock lock(mu_);
    Group* group = find(group_id);
    if (!group || group->rebalance_epoch != epoch) return;
    if (group->new_member_added && remaining_ms > 0) {
      group->new_member_added = false;
      int64_t next = std::min(std::max<int64_t>(config_.group_initial_rebalance_delay_ms, 1), remaining_ms);
      return scheduleInitialJoin(group_id, epoch, next, remaining_ms - next);
    }
    completeJoin(*group);
  });
}

void GroupCoordinator::tryCompleteJoin(Group& group) {
  if (group.is(GroupState::kPreparingRebalance) && !group.initial_delay_active && group.allMembersJoined()) {
    completeJoin(group);
  }
}

void GroupCoordinator::completeJoin(Group& group) {
  if (!group.is(GroupState::kPreparingRebalance)) return;
  ++group.rebalance_epoch;
  group.initial_delay_active = false;
  std::vector<std::string> not_rejoined;
  for (const auto& [id, member] : group.members()) {
    if (!member.awaiting_join) not_rejoined.push_back(id);
  }
  for (const auto& id : not_rejoined) {
    spdlog::info("group {}: member {} did not rejoin in time and is removed", group.id(), id);
    group.remove(id);
  }
  group.initNextGeneration(nowMs());
  if (group.is(GroupState::kEmpty)) {
    if (Status s = storeGroup(group); !s.isOk()) spdlog::warn("group {}: {}", group.id(), s.message());
    return;
  }
  spdlog::info("group {}: generation {} with {} members, protocol {}, leader {}", group.id(), group.generation(),
               group.members().size(), group.protocolName().value_or(""), group.leader());
  for (auto& [id, member] : group.members()) {
    JoinResult result = currentJoinResult(group, member, group.isLeader(id));
    member.is_new = false;
    touch(group, member, member.session_timeout_ms);
    std::exchange(member.awaiting_join, nullptr)(std::move(result));
  }
}

JoinResult GroupCoordinator::currentJoinResult(const Group& group, const Member& member, bool with_members) const {
  JoinResult result;
  result.generation_id = group.generation();
  result.protocol_type = group.protocolType();
  result.protocol_name = group.protocolName();
  result.leader = group.leader();
  result.member_id = member.member_id;
  if (with_members && group.protocolName()) {
    for (const auto& [id, m] : group.members()) {
      const Bytes* metadata = m.metadataFor(*group.protocolName());
      result.members.push_back({id, m.group_instance_id, metadata ? *metadata : Bytes()});
    }
  }
  return result;
}

}  // namespace runnel::broker::group
