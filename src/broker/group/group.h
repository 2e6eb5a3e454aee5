#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "protocol/error_code.h"

namespace runnel::broker::group {

// Kafka's classic group states (GroupState in GroupMetadata.scala).
enum class GroupState { kEmpty, kPreparingRebalance, kCompletingRebalance, kStable, kDead };

const char* stateName(GroupState state);

// What a member's pending JoinGroup is answered with.
struct JoinResult {
  protocol::ErrorCode error = protocol::ErrorCode::kNone;
  int32_t generation_id = -1;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::string leader;
  std::string member_id;
  // Every member's metadata for the chosen protocol; only the leader gets it.
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    Bytes metadata;
  };
  std::vector<Member> members;

  static JoinResult failed(protocol::ErrorCode error, std::string member_id) {
    JoinResult result;
    result.error = error;
    result.member_id = std::move(member_id);
    return result;
  }
};

struct SyncResult {
  protocol::ErrorCode error = protocol::ErrorCode::kNone;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  Bytes assignment;

  static SyncResult failed(protocol::ErrorCode error) {
    SyncResult result;
    result.error = error;
    return result;
  }
};

using JoinCallback = std::function<void(JoinResult)>;
using SyncCallback = std::function<void(SyncResult)>;

struct Member {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = 0;
  std::string protocol_type;
  // (name, metadata) in the member's order of preference.
  std::vector<std::pair<std::string, Bytes>> protocols;
  Bytes assignment;

  JoinCallback awaiting_join;
  SyncCallback awaiting_sync;
  // Steady-clock ms of the last sign of life; the session expires session_timeout_ms later.
  int64_t last_heartbeat_ms = 0;
  // Bumped on every heartbeat so that a stale expiry timer knows it is stale.
  uint64_t heartbeat_epoch = 0;
  // A JoinGroup by a member not yet in a generation (KIP-394 new member timeout).
  bool is_new = false;

  const Bytes* metadataFor(const std::string& protocol) const;
};

// One consumer group's membership and generation. Not thread-safe: the coordinator
// serializes every access.
class Group {
 public:
  explicit Group(std::string id) : id_(std::move(id)) {}

  const std::string& id() const { return id_; }
  GroupState state() const { return state_; }
  void transitionTo(GroupState state, int64_t now_ms);
  int64_t stateTimestampMs() const { return state_timestamp_ms_; }
  bool is(GroupState state) const { return state_ == state; }

  int32_t generation() const { return generation_; }
  const std::string& protocolType() const { return protocol_type_; }
  const std::optional<std::string>& protocolName() const { return protocol_name_; }
  const std::string& leader() const { return leader_; }
  bool isLeader(const std::string& member_id) const { return leader_ == member_id; }

  std::map<std::string, Member>& members() { return members_; }
  const std::map<std::string, Member>& members() const { return members_; }
  Member* member(const std::string& member_id);
  bool has(const std::string& member_id) const { return members_.count(member_id) > 0; }
  void add(Member member);
  void remove(const std::string& member_id);

  // Static membership: group.instance.id -> current member id.
  std::optional<std::string> staticMember(const std::string& instance_id) const;
  // True when instance_id belongs to another member id than member_id.
  bool isStaticMemberFenced(const std::string& member_id, const std::optional<std::string>& instance_id) const;
  // Gives a static member a new member id, keeping its assignment and leadership.
  void replaceStaticMember(const std::string& instance_id, const std::string& old_id, const std::string& new_id);

  // MEMBER_ID_REQUIRED ids handed out and not yet used in a JoinGroup.
  std::set<std::string>& pendingMembers() { return pending_members_; }

  // Whether a joining member's protocols fit the group's.
  bool supportsProtocols(const std::string& protocol_type,
                         const std::vector<std::pair<std::string, Bytes>>& protocols) const;
  // Kafka's vote: each member votes for its most preferred protocol among those every
  // member supports; the one with most votes wins.
  std::string selectProtocol() const;
  // Starts the next generation (CompletingRebalance, or Empty when nobody is left).
  void initNextGeneration(int64_t now_ms);
  // Restores a persisted generation (loading __consumer_offsets).
  void restore(std::string protocol_type, int32_t generation, std::optional<std::string> protocol_name,
               std::string leader, int64_t state_timestamp_ms);

  bool allMembersJoined() const;
  size_t awaitingJoinCount() const;
  // Topics the members subscribe to, for a "consumer" group in a generation.
  std::set<std::string> subscribedTopics() const;

  // Rebalance bookkeeping: a new JoinGroup arrived during the initial delay, and a
  // counter that invalidates stale rebalance timers.
  bool new_member_added = false;
  bool initial_delay_active = false;
  uint64_t rebalance_epoch = 0;

 private:
  std::string id_;
  GroupState state_ = GroupState::kEmpty;
  int64_t state_timestamp_ms_ = 0;
  int32_t generation_ = 0;
  std::string protocol_type_;
  std::optional<std::string> protocol_name_;
  std::string leader_;
  std::map<std::string, Member> members_;
  std::map<std::string, std::string> static_members_;
  std::set<std::string> pending_members_;
};

}  // namespace runnel::broker::group
