// The single `runnel` executable: one subcommand per tool, as Kafka ships one script each.
#include <spdlog/spdlog.h>

#include <cstring>
#include <iostream>
#include <string_view>

#include "cli/tools.h"
#include "server_command.h"
#include "sql/testing/commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*main)(int, char**);
};

constexpr Command kCommands[] = {
    {"server", "run the broker (Kafka protocol) on an embedded data directory", runnel::app::serverMain},
    {"topics", "create, list, describe, alter and delete topics (kafka-topics)", runnel::cli::topicsMain},
    {"produce", "write lines from stdin to a topic (kafka-console-producer)", runnel::cli::produceMain},
    {"consume", "print records of a topic (kafka-console-consumer)", runnel::cli::consumeMain},
    {"groups", "list, describe, reset and delete consumer groups (kafka-consumer-groups)", runnel::cli::groupsMain},
    {"perf", "measure produce or consume throughput (kafka-*-perf-test)", runnel::cli::perfMain},
    {"sql", "the SQL shell for a Runnel (or ksqlDB) server (ksql CLI)", runnel::cli::sqlMain},
    {"test-runner", "test SQL statements against input and expected output (ksql-test-runner)",
     runnel::sql::testRunnerMain},
    {"conformance", "run ksqlDB's query-validation tests through the SQL engine", runnel::sql::conformanceMain},
};

void printUsage(std::ostream& out) {
  out << "Usage: runnel <command> [options]\n\nCommands:\n";
  for (const auto& command : kCommands) {
    out << "  " << command.name << std::string(13 - std::strlen(command.name), ' ') << command.summary << "\n";
  }
  out << "\nRun 'runnel <command> --help' for the options of a command.\n";
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_pattern("[%Y-%m-%d %H:%M:%S,%e] %^%l%$ %v");
  if (argc < 2) {
    printUsage(std::cerr);
    return 1;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    printUsage(std::cout);
    return 0;
  }
  for (const auto& command : kCommands) {
    if (name == command.name) return command.main(argc - 1, argv + 1);
  }
  std::cerr << "runnel: unknown command '" << name << "'\n\n";
  printUsage(std::cerr);
  return 1;
}
