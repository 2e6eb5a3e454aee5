#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/tool_support.h"
#include "client/admin.h"

namespace runnel::cli {

// kafka-topics.sh's options.
struct TopicsOptions {
  enum class Action { kCreate, kList, kDescribe, kDelete, kAlter };
  Action action = Action::kList;
  std::string bootstrap_server;
  std::optional<std::string> command_config;
  std::optional<std::string> topic;  // a name for --create, else a regular expression
  std::optional<int32_t> partitions;
  std::optional<int32_t> replication_factor;
  std::vector<std::string> configs;  // key=value
  std::vector<std::string> delete_configs;
  bool if_exists = false;
  bool if_not_exists = false;
  bool exclude_internal = false;
  bool under_replicated_partitions = false;
  bool unavailable_partitions = false;
  bool topics_with_overrides = false;
};

ParsedArgs<TopicsOptions> parseTopicsArgs(int argc, char** argv, std::ostream& out, std::ostream& err);

// Runs the action against `admin`; prints what kafka-topics prints. Returns the exit code.
int runTopics(const TopicsOptions& options, client::Admin& admin, std::ostream& out, std::ostream& err);

}  // namespace runnel::cli
