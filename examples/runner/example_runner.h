#pragma once

#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/result.h"
#include "streams/topology.h"

namespace runnel::examples {

// The flags every example takes (DESIGN.md, "Interfaces other programs rely on").
struct ExampleOptions {
  std::string bootstrap_server = "127.0.0.1:9092";
  std::string application_id;  // the example sets its default before parsing
  std::string state_dir = "/tmp/kafka-streams";
  std::vector<std::string> overrides;  // "key=value" streams configs, applied last
};

// Adds --bootstrap-server, --application-id, --state-dir and --override to `app`.
void addCommonOptions(CLI::App& app, ExampleOptions& options);

// `base` with application.id, bootstrap.servers and state.dir from `options`, then
// every --override on top. An override without '=' is an error naming it.
Result<std::map<std::string, std::string>> streamsConfig(const ExampleOptions& options,
                                                         std::map<std::string, std::string> base);

// Runs `topology` until SIGTERM or SIGINT, printing each state transition, then closes
// the application. Returns the process exit code: 0 after a clean close; 1 when the
// application could not start, failed, or did not close in time.
int runUntilSignal(const streams::Topology& topology, const std::map<std::string, std::string>& config);

}  // namespace runnel::examples
