#include "cli/topics_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <regex>
#include <set>

#include "cli/cli_parse.h"
#include "cli/tools.h"
#include "client/kafka_client.h"

namespace runnel::cli {
namespace {

using client::Admin;
using client::TopicMetadata;

constexpr const char* kDescription = "Create, delete, describe, or change a topic.";

struct TopicCommandError {
  std::string message;
};

// Kafka's IncludeList: commas mean alternatives, spaces and surrounding quotes are dropped,
// and the whole name must match.
Result<std::regex> topicPattern(std::string spec) {
  std::replace(spec.begin(), spec.end(), ',', '|');
  spec.erase(std::remove(spec.begin(), spec.end(), ' '), spec.end());
  while (!spec.empty() && (spec.front() == '"' || spec.front() == '\'')) spec.erase(0, 1);
  while (!spec.empty() && (spec.back() == '"' || spec.back() == '\'')) spec.pop_back();
  try {
    return std::regex(spec, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    return Status::invalidArgument("Invalid topic regular expression: " + spec);
  }
}

// The topics the command applies to, sorted by name.
Result<std::vector<TopicMetadata>> selectTopics(const TopicsOptions& o, Admin& admin) {
  RUNNEL_ASSIGN_OR_RETURN(auto md, admin.metadata(std::nullopt));
  std::optional<std::regex> pattern;
  if (o.topic) {
    RUNNEL_ASSIGN_OR_RETURN(pattern, topicPattern(*o.topic));
  }
  std::vector<TopicMetadata> out;
  for (auto& t : md.topics) {
    if (!t.error.isOk()) continue;
    if (o.exclude_internal && t.is_internal) continue;
    if (pattern && !std::regex_match(t.name, *pattern)) continue;
    out.push_back(std::move(t));
  }
  return out;
}

Status ensureTopicExists(const std::vector<TopicMetadata>& found, const TopicsOptions& o) {
  if (found.empty() && !o.if_exists && o.topic) {
    return Status::notFound("Topic '" + *o.topic + "' does not exist as expected");
  }
  return Status::ok();
}

Status createTopic(const TopicsOptions& o, Admin& admin, std::ostream& out) {
  if (o.partitions && *o.partitions < 1) return Status::invalidArgument("The partitions must be greater than 0");
  if (o.replication_factor && (*o.replication_factor < 1 || *o.replication_factor > 32767)) {
    return Status::invalidArgument("The replication factor must be between 1 and 32767 inclusive");
  }
  client::NewTopic topic;
  topic.name = *o.topic;
  topic.partitions = o.partitions.value_or(-1);
  topic.replication_factor = static_cast<int16_t>(o.replication_factor.value_or(-1));
  RUNNEL_ASSIGN_OR_RETURN(Properties configs, parseAssignments(o.configs));
  for (const auto& [k, v] : configs.all()) topic.configs[k] = v;
  if (topic.name.find_first_of("._") != std::string::npos) {
    out << "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could "
           "collide. To avoid issues it is best to use either, but not both.\n";
  }
  Status status = admin.createTopics({topic});
  if (status.code() == Status::Code::kAlreadyExists && o.if_not_exists) return Status::ok();
  RUNNEL_RETURN_IF_ERROR(status);
  out << "Created topic " << topic.name << ".\n";
  return Status::ok();
}

Status listTopics(const TopicsOptions& o, Admin& admin, std::ostream& out) {
  RUNNEL_ASSIGN_OR_RETURN(auto topics, selectTopics(o, admin));
  for (const auto& t : topics) out << t.name << "\n";
  return Status::ok();
}

std::string joinIds(const std::vector<int32_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s;
}

Status describeTopics(const TopicsOptions& o, Admin& admin, std::ostream& out) {
  RUNNEL_ASSIGN_OR_RETURN(auto topics, selectTopics(o, admin));
  RUNNEL_RETURN_IF_ERROR(ensureTopicExists(topics, o));
  RUNNEL_ASSIGN_OR_RETURN(auto cluster, admin.metadata(std::vector<std::string>{}));
  std::set<int32_t> live;
  for (const auto& b : cluster.brokers) live.insert(b.id);
  bool filter_partitions = o.under_replicated_partitions || o.unavailable_partitions;
  for (const auto& t : topics) {
    if (!filter_partitions) {
      auto entries = admin.describeTopicConfigs(t.name);
      // A broker without DescribeConfigs still gets its partitions described.
      if (!entries && entries.status().code() != Status::Code::kUnsupported) return entries.status();
      std::string configs;
      for (const auto& e : entries ? *entries : std::vector<client::ConfigEntry>{}) {
        if (e.is_default) continue;
        if (!configs.empty()) configs += ",";
        configs += e.name + "=" + e.value.value_or("null");
      }
      if (!o.topics_with_overrides || !configs.empty()) {
        // librdkafka 2.0 metadata carries no topic id; Kafka omits the field for the
        // zero id, which is what we print as well.
        size_t rf = t.partitions.empty() ? 0 : t.partitions.front().replicas.size();
        out << "Topic: " << t.name << "\tPartitionCount: " << t.partitions.size() << "\tReplicationFactor: " << rf
            << "\tConfigs: " << configs << "\n";
      }
    }
    if (o.topics_with_overrides) continue;
    for (const auto& p : t.partitions) {
      bool has_leader = p.leader >= 0;
      bool under_replicated = p.isr.size() < p.replicas.size();
      bool unavailable = !has_leader || !live.contains(p.leader);
      if (filter_partitions && !(o.under_replicated_partitions && under_replicated) &&
          !(o.unavailable_partitions && unavailable)) {
        continue;
      }
      out << "\tTopic: " << t.name << "\tPartition: " << p.id
          << "\tLeader: " << (has_leader ? std::to_string(p.leader) : "none") << "\tReplicas: " << joinIds(p.replicas)
          << "\tIsr: " << joinIds(p.isr) << "\n";
    }
  }
  return Status::ok();
}

Status deleteTopics(const TopicsOptions& o, Admin& admin) {
  RUNNEL_ASSIGN_OR_RETURN(auto topics, selectTopics(o, admin));
  RUNNEL_RETURN_IF_ERROR(ensureTopicExists(topics, o));
  if (topics.empty()) return Status::ok();
  std::vector<std::string> names;
  for (const auto& t : topics) names.push_back(t.name);
  return admin.deleteTopics(names);
}

Status alterTopics(const TopicsOptions& o, Admin& admin) {
  RUNNEL_ASSIGN_OR_RETURN(auto topics, selectTopics(o, admin));
  RUNNEL_RETURN_IF_ERROR(ensureTopicExists(topics, o));
  RUNNEL_ASSIGN_OR_RETURN(Properties configs, parseAssignments(o.configs));
  std::map<std::string, std::string> set(configs.all().begin(), configs.all().end());
  for (const auto& t : topics) {
    if (o.partitions) {
      if (t.is_internal) {
        return Status::invalidArgument(
            "The number of partitions for the internal topics[__consumer_offsets,__transaction_state] cannot be "
            "changed.");
      }
      RUNNEL_RETURN_IF_ERROR(admin.createPartitions(t.name, *o.partitions));
    }
    if (!set.empty() || !o.delete_configs.empty()) {
      RUNNEL_RETURN_IF_ERROR(admin.alterTopicConfigs(t.name, set, o.delete_configs));
    }
  }
  return Status::ok();
}

}  // namespace

ParsedArgs<TopicsOptions> parseTopicsArgs(int argc, char** argv, std::ostream& out, std::ostream& err) {
  TopicsOptions o;
  CLI::App app{kDescription, argc > 0 ? argv[0] : "topics"};
  app.set_help_flag("--help", "Print usage information.");
  bool create = false, list = false, describe = false, del = false, alter = false;
  app.add_option("--bootstrap-server", o.bootstrap_server, "REQUIRED: The Kafka server to connect to.");
  app.add_option("--command-config", o.command_config,
                 "Property file containing configs to be passed to Admin Client.");
  app.add_flag("--create", create, "Create a new topic.");
  app.add_flag("--list", list, "List all available topics.");
  app.add_flag("--describe", describe, "List details for the given topics.");
  app.add_flag("--delete", del, "Delete a topic");
  app.add_flag("--alter", alter, "Alter the number of partitions and/or the configuration for the topic.");
  app.add_option("--topic", o.topic,
                 "The topic to create, alter, describe or delete. It also accepts a regular expression, except for "
                 "--create option.");
  app.add_option("--partitions", o.partitions, "The number of partitions for the topic being created or altered.");
  app.add_option("--replication-factor", o.replication_factor,
                 "The replication factor for each partition in the topic being created.");
  app.add_option("--config", o.configs, "A topic configuration override (name=value); repeatable.")
      ->allow_extra_args(false);
  app.add_option("--delete-config", o.delete_configs, "A topic configuration override to be removed (--alter).")
      ->allow_extra_args(false);
  app.add_flag("--if-exists", o.if_exists,
               "If set when altering, deleting or describing topics, the action will only execute if the topic "
               "exists.");
  app.add_flag("--if-not-exists", o.if_not_exists,
               "If set when creating topics, the action will only execute if the topic does not already exist.");
  app.add_flag("--exclude-internal", o.exclude_internal,
               "Exclude internal topics when running list or describe command.");
  app.add_flag("--under-replicated-partitions", o.under_replicated_partitions,
               "If set when describing topics, only show under replicated partitions.");
  app.add_flag("--unavailable-partitions", o.unavailable_partitions,
               "If set when describing topics, only show partitions whose leader is not available.");
  app.add_flag("--topics-with-overrides", o.topics_with_overrides,
               "If set when describing topics, only show topics that have overridden configs.");
  ParsedArgs<TopicsOptions> result;
  if (auto exit_code = parseOrExitCode(app, argc, argv, out, err)) {
    result.exit_code = *exit_code;
    return result;
  }
  auto usage = [&](const std::string& message) {
    result.exit_code = usageError(err, message, app.help());
    return result;
  };
  int actions = create + list + describe + del + alter;
  if (actions != 1) return usage("Command must include exactly one action: --list, --describe, --create, --alter or --delete");
  if (o.bootstrap_server.empty()) return usage("Missing required argument \"[bootstrap-server]\"");
  o.action = create     ? TopicsOptions::Action::kCreate
             : list     ? TopicsOptions::Action::kList
             : describe ? TopicsOptions::Action::kDescribe
             : del      ? TopicsOptions::Action::kDelete
                        : TopicsOptions::Action::kAlter;
  if ((create || alter || del) && !o.topic) return usage("Missing required argument \"[topic]\"");
  if (o.if_exists && !(alter || del || describe)) {
    return usage("Option \"[if-exists]\" can't be used with option \"[create]\" or \"[list]\"");
  }
  if (o.if_not_exists && !create) return usage("Option \"[if-not-exists]\" can only be used with option \"[create]\"");
  if (o.replication_factor && !create) return usage("Option \"[replication-factor]\" can only be used with option \"[create]\"");
  if (o.partitions && !(create || alter)) return usage("Option \"[partitions]\" can only be used with \"[create]\" or \"[alter]\"");
  if (!o.configs.empty() && !(create || alter)) return usage("Option \"[config]\" can only be used with \"[create]\" or \"[alter]\"");
  if (!o.delete_configs.empty() && !alter) return usage("Option \"[delete-config]\" can only be used with \"[alter]\"");
  if (alter && !o.partitions && o.configs.empty() && o.delete_configs.empty()) {
    return usage("Missing required argument \"[partitions]\"");
  }
  result.options = std::move(o);
  return result;
}

int runTopics(const TopicsOptions& o, Admin& admin, std::ostream& out, std::ostream& err) {
  Status status;
  switch (o.action) {
    case TopicsOptions::Action::kCreate: status = createTopic(o, admin, out); break;
    case TopicsOptions::Action::kList: status = listTopics(o, admin, out); break;
    case TopicsOptions::Action::kDescribe: status = describeTopics(o, admin, out); break;
    case TopicsOptions::Action::kDelete: status = deleteTopics(o, admin); break;
    case TopicsOptions::Action::kAlter: status = alterTopics(o, admin); break;
  }
  out.flush();
  if (status.isOk()) return 0;
  err << "Error while executing topic command : " << client::kafkaErrorMessage(status) << "\n";
  return 1;
}

int topicsMain(int argc, char** argv) {
  auto parsed = parseTopicsArgs(argc, argv, std::cout, std::cerr);
  if (!parsed.options) return parsed.exit_code;
  const TopicsOptions& o = *parsed.options;
  auto config = loadClientConfig(o.command_config, {});
  if (!config) {
    std::cerr << "Error while executing topic command : " << config.status().message() << "\n";
    return 1;
  }
  (*config)["bootstrap.servers"] = o.bootstrap_server;
  auto admin = client::makeKafkaAdmin(*config);
  if (!admin) {
    std::cerr << "Error while executing topic command : " << admin.status().message() << "\n";
    return 1;
  }
  return runTopics(o, **admin, std::cout, std::cerr);
}

}  // namespace runnel::cli
