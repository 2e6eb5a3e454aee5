// `runnel groups` argument checks: Kafka's messages for the combinations it rejects,
// and the options the accepted ones produce.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/groups_actions.h"
#include "cli/groups_command.h"
#include "fakes.h"

namespace runnel::cli {
namespace {

using testing::Argv;
using Options = GroupsOptions;

Options groupsOptions(Argv args, std::string* warnings = nullptr) {
  std::ostringstream out, err;
  auto parsed = parseGroupsArgs(args.argc(), args.argv(), out, err);
  EXPECT_TRUE(parsed.options.has_value()) << err.str();
  if (warnings) *warnings = err.str();
  return parsed.options.value_or(Options{});
}

std::string usageError(Argv args) {
  std::ostringstream out, err;
  auto parsed = parseGroupsArgs(args.argc(), args.argv(), out, err);
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, 1);
  return err.str().substr(0, err.str().find('\n'));
}

TEST(GroupsArgsTest, ActionsAndRequiredArguments) {
  EXPECT_EQ(usageError({"groups", "--list"}), "Missing required argument \"[bootstrap-server]\"");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092"}),
            "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--list", "--delete", "--all-groups"}),
            "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--describe"}),
            "Option [describe] takes one of these options: [group], [all-groups]");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--delete"}),
            "Option [delete] takes one of these options: [group], [all-groups]");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--delete", "--group", "g", "--topic", "t"}),
            "The consumer does not support topic-specific offset deletion from a consumer group.");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--delete-offsets", "--group", "g"}),
            "Option [delete-offsets] takes the following options: [group], [topic]");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--list", "--group", "g"}),
            "Option \"[group]\" can't be used with option \"[list]\"");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--describe", "--group", "g", "--all-groups"}),
            "Option \"[group]\" can't be used with option \"[all-groups]\"");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--describe", "--group", "g", "--topic", "t"}),
            "Option \"[topic]\" can't be used with option \"[describe]\"");
}

TEST(GroupsArgsTest, DescribeViews) {
  auto o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--describe", "--group", "g1", "--group", "g2"});
  EXPECT_EQ(o.action, Options::Action::kDescribe);
  EXPECT_EQ(o.view, Options::View::kOffsets);
  EXPECT_EQ(o.groups, (std::vector<std::string>{"g1", "g2"}));
  EXPECT_EQ(o.timeout_ms, 5000);
  o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--describe", "--all-groups", "--members", "--verbose"});
  EXPECT_TRUE(o.all_groups);
  EXPECT_EQ(o.view, Options::View::kMembers);
  EXPECT_TRUE(o.verbose);
  o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--describe", "--group", "g", "--state"});
  EXPECT_EQ(o.view, Options::View::kState);
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--describe", "--group", "g", "--members",
                        "--offsets"}),
            "Option [describe] takes at most one of these options: [members], [offsets], [state]");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--describe", "--group", "g", "--state", "stable"}),
            "Option [describe] does not take a value for [state]");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--list", "--members"}),
            "Option(s) [members] are unavailable given other options on the command line");
}

TEST(GroupsArgsTest, ListWithStates) {
  auto o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--list"});
  EXPECT_EQ(o.action, Options::Action::kList);
  EXPECT_FALSE(o.with_state);
  o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--list", "--state"});
  EXPECT_TRUE(o.with_state);
  EXPECT_TRUE(o.states.empty());
  o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--list", "--state", "stable, EMPTY"});
  EXPECT_EQ(o.states, (std::vector<client::GroupState>{client::GroupState::kStable, client::GroupState::kEmpty}));
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--list", "--state", "stable,running"}),
            "Invalid state list 'stable,running'. Valid states are: PreparingRebalance, CompletingRebalance, "
            "Stable, Dead, Empty");
}

TEST(GroupsArgsTest, ResetOffsets) {
  std::string warnings;
  auto o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--topic",
                          "t:0,1", "--to-earliest"},
                         &warnings);
  EXPECT_EQ(o.action, Options::Action::kResetOffsets);
  EXPECT_EQ(o.reset, Options::Reset::kToEarliest);
  EXPECT_FALSE(o.execute);
  EXPECT_NE(warnings.find("WARN: No action will be performed as the --execute option is missing."), std::string::npos);
  o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--all-topics",
                     "--shift-by", "-2", "--execute"},
                    &warnings);
  EXPECT_EQ(o.reset, Options::Reset::kShiftBy);
  EXPECT_EQ(o.reset_value, -2);
  EXPECT_TRUE(o.execute);
  EXPECT_EQ(warnings, "");
  o = groupsOptions({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--all-topics",
                     "--to-datetime", "2024-01-02T03:04:05.678", "--dry-run"});
  EXPECT_EQ(o.reset, Options::Reset::kToDatetime);
  EXPECT_EQ(o.reset_datetime, "2024-01-02T03:04:05.678");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--all-topics",
                        "--to-offset", "3", "--to-earliest"}),
            "Option \"[to-offset]\" can't be used with option \"[to-earliest]\"");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--all-topics",
                        "--to-latest", "--execute", "--dry-run"}),
            "Option [reset-offsets] only accepts one of [execute] and [dry-run]");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--to-latest"}),
            "One of the reset scopes should be defined: --all-topics, --topic.");
  EXPECT_EQ(usageError({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--all-topics", "--to-latest"}),
            "Option [reset-offsets] takes one of these options: [group], [all-groups]");
  EXPECT_NE(usageError({"groups", "--bootstrap-server", "b:9092", "--reset-offsets", "--group", "g", "--all-topics"})
                .find("requires one of the following scenarios"),
            std::string::npos);
}

TEST(GroupsParseTest, TopicArguments) {
  auto plain = parseTopicArg("orders");
  ASSERT_TRUE(plain.isOk());
  EXPECT_EQ(plain->topic, "orders");
  EXPECT_TRUE(plain->partitions.empty());
  auto some = parseTopicArg("orders:0,2,5");
  ASSERT_TRUE(some.isOk());
  EXPECT_EQ(some->partitions, (std::vector<int32_t>{0, 2, 5}));
  EXPECT_EQ(parseTopicArg("orders:0,x").status().message(),
            "Invalid partition 'x' specified in topic arg 'orders:0,x''");
  EXPECT_EQ(parseTopicArg("a:1:2").status().message(), "Invalid topic arg 'a:1:2', expected topic name and partitions");
}

TEST(GroupsParseTest, KafkaDateTimes) {
  // 2024-01-02T03:04:05.678Z
  constexpr int64_t kUtc = 1704164645678;
  EXPECT_EQ(*parseKafkaDateTime("2024-01-02T03:04:05.678"), kUtc);
  EXPECT_EQ(*parseKafkaDateTime("2024-01-02T03:04:05.678Z"), kUtc);
  EXPECT_EQ(*parseKafkaDateTime("2024-01-02T05:04:05.678+02:00"), kUtc);
  EXPECT_EQ(*parseKafkaDateTime("2024-01-02T05:04:05.678+0200"), kUtc);
  EXPECT_EQ(*parseKafkaDateTime("2024-01-01T23:04:05.678-04"), kUtc);
  EXPECT_EQ(*parseKafkaDateTime("1970-01-01T00:00:00.000"), 0);
  EXPECT_EQ(*parseKafkaDateTime("2000-02-29T00:00:00.001"), 951782400001);
  EXPECT_EQ(parseKafkaDateTime("2024-01-02").status().message(),
            "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
  EXPECT_EQ(parseKafkaDateTime("2024-01-02T03:04:05").status().message(),
            "Unparseable date: \"2024-01-02T03:04:05\"");
  EXPECT_FALSE(parseKafkaDateTime("2023-02-29T00:00:00.000").isOk());
  EXPECT_FALSE(parseKafkaDateTime("2024-13-01T00:00:00.000").isOk());
}

TEST(GroupsParseTest, JavaExceptionTexts) {
  EXPECT_EQ(javaExceptionText(Status::internal("NON_EMPTY_GROUP: Broker: The group is not empty")),
            "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.");
  EXPECT_EQ(javaExceptionText(Status::notFound("GROUP_ID_NOT_FOUND: whatever")),
            "org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.");
  EXPECT_EQ(javaExceptionText(Status::internal("_TRANSPORT: connection refused")),
            "org.apache.kafka.common.KafkaException: connection refused");
}

}  // namespace
}  // namespace runnel::cli
