#pragma once

// The actions of `runnel groups` (groups_actions.cc, groups_reset.cc) and the parsers
// they share with the command line. Internal to src/cli; tests use the parsers.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cli/groups_command.h"

namespace runnel::cli {

// One run of the tool: what it was asked, where it writes, whether it reported an error.
struct GroupsRun {
  const GroupsOptions& options;
  client::Admin& admin;
  std::ostream& out;
  std::ostream& err;
  bool failed = false;

  // Kafka's printError: "\nError: <message>".
  void error(const std::string& message) {
    err << "\nError: " << message << "\n";
    failed = true;
  }
};

// Each prints its result; a returned error ends the command (kInvalidArgument: a usage
// mistake Kafka reports by its message alone).
Status listGroups(GroupsRun& run);
Status describeGroups(GroupsRun& run);
Status deleteGroups(GroupsRun& run);
Status deleteOffsets(GroupsRun& run);
Status resetOffsets(GroupsRun& run);

// "stable,Empty" -> states, case-insensitive as Kafka's ConsumerGroupState.parse; ""
// -> no filter. Unknown names fail with Kafka's "Invalid state list ..." message.
Result<std::vector<client::GroupState>> parseGroupStates(const std::string& text);

// Kafka's Utils.getDateTime: "YYYY-MM-DDTHH:mm:SS.sss" optionally followed by "Z",
// "+hh", "+hhmm" or "+hh:mm" (or '-'); without a zone the time is UTC. Milliseconds
// since the epoch.
Result<int64_t> parseKafkaDateTime(const std::string& text);

// --topic values: "t" (all partitions of t, looked up in the cluster) or "t:0,2".
struct TopicArg {
  std::string topic;
  std::vector<int32_t> partitions;  // empty: all
};
Result<TopicArg> parseTopicArg(const std::string& text);

// How Kafka's tools show a failed future: the Java exception's toString(),
// "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.".
std::string javaExceptionText(const Status& status);

// The group ids an action applies to: --all-groups lists them, else --group.
Result<std::vector<std::string>> selectedGroups(GroupsRun& run);

}  // namespace runnel::cli
