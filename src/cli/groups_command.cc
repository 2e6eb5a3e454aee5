#include "cli/groups_command.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/groups_actions.h"
#include "cli/cli_parse.h"
#include "cli/tools.h"
#include "client/kafka_client.h"

namespace runnel::cli {
namespace {

using Options = GroupsOptions;

constexpr const char* kDescription =
    "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset "
    "consumer group offsets.";

// The flags whose combinations Kafka checks, in the order it names them in messages.
struct Flags {
  bool list = false, describe = false, del = false, reset_offsets = false, delete_offsets = false;
  bool members = false, offsets = false, state = false;
  bool dry_run = false;
  bool to_earliest = false, to_latest = false, to_current = false;
  std::optional<int64_t> to_offset, shift_by;
  std::optional<std::string> to_datetime, state_value;
};

// Kafka's CommandLineUtils.checkInvalidArgs message.
std::string cannotCombine(const std::string& used, const std::string& other) {
  return "Option \"[" + used + "]\" can't be used with option \"[" + other + "]\"";
}

// The first Kafka usage error in `o`/`f`, or "" when the combination is valid.
std::string checkCombinations(Options& o, const Flags& f) {
  if (o.bootstrap_server.empty()) return "Missing required argument \"[bootstrap-server]\"";
  bool has_group = !o.groups.empty(), has_topic = !o.topics.empty();
  if (f.describe) {
    if (!has_group && !o.all_groups) return "Option [describe] takes one of these options: [group], [all-groups]";
    if (f.members + f.offsets + f.state > 1) {
      return "Option [describe] takes at most one of these options: [members], [offsets], [state]";
    }
    if (f.state && f.state_value && !f.state_value->empty()) return "Option [describe] does not take a value for [state]";
  } else if (f.members || f.offsets || o.verbose || (f.state && !f.list)) {
    std::string name = f.members ? "members" : f.offsets ? "offsets" : o.verbose ? "verbose" : "state";
    return "Option(s) [" + name + "] are unavailable given other options on the command line";
  }
  if (f.del) {
    if (!has_group && !o.all_groups) return "Option [delete] takes one of these options: [group], [all-groups]";
    if (has_topic) return "The consumer does not support topic-specific offset deletion from a consumer group.";
  }
  if (f.delete_offsets && (!has_group || !has_topic)) {
    return "Option [delete-offsets] takes the following options: [group], [topic]";
  }
  if (f.reset_offsets) {
    if (f.dry_run && o.execute) return "Option [reset-offsets] only accepts one of [execute] and [dry-run]";
    if (!has_group && !o.all_groups) return "Option [reset-offsets] takes one of these options: [group], [all-groups]";
    std::vector<std::pair<const char*, bool>> scenarios = {
        {"to-offset", f.to_offset.has_value()},  {"to-datetime", f.to_datetime.has_value()},
        {"to-earliest", f.to_earliest},          {"to-latest", f.to_latest},
        {"to-current", f.to_current},            {"shift-by", f.shift_by.has_value()}};
    for (const auto& [used, has_used] : scenarios) {
      for (const auto& [other, has_other] : scenarios) {
        if (has_used && has_other && used != other) return cannotCombine(used, other);
      }
    }
  }
  if (has_group && o.all_groups) return cannotCombine("group", "all-groups");
  if (has_group && f.list) return cannotCombine("group", "list");
  if (has_topic && (f.list || f.describe)) return cannotCombine("topic", f.list ? "list" : "describe");
  if (f.list + f.describe + f.del + f.reset_offsets + f.delete_offsets != 1) {
    return "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets";
  }
  if (f.reset_offsets) {
    if (!f.to_offset && !f.to_datetime && !f.to_earliest && !f.to_latest && !f.to_current && !f.shift_by) {
      return "Option '[reset-offsets]' requires one of the following scenarios: [to-offset], [shift-by], "
             "[to-datetime], [to-earliest], [to-latest], [to-current]";
    }
    if (!has_topic && !o.all_topics) return "One of the reset scopes should be defined: --all-topics, --topic.";
  }
  return "";
}

// Moves what the flags say into `o`; returns a usage error or "".
std::string settle(Options& o, const Flags& f) {
  if (std::string problem = checkCombinations(o, f); !problem.empty()) return problem;
  o.action = f.list ? Options::Action::kList
             : f.describe ? Options::Action::kDescribe
             : f.del ? Options::Action::kDelete
             : f.reset_offsets ? Options::Action::kResetOffsets
                               : Options::Action::kDeleteOffsets;
  o.view = f.members ? Options::View::kMembers : f.state ? Options::View::kState : Options::View::kOffsets;
  if (f.list && f.state) {
    o.with_state = true;
    auto states = parseGroupStates(f.state_value.value_or(""));
    if (!states) return states.status().message();
    o.states = *states;
  }
  if (f.to_offset) o.reset = Options::Reset::kToOffset, o.reset_value = *f.to_offset;
  if (f.shift_by) o.reset = Options::Reset::kShiftBy, o.reset_value = *f.shift_by;
  if (f.to_datetime) o.reset = Options::Reset::kToDatetime, o.reset_datetime = *f.to_datetime;
  if (f.to_latest) o.reset = Options::Reset::kToLatest;
  if (f.to_current) o.reset = Options::Reset::kToCurrent;
  return "";
}

}  // namespace

ParsedArgs<GroupsOptions> parseGroupsArgs(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Options o;
  Flags f;
  CLI::App app{kDescription, argc > 0 ? argv[0] : "groups"};
  app.set_help_flag("--help", "Print usage information.");
  app.add_option("--bootstrap-server", o.bootstrap_server, "REQUIRED: The server(s) to connect to.");
  app.add_option("--command-config", o.command_config,
                 "Property file containing configs to be passed to Admin Client and Consumer.");
  app.add_option("--timeout", o.timeout_ms,
                 "The timeout in milliseconds for each admin request (default 5000).");
  app.add_option("--group", o.groups, "The consumer group we wish to act on; repeatable.")->allow_extra_args(false);
  app.add_flag("--all-groups", o.all_groups, "Apply to all consumer groups.");
  app.add_option("--topic", o.topics,
                 "The topic whose consumer group information should be deleted or included in the reset offset "
                 "process; `topic1:0,1,2` names partitions. Repeatable.")
      ->allow_extra_args(false);
  app.add_flag("--all-topics", o.all_topics, "Consider all topics assigned to a group in the `reset-offsets` process.");
  app.add_flag("--list", f.list, "List all consumer groups.");
  app.add_flag("--describe", f.describe,
               "Describe consumer group and list offset lag (number of messages not yet processed) related to given "
               "group.");
  app.add_flag("--delete", f.del, "Pass in groups to delete topic partition offsets and ownership information over "
                                  "the entire consumer group. For instance --group g1 --group g2");
  app.add_flag("--reset-offsets", f.reset_offsets,
               "Reset offsets of consumer group; instances should be inactive. --dry-run (the default) plans, "
               "--execute updates the offsets.");
  app.add_flag("--delete-offsets", f.delete_offsets, "Delete offsets of consumer group. Supports one consumer group "
                                                     "at the time, and multiple topics.");
  app.add_flag("--dry-run", f.dry_run, "Only show results without executing changes on Consumer Groups.");
  app.add_flag("--execute", o.execute, "Execute operation. Supported operations: reset-offsets.");
  app.add_flag("--export", o.export_csv, "Export operation execution to a CSV format.");
  app.add_option("--to-offset", f.to_offset, "Reset offsets to a specific offset.");
  app.add_option("--to-datetime", f.to_datetime, "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'");
  app.add_flag("--to-earliest", f.to_earliest, "Reset offsets to earliest offset.");
  app.add_flag("--to-latest", f.to_latest, "Reset offsets to latest offset.");
  app.add_flag("--to-current", f.to_current, "Reset offsets to current offset.");
  app.add_option("--shift-by", f.shift_by,
                 "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.");
  app.add_flag("--members", f.members, "Describe members of the group.");
  app.add_flag("--verbose", o.verbose, "Provide additional information, if any, when describing the group.");
  app.add_flag("--offsets", f.offsets, "Describe the group and list all topic partitions in the group along with their "
                                       "offset lag (the default of --describe).");
  app.add_option("--state", f.state_value,
                 "With --describe, the state of the group; with --list, the state of all groups, or only groups in "
                 "the given comma-separated states.")
      ->expected(0, 1);
  ParsedArgs<GroupsOptions> result;
  if (auto exit_code = parseOrExitCode(app, argc, argv, out, err)) {
    result.exit_code = *exit_code;
    return result;
  }
  f.state = app.count("--state") > 0;
  if (std::string problem = settle(o, f); !problem.empty()) {
    result.exit_code = usageError(err, problem, app.help());
    return result;
  }
  if (f.reset_offsets && !f.dry_run && !o.execute) {
    err << "WARN: No action will be performed as the --execute option is missing.In a future major release, the "
           "default behavior of this command will be to prompt the user before executing the reset rather than "
           "doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and "
           "want to keep the current default behavior without prompting.\n";
  }
  result.options = std::move(o);
  return result;
}

int runGroups(const GroupsOptions& o, client::Admin& admin, std::ostream& out, std::ostream& err) {
  GroupsRun run{o, admin, out, err};
  Status status;
  switch (o.action) {
    case GroupsOptions::Action::kList: status = listGroups(run); break;
    case GroupsOptions::Action::kDescribe: status = describeGroups(run); break;
    case GroupsOptions::Action::kDelete: status = deleteGroups(run); break;
    case GroupsOptions::Action::kResetOffsets: status = resetOffsets(run); break;
    case GroupsOptions::Action::kDeleteOffsets: status = deleteOffsets(run); break;
  }
  if (!status.isOk()) {
    // Kafka's IllegalArgumentException is a usage error; anything else a failed command.
    if (status.code() == Status::Code::kInvalidArgument) {
      run.err << status.message() << "\n";
      run.failed = true;
    } else {
      run.error("Executing consumer group command failed due to " + client::kafkaErrorMessage(status));
    }
  }
  out.flush();
  return run.failed ? 1 : 0;
}

int groupsMain(int argc, char** argv) {
  auto parsed = parseGroupsArgs(argc, argv, std::cout, std::cerr);
  if (!parsed.options) return parsed.exit_code;
  const GroupsOptions& o = *parsed.options;
  auto config = loadClientConfig(o.command_config, {});
  if (!config) {
    std::cerr << "\nError: " << config.status().message() << "\n";
    return 1;
  }
  (*config)["bootstrap.servers"] = o.bootstrap_server;
  (*config)["default.api.timeout.ms"] = std::to_string(o.timeout_ms);
  auto admin = client::makeKafkaAdmin(*config);
  if (!admin) {
    std::cerr << "\nError: " << admin.status().message() << "\n";
    return 1;
  }
  return runGroups(o, **admin, std::cout, std::cerr);
}

}  // namespace runnel::cli
