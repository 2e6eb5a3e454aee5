// Groups as stored and administered: restart, ListGroups, DescribeGroups, DeleteGroups,
// OffsetDelete, offsets retention.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "broker/group_test_client.h"
#include "broker/test_broker.h"
#include "protocol/messages/delete_groups.h"
#include "protocol/messages/describe_groups.h"
#include "protocol/messages/list_groups.h"
#include "protocol/messages/offset_delete.h"
#include "protocol/messages/offset_fetch.h"

namespace runnel::testing {
namespace {

using namespace std::chrono_literals;
using protocol::ErrorCode;
using protocol::wire;

// ConsumerProtocolSubscription v0 for `topic`.
std::string subscriptionTo(const std::string& topic) {
  Bytes out;
  ByteWriter w(out);
  w.be16(0);
  w.be32(1);
  w.be16(uint16_t(topic.size()));
  w.raw(topic);
  w.be32(uint32_t(-1));  // no user data
  return asString(out);
}

class GroupAdminTest : public ::testing::Test {
 protected:
  TestBroker broker_{{}, [](broker::BrokerConfig& config) {
                       config.group_initial_rebalance_delay_ms = 0;
                       config.group_min_session_timeout_ms = 100;
                       config.offsets_retention_ms = retention_ms_;
                       config.offsets_retention_check_interval_ms = 100;
                     }};
  std::unique_ptr<RawClient> admin_ = std::make_unique<RawClient>(broker_.port());
  static inline int64_t retention_ms_ = 3600000;

  void restart() {
    broker_.restart();
    admin_ = std::make_unique<RawClient>(broker_.port());
  }

  // One member in a Stable generation with assignment "assign".
  void stableMember(GroupMember& member) {
    auto joined = member.join();
    ASSERT_TRUE(joined);
    ASSERT_EQ(joined->error_code, 0);
    auto synced = member.sync({{member.member_id, "assign"}});
    ASSERT_TRUE(synced);
    ASSERT_EQ(synced->error_code, 0);
  }

  protocol::DescribeGroupsResponse::DescribedGroup describe(const std::string& group) {
    protocol::DescribeGroupsRequest request;
    request.groups.push_back(group);
    auto response = admin_->call<protocol::DescribeGroupsResponse>(request, 4);
    if (!response || response->groups.size() != 1) throw std::runtime_error("DescribeGroups failed");
    return response->groups[0];
  }

  std::vector<std::string> list(std::vector<std::string> states = {}) {
    protocol::ListGroupsRequest request;
    request.states_filter = std::move(states);
    auto response = admin_->call<protocol::ListGroupsResponse>(request, 4);
    if (!response) throw std::runtime_error("ListGroups failed");
    std::vector<std::string> out;
    for (const auto& g : response->groups) out.push_back(g.group_id + ":" + g.group_state);
    std::sort(out.begin(), out.end());
    return out;
  }

  int64_t committed(const std::string& group, const std::string& topic, int32_t partition) {
    protocol::OffsetFetchRequest request;
    request.group_id = group;
    request.topics.emplace();
    request.topics->push_back({topic, {partition}, {}});
    auto response = admin_->call<protocol::OffsetFetchResponse>(request, 7);
    if (!response) throw std::runtime_error("OffsetFetch failed");
    return response->topics.at(0).partitions.at(0).committed_offset;
  }

  int16_t deleteGroup(const std::string& group) {
    protocol::DeleteGroupsRequest request;
    request.groups_names.push_back(group);
    auto response = admin_->call<protocol::DeleteGroupsResponse>(request, 2);
    return response ? response->results.at(0).error_code : int16_t(-100);
  }

  // OffsetDelete of one partition: {group error, partition error}.
  std::pair<int16_t, int16_t> deleteOffset(const std::string& group, const std::string& topic) {
    protocol::OffsetDeleteRequest request;
    request.group_id = group;
    request.topics.push_back({topic, {{0, {}}}, {}});
    auto response = admin_->call<protocol::OffsetDeleteResponse>(request, 0);
    if (!response) return {-100, -100};
    if (response->error_code != 0) return {response->error_code, 0};
    return {0, response->topics.at(0).partitions.at(0).error_code};
  }
};

TEST_F(GroupAdminTest, GroupStateAndOffsetsSurviveRestart) {
  createTopicRaw(broker_.port(), "t", 1);
  std::string member_id;
  int32_t generation;
  {
    GroupMember a(broker_.port(), "g");
    a.instance_id = "static-a";
    stableMember(a);
    ASSERT_EQ(a.commit("t", 0, 42), 0);
    member_id = a.member_id;
    generation = a.generation;
  }
  restart();

  auto group = describe("g");
  EXPECT_EQ(group.group_state, "Stable");
  EXPECT_EQ(group.protocol_type, "consumer");
  EXPECT_EQ(group.protocol_data, "range");
  ASSERT_EQ(group.members.size(), 1u);
  EXPECT_EQ(group.members[0].member_id, member_id);
  EXPECT_EQ(group.members[0].group_instance_id, "static-a");
  EXPECT_EQ(asString(group.members[0].member_assignment), "assign");
  EXPECT_EQ(group.members[0].client_host, "/127.0.0.1");
  EXPECT_EQ(committed("g", "t", 0), 42);

  // The member carries on in its generation, as after a coordinator move in Kafka.
  GroupMember a(broker_.port(), "g");
  a.member_id = member_id;
  a.generation = generation;
  a.instance_id = "static-a";
  EXPECT_EQ(a.heartbeat(), 0);
  EXPECT_EQ(a.commit("t", 0, 43), 0);
  EXPECT_EQ(a.leave(), 0);
  EXPECT_EQ(describe("g").group_state, "Empty");

  restart();
  EXPECT_EQ(describe("g").group_state, "Empty");
  EXPECT_EQ(committed("g", "t", 0), 43);
}

TEST_F(GroupAdminTest, ListDescribeAndDelete) {
  createTopicRaw(broker_.port(), "t", 1);
  GroupMember a(broker_.port(), "busy");
  a.metadata = subscriptionTo("t");
  stableMember(a);
  ASSERT_EQ(a.commit("t", 0, 7), 0);
  GroupMember simple(broker_.port(), "offsets-only");
  ASSERT_EQ(simple.commit("t", 0, 3), 0);

  EXPECT_EQ(list(), (std::vector<std::string>{"busy:Stable", "offsets-only:Empty"}));
  EXPECT_EQ(list({"stable"}), (std::vector<std::string>{"busy:Stable"}));
  auto busy = describe("busy");
  ASSERT_EQ(busy.members.size(), 1u);
  EXPECT_EQ(busy.members[0].client_id, "raw-client");
  EXPECT_EQ(asString(busy.members[0].member_metadata), subscriptionTo("t"));
  EXPECT_EQ(describe("nothing").group_state, "Dead");

  EXPECT_EQ(deleteGroup("busy"), wire(ErrorCode::kNonEmptyGroup));
  EXPECT_EQ(deleteGroup("nothing"), wire(ErrorCode::kGroupIdNotFound));
  EXPECT_EQ(deleteOffset("busy", "t"), std::make_pair(int16_t(0), wire(ErrorCode::kGroupSubscribedToTopic)));
  EXPECT_EQ(committed("busy", "t", 0), 7);
  EXPECT_EQ(deleteOffset("offsets-only", "t"), std::make_pair(int16_t(0), int16_t(0)));
  EXPECT_EQ(committed("offsets-only", "t", 0), -1);
  EXPECT_EQ(deleteOffset("nothing", "t").first, wire(ErrorCode::kGroupIdNotFound));

  ASSERT_EQ(a.leave(), 0);
  EXPECT_EQ(deleteGroup("busy"), 0);
  EXPECT_EQ(describe("busy").group_state, "Dead");
  EXPECT_EQ(committed("busy", "t", 0), -1);
  // Deleted for good: tombstones, not just memory.
  restart();
  EXPECT_EQ(committed("busy", "t", 0), -1);
  EXPECT_EQ(describe("busy").group_state, "Dead");
}

class GroupRetentionTest : public GroupAdminTest {
 protected:
  static void SetUpTestSuite() { retention_ms_ = 300; }
  static void TearDownTestSuite() { retention_ms_ = 3600000; }
};

TEST_F(GroupRetentionTest, OffsetsOfEmptyGroupsExpire) {
  createTopicRaw(broker_.port(), "t", 1);
  GroupMember member(broker_.port(), "live");
  stableMember(member);
  ASSERT_EQ(member.commit("t", 0, 5), 0);
  GroupMember simple(broker_.port(), "gone");
  ASSERT_EQ(simple.commit("t", 0, 9), 0);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (committed("gone", "t", 0) != -1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    member.heartbeat();
  }
  EXPECT_EQ(committed("gone", "t", 0), -1);
  EXPECT_EQ(committed("live", "t", 0), 5);  // a group with members keeps its offsets
  EXPECT_EQ(list(), (std::vector<std::string>{"live:Stable"}));
}

}  // namespace
}  // namespace runnel::testing
