#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/broker_config.h"
#include "broker/group/group.h"
#include "broker/offset_store.h"
#include "broker/scheduler.h"

namespace runnel::broker::group {

// The classic consumer group protocol, broker side, as Kafka's GroupCoordinator runs it:
// JoinGroup/SyncGroup rebalances, heartbeats and session expiry, static membership,
// group administration, and the membership checks of OffsetCommit. Group metadata is
// written to __consumer_offsets through the OffsetStore and reloaded on start.
//
// Thread-safe: one mutex serializes every group change (the coordinator's "strand").
// Nothing blocks under it but the append of a group record. Delayed answers (JoinGroup,
// SyncGroup) are callbacks, called under the mutex; they must only hand a response to
// a connection. Timers run on the Scheduler and re-check their state, so a stale timer
// does nothing.
class GroupCoordinator {
 public:
  GroupCoordinator(const BrokerConfig& config, OffsetStore& offsets, Scheduler& scheduler);

  // Loads the groups found in __consumer_offsets (members come back in a Stable group,
  // with fresh session timers) and starts the offsets retention timer.
  void start();

  struct JoinRequest {
    std::string group_id;
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    int32_t session_timeout_ms = 0;
    int32_t rebalance_timeout_ms = 0;
    std::string protocol_type;
    std::vector<std::pair<std::string, Bytes>> protocols;
    // JoinGroup v4+: a member without an id gets one with MEMBER_ID_REQUIRED first.
    bool require_known_member_id = false;
  };
  void join(JoinRequest request, JoinCallback callback);

  struct SyncRequest {
    std::string group_id;
    int32_t generation_id = -1;
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::optional<std::string> protocol_type;
    std::optional<std::string> protocol_name;
    std::vector<std::pair<std::string, Bytes>> assignments;
  };
  void sync(SyncRequest request, SyncCallback callback);

  protocol::ErrorCode heartbeat(const std::string& group_id, const std::string& member_id,
                                const std::optional<std::string>& group_instance_id, int32_t generation_id);

  struct LeavingMember {
    std::string member_id;
    std::optional<std::string> group_instance_id;
  };
  // One error per leaving member.
  std::vector<protocol::ErrorCode> leave(const std::string& group_id, std::span<const LeavingMember> members);

  struct Listing {
    std::string group_id;
    std::string protocol_type;
    std::string state;
  };
  std::vector<Listing> list() const;

  struct Description {
    std::string group_id;
    std::string state;
    std::string protocol_type;
    std::string protocol;
    struct MemberDescription {
      std::string member_id;
      std::optional<std::string> group_instance_id;
      std::string client_id;
      std::string client_host;
      Bytes metadata;
      Bytes assignment;
    };
    std::vector<MemberDescription> members;
  };
  Description describe(const std::string& group_id) const;

  protocol::ErrorCode deleteGroup(const std::string& group_id);

  // Checks the committer against the group (generation, member id, instance id) and
  // stores the offsets; the error applies to every partition of the request.
  protocol::ErrorCode commitOffsets(const std::string& group_id, int32_t generation_id, const std::string& member_id,
                                    const std::optional<std::string>& group_instance_id,
                                    std::span<const OffsetCommitEntry> entries);

  // OffsetDelete: a group-level error, or one error per partition (in order).
  struct OffsetDeleteResult {
    protocol::ErrorCode error = protocol::ErrorCode::kNone;
    std::vector<protocol::ErrorCode> partition_errors;
  };
  OffsetDeleteResult deleteOffsets(const std::string& group_id,
                                   std::span<const std::pair<std::string, int32_t>> partitions);

  // Expires the committed offsets of Empty groups older than offsets.retention.minutes;
  // runs every offsets.retention.check.interval.ms. Public for tests.
  void expireOffsets(int64_t now_ms);

 private:
  using Lock = std::unique_lock<std::mutex>;

  Group* find(const std::string& group_id);
  Group& getOrCreate(const std::string& group_id);

  // Joining and rebalancing (group_coordinator.cc).
  void joinNewMember(Group& group, JoinRequest& request, JoinCallback& callback);
  void joinKnownMember(Group& group, JoinRequest& request, JoinCallback& callback);
  void addMemberAndRebalance(Group& group, const std::string& member_id, JoinRequest& request,
                             JoinCallback& callback);
  void updateMemberAndRebalance(Group& group, Member& member, JoinRequest& request, JoinCallback& callback);
  void updateStaticMemberAndRebalance(Group& group, const std::string& old_id, const std::string& new_id,
                                      JoinRequest& request, JoinCallback& callback);
  void maybePrepareRebalance(Group& group);
  void prepareRebalance(Group& group);
  void scheduleInitialJoin(const std::string& group_id, uint64_t epoch, int64_t delay_ms, int64_t remaining_ms);
  void tryCompleteJoin(Group& group);
  void completeJoin(Group& group);
  JoinResult currentJoinResult(const Group& group, const Member& member, bool with_members) const;
  int32_t rebalanceTimeoutMs(const Group& group) const;

  // Members (group_membership.cc).
  void completeSync(Group& group);
  void failPendingSyncs(Group& group, protocol::ErrorCode error);
  void touch(Group& group, Member& member, int64_t timeout_ms);
  void onSessionTimer(const std::string& group_id, const std::string& member_id, uint64_t epoch);
  void schedulePendingMemberExpiry(const std::string& group_id, const std::string& member_id, int32_t timeout_ms);
  void removeMemberAndUpdateGroup(Group& group, const std::string& member_id);

  // Persistence (group_admin.cc).
  Status storeGroup(const Group& group);
  void scheduleRetention();

  const BrokerConfig& config_;
  OffsetStore& offsets_;
  Scheduler& scheduler_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Group>> groups_;
};

// Monotonic milliseconds, for session deadlines.
int64_t steadyNowMs();

}  // namespace runnel::broker::group
