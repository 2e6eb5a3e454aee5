#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/tool_support.h"
#include "client/admin.h"

namespace runnel::cli {

// kafka-consumer-groups.sh's options (Kafka 3.7).
struct GroupsOptions {
  enum class Action { kList, kDescribe, kDelete, kResetOffsets, kDeleteOffsets };
  enum class View { kOffsets, kMembers, kState };  // what --describe shows
  enum class Reset { kToEarliest, kToLatest, kToCurrent, kToOffset, kShiftBy, kToDatetime };

  Action action = Action::kList;
  std::string bootstrap_server;
  std::optional<std::string> command_config;
  int64_t timeout_ms = 5000;
  std::vector<std::string> groups;
  bool all_groups = false;
  std::vector<std::string> topics;  // "t" or "t:0,1"
  bool all_topics = false;

  // --list: with --state, print states, keeping only `states` when it is not empty.
  bool with_state = false;
  std::vector<client::GroupState> states;

  View view = View::kOffsets;
  bool verbose = false;

  Reset reset = Reset::kToEarliest;
  int64_t reset_value = 0;    // --to-offset or --shift-by
  std::string reset_datetime;  // --to-datetime, as given
  bool execute = false;
  bool export_csv = false;
};

ParsedArgs<GroupsOptions> parseGroupsArgs(int argc, char** argv, std::ostream& out, std::ostream& err);

// Runs the action against `admin`, printing what kafka-consumer-groups prints. Returns
// the exit code: 1 when any error was reported.
int runGroups(const GroupsOptions& options, client::Admin& admin, std::ostream& out, std::ostream& err);

}  // namespace runnel::cli
