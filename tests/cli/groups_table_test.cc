// The tables of `runnel groups`, compared with what Kafka 3.7's ConsumerGroupCommand
// prints for the same data (Java "%-Ns" columns, leading blank line, "-" for missing).
#include <gtest/gtest.h>

#include "cli/groups_table.h"

namespace runnel::cli {
namespace {

using client::GroupState;

TEST(GroupsTableTest, OffsetsTableAlignsLikeKafka) {
  std::vector<PartitionRow> rows;
  rows.push_back({"my-group", "orders", 0, 5, 12, 7, "rdkafka-1a2b", "/127.0.0.1", "rdkafka"});
  rows.push_back({"my-group", "orders", 1, std::nullopt, 3, std::nullopt, "-", "-", "-"});
  std::string expected =
      "\n"
      "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     "
      "HOST            CLIENT-ID\n"
      "my-group        orders          0          5               12              7               rdkafka-1a2b    "
      "/127.0.0.1      rdkafka\n"
      "my-group        orders          1          -               3               -               -               "
      "-               -\n";
  EXPECT_EQ(formatOffsets(rows), expected);
}

TEST(GroupsTableTest, OffsetsColumnsGrowWithContent) {
  std::vector<PartitionRow> rows;
  rows.push_back({"a-rather-long-group-name", "t", 0, 1, 1, 0, "consumer-0123456789abcdef", "/10.0.0.1", "c"});
  std::string out = formatOffsets(rows);
  EXPECT_NE(out.find("\nGROUP                    TOPIC           PARTITION  "), std::string::npos) << out;
  EXPECT_NE(out.find("CONSUMER-ID               HOST            CLIENT-ID\n"), std::string::npos) << out;
  EXPECT_NE(out.find("consumer-0123456789abcdef /10.0.0.1       c\n"), std::string::npos) << out;
}

TEST(GroupsTableTest, MembersTable) {
  std::vector<MemberRow> rows;
  rows.push_back({"g", "m-1", "", "/127.0.0.1", "app", {{"b", 1}, {"a", 2}, {"a", 0}}});
  rows.push_back({"g", "m-2", "", "/127.0.0.1", "app", {}});
  EXPECT_EQ(formatMembers(rows, false),
            "\n"
            "GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     \n"
            "g               m-1             /127.0.0.1      app             3               \n"
            "g               m-2             /127.0.0.1      app             0               \n");
  EXPECT_EQ(formatMembers(rows, true),
            "\n"
            "GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT\n"
            "g               m-1             /127.0.0.1      app             3               a(0,2), b(1)\n"
            "g               m-2             /127.0.0.1      app             0               -\n");
  rows[0].group_instance_id = "instance-1";
  EXPECT_NE(formatMembers(rows, false).find("GROUP           CONSUMER-ID     GROUP-INSTANCE-ID HOST"),
            std::string::npos);
}

TEST(GroupsTableTest, StateTable) {
  GroupStateRow row{"g", {1, "127.0.0.1", 9092}, "range", GroupState::kStable, 2};
  EXPECT_EQ(formatState(row),
            "\n"
            "GROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS\n"
            "g                         127.0.0.1:9092 (1)        range                Stable          2\n");
}

TEST(GroupsTableTest, ListWithStates) {
  std::vector<client::GroupListing> groups{{"alpha", GroupState::kStable, false}, {"b", GroupState::kEmpty, false}};
  EXPECT_EQ(formatGroupList(groups),
            "GROUP                     STATE               \n"
            "alpha                     Stable              \n"
            "b                         Empty               \n");
}

TEST(GroupsTableTest, ResetPlanAndCsv) {
  std::vector<ResetRow> rows{{"g", {"orders", 0}, 0}, {"g", {"orders", 1}, 42}};
  EXPECT_EQ(formatResetPlan(rows, true),
            "\n"
            "GROUP                          TOPIC                          PARTITION  NEW-OFFSET     \n"
            "g                              orders                         0          0              \n"
            "g                              orders                         1          42             \n");
  EXPECT_EQ(formatResetPlan({}, false), "");
  EXPECT_EQ(formatResetPlan({}, true),
            "\nGROUP                          TOPIC                          PARTITION  NEW-OFFSET     \n");
  EXPECT_EQ(formatResetCsv(rows, false), "orders,0,0\norders,1,42\n");
  EXPECT_EQ(formatResetCsv(rows, true), "g,orders,0,0\ng,orders,1,42\n");
}

TEST(GroupsTableTest, DeleteOffsetsTableSortsByTopicThenPartition) {
  std::vector<DeleteOffsetRow> rows{{"t", 1, "Successful"}, {"missing", -1, "Error: gone"}, {"t", 0, "Successful"}};
  EXPECT_EQ(formatDeleteOffsets(rows),
            "\n"
            "TOPIC                          PARTITION       STATUS         \n"
            "missing                        Not Provided    Error: gone    \n"
            "t                              0               Successful     \n"
            "t                              1               Successful     \n");
}

}  // namespace
}  // namespace runnel::cli
