// runnel-example-digital-twin: the book's chapter 7 application.
//   runnel-example-digital-twin [--bootstrap-server host:port] [--state-dir DIR]

#include <fmt/core.h>

#include "digital_twin_topology.h"
#include "runner/example_runner.h"

using namespace runnel::examples;

int main(int argc, char** argv) {
  CLI::App app{"Chapter 7 of the book: digital twins of wind turbines, reported/desired-state-events -> digital-twins"};
  ExampleOptions options;
  options.application_id = "digital-twin";
  addCommonOptions(app, options);
  CLI11_PARSE(app, argc, argv);

  auto topology = twin::digitalTwinTopology();
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}});
  if (!topology.isOk() || !config.isOk()) {
    fmt::print(stderr, "{}\n", (!topology.isOk() ? topology.status() : config.status()).message());
    return 2;
  }
  return runUntilSignal(*topology, *config);
}
