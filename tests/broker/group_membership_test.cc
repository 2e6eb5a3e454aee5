// The group state machine through the wire protocol: joins, rebalances, followers
// waiting for the leader, session expiry, leaving, static members.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "broker/group_test_client.h"
#include "broker/test_broker.h"

namespace runnel::testing {
namespace {

using namespace std::chrono_literals;
using protocol::ErrorCode;
using protocol::wire;

void fastGroups(broker::BrokerConfig& config) {
  config.group_initial_rebalance_delay_ms = 0;
  config.group_min_session_timeout_ms = 100;
}

class GroupMembershipTest : public ::testing::Test {
 protected:
  TestBroker broker_{{}, fastGroups};
};

// Heartbeats until the coordinator announces a rebalance (a JoinGroup sent from another
// thread has arrived); the last error.
int16_t heartbeatUntilRebalance(GroupMember& member) {
  int16_t error = 0;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (error == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    error = member.heartbeat();
  }
  return error;
}

template <typename T>
bool stillWaiting(std::future<T>& f, std::chrono::milliseconds wait = 300ms) {
  return f.wait_for(wait) == std::future_status::timeout;
}

// A alone, then B joins: A is told to rejoin, both get generation 2, the leader gets
// the member list and hands out the assignments; B's SyncGroup waits for the leader.
void formTwoMemberGroup(GroupMember& a, GroupMember& b) {
  auto joined = a.join();
  ASSERT_TRUE(joined);
  ASSERT_EQ(joined->error_code, 0);
  EXPECT_EQ(joined->generation_id, 1);
  EXPECT_EQ(joined->leader, a.member_id);
  ASSERT_EQ(joined->members.size(), 1u);
  auto synced = a.sync({{a.member_id, "assign-a"}});
  ASSERT_TRUE(synced);
  EXPECT_EQ(asString(synced->assignment), "assign-a");
  EXPECT_EQ(a.heartbeat(), 0);

  auto b_join = b.joinAsync();
  EXPECT_TRUE(stillWaiting(b_join));  // the rebalance waits for A
  EXPECT_EQ(a.heartbeat(), wire(ErrorCode::kRebalanceInProgress));
  auto a_join = a.joinAsync();
  auto a_joined = a_join.get();
  auto b_joined = b_join.get();
  ASSERT_TRUE(a_joined && b_joined);
  ASSERT_EQ(a_joined->error_code, 0);
  ASSERT_EQ(b_joined->error_code, 0);
  EXPECT_EQ(a_joined->generation_id, 2);
  EXPECT_EQ(b_joined->generation_id, 2);
  EXPECT_EQ(a_joined->leader, a.member_id);
  EXPECT_EQ(b_joined->leader, a.member_id);
  EXPECT_EQ(a_joined->members.size(), 2u);
  EXPECT_TRUE(b_joined->members.empty());
  EXPECT_EQ(a_joined->protocol_name, "range");

  auto b_sync = b.syncAsync();
  EXPECT_TRUE(stillWaiting(b_sync));  // the follower waits for the leader's SyncGroup
  auto a_synced = a.sync({{a.member_id, "assign-a"}, {b.member_id, "assign-b"}});
  auto b_synced = b_sync.get();
  ASSERT_TRUE(a_synced && b_synced);
  EXPECT_EQ(a_synced->error_code, 0);
  EXPECT_EQ(b_synced->error_code, 0);
  EXPECT_EQ(asString(a_synced->assignment), "assign-a");
  EXPECT_EQ(asString(b_synced->assignment), "assign-b");
  EXPECT_EQ(a.heartbeat(), 0);
  EXPECT_EQ(b.heartbeat(), 0);
}

TEST_F(GroupMembershipTest, TwoMembersJoinSyncAndHeartbeat) {
  GroupMember a(broker_.port(), "g"), b(broker_.port(), "g");
  formTwoMemberGroup(a, b);
}

TEST_F(GroupMembershipTest, FirstJoinWithoutMemberIdIsAskedToRejoin) {
  GroupMember a(broker_.port(), "g");
  auto first = a.joinOnce(4);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->error_code, wire(ErrorCode::kMemberIdRequired));
  EXPECT_FALSE(first->member_id.empty());
  auto second = a.joinOnce(4);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->error_code, 0);
  EXPECT_EQ(second->member_id, first->member_id);
  EXPECT_EQ(second->leader, first->member_id);

  // Before v4 the member id is handed out with the first answer.
  GroupMember old(broker_.port(), "g-old");
  auto joined = old.joinOnce(3);
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->error_code, 0);
  EXPECT_FALSE(joined->member_id.empty());
}

TEST_F(GroupMembershipTest, InvalidSessionTimeoutAndUnknownMember) {
  GroupMember a(broker_.port(), "g");
  a.session_timeout_ms = 50;  // below group.min.session.timeout.ms
  auto joined = a.join();
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->error_code, wire(ErrorCode::kInvalidSessionTimeout));
  GroupMember ghost(broker_.port(), "g");
  ghost.member_id = "nobody";
  ghost.generation = 1;
  EXPECT_EQ(ghost.heartbeat(), wire(ErrorCode::kUnknownMemberId));
  auto rejoined = ghost.joinOnce();
  ASSERT_TRUE(rejoined);
  EXPECT_EQ(rejoined->error_code, wire(ErrorCode::kUnknownMemberId));
}

TEST_F(GroupMembershipTest, SessionTimeoutExpiresSilentMember) {
  GroupMember a(broker_.port(), "g"), b(broker_.port(), "g");
  b.session_timeout_ms = 400;
  formTwoMemberGroup(a, b);
  // B goes silent; A keeps heartbeating until it is told to rejoin.
  ASSERT_EQ(heartbeatUntilRebalance(a), wire(ErrorCode::kRebalanceInProgress));
  auto joined = a.join();
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->error_code, 0);
  EXPECT_EQ(joined->generation_id, 3);
  ASSERT_EQ(joined->members.size(), 1u);
  EXPECT_EQ(joined->members[0].member_id, a.member_id);
  EXPECT_EQ(b.heartbeat(), wire(ErrorCode::kUnknownMemberId));
}

TEST_F(GroupMembershipTest, LeaveTriggersRebalance) {
  GroupMember a(broker_.port(), "g"), b(broker_.port(), "g");
  formTwoMemberGroup(a, b);
  EXPECT_EQ(a.leave(), 0);  // the leader leaves: B leads the next generation
  EXPECT_EQ(b.heartbeat(), wire(ErrorCode::kRebalanceInProgress));
  auto joined = b.join();
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->error_code, 0);
  EXPECT_EQ(joined->generation_id, 3);
  EXPECT_EQ(joined->leader, b.member_id);
  EXPECT_EQ(joined->members.size(), 1u);
  EXPECT_EQ(a.leave(), wire(ErrorCode::kUnknownMemberId));
}

TEST_F(GroupMembershipTest, MemberThatDoesNotRejoinIsDroppedAtRebalanceTimeout) {
  GroupMember a(broker_.port(), "g"), b(broker_.port(), "g");
  a.rebalance_timeout_ms = 500;
  b.rebalance_timeout_ms = 500;
  formTwoMemberGroup(a, b);
  // A rejoins (new subscription); B keeps heartbeating but never rejoins.
  a.metadata = "subscription-2";
  auto a_join = a.joinAsync();
  EXPECT_EQ(heartbeatUntilRebalance(b), wire(ErrorCode::kRebalanceInProgress));
  auto joined = a_join.get();
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->error_code, 0);
  EXPECT_EQ(joined->generation_id, 3);
  EXPECT_EQ(joined->members.size(), 1u);
}

TEST_F(GroupMembershipTest, StaticMemberRejoinKeepsAssignmentWithoutRebalance) {
  GroupMember a(broker_.port(), "g"), b(broker_.port(), "g");
  a.instance_id = "instance-a";
  formTwoMemberGroup(a, b);

  // A's process restarts: same instance id, no member id.
  GroupMember a2(broker_.port(), "g");
  a2.instance_id = "instance-a";
  auto joined = a2.join();
  ASSERT_TRUE(joined);
  ASSERT_EQ(joined->error_code, 0);
  EXPECT_EQ(joined->generation_id, 2);
  EXPECT_NE(a2.member_id, a.member_id);
  // The old leader id comes back, so the member does not reassign: it syncs as a follower.
  EXPECT_EQ(joined->leader, a.member_id);
  auto synced = a2.sync();
  ASSERT_TRUE(synced);
  EXPECT_EQ(synced->error_code, 0);
  EXPECT_EQ(asString(synced->assignment), "assign-a");
  EXPECT_EQ(b.heartbeat(), 0);  // no rebalance for the other member
  EXPECT_EQ(a2.heartbeat(), 0);
  EXPECT_EQ(a.heartbeat(), wire(ErrorCode::kFencedInstanceId));
}

TEST_F(GroupMembershipTest, CommitsAreCheckedAgainstTheGeneration) {
  createTopicRaw(broker_.port(), "t", 2);
  GroupMember a(broker_.port(), "g"), b(broker_.port(), "g");
  formTwoMemberGroup(a, b);
  EXPECT_EQ(a.commit("t", 0, 10), 0);
  a.generation += 1;
  EXPECT_EQ(a.commit("t", 0, 11), wire(ErrorCode::kIllegalGeneration));
  a.generation -= 1;
  GroupMember stranger(broker_.port(), "g");
  stranger.member_id = "stranger";
  stranger.generation = a.generation;
  EXPECT_EQ(stranger.commit("t", 0, 12), wire(ErrorCode::kUnknownMemberId));
  // A consumer that assigns itself (generation -1, no member id) may only commit into a
  // group without members.
  GroupMember simple(broker_.port(), "g");
  EXPECT_EQ(simple.commit("t", 1, 5), wire(ErrorCode::kUnknownMemberId));
  GroupMember simple_elsewhere(broker_.port(), "standalone");
  EXPECT_EQ(simple_elsewhere.commit("t", 1, 5), 0);
  // During a rebalance that is completing, commits wait for the new generation. The
  // leader's JoinGroup starts the rebalance (a follower's alone would just get the
  // current generation back).
  auto a_join = a.joinAsync();
  ASSERT_EQ(heartbeatUntilRebalance(b), wire(ErrorCode::kRebalanceInProgress));
  auto b_join = b.joinAsync();
  ASSERT_EQ(a_join.get()->error_code, 0);
  ASSERT_EQ(b_join.get()->error_code, 0);
  EXPECT_EQ(b.commit("t", 1, 7), wire(ErrorCode::kRebalanceInProgress));
}

}  // namespace
}  // namespace runnel::testing
