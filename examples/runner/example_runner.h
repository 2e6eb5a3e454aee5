#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/result.h"
#include "streams/kafka_streams.h"
#include "streams/topology.h"

namespace runnel::examples {

// The flags every example takes (DESIGN.md, "Interfaces other programs rely on").
struct ExampleOptions {
  std::string bootstrap_server = "127.0.0.1:9092";
  std::string application_id;  // the example sets its default before parsing
  std::string state_dir = "/tmp/kafka-streams";
  std::vector<std::string> overrides;  // "key=value" streams configs, applied last
  // application.server, "host:port", where the example serves interactive queries over
  // HTTP; empty for examples that serve none.
  std::string application_server;
};

// Adds --bootstrap-server, --application-id, --state-dir and --override to `app`.
void addCommonOptions(CLI::App& app, ExampleOptions& options);

// Adds --application-server, defaulting to `default_host_port`.
void addApplicationServerOption(CLI::App& app, ExampleOptions& options, std::string default_host_port);

// `base` with application.id, bootstrap.servers, state.dir (and application.server when
// set) from `options`, then
// every --override on top. An override without '=' is an error naming it.
Result<std::map<std::string, std::string>> streamsConfig(const ExampleOptions& options,
                                                         std::map<std::string, std::string> base);

// What an example runs beside its application (an HTTP server, listeners): called once the
// application is created, before it starts, so it may set listeners. What it returns is
// kept until the application has closed and destroyed before the application is, so
// handlers that query the application never outlive it.
using Attach = std::function<Result<std::shared_ptr<void>>(streams::KafkaStreams& app)>;

// Runs `topology` until SIGTERM or SIGINT, printing each state transition, then closes
// the application. Returns the process exit code: 0 after a clean close; 1 when the
// application could not start (or `attach` failed), failed, or did not close in time.
int runUntilSignal(const streams::Topology& topology, const std::map<std::string, std::string>& config,
                   const Attach& attach = {});

}  // namespace runnel::examples
