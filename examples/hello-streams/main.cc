// runnel-example-hello-streams: the book's chapter 2 application.
//   runnel-example-hello-streams [--api dsl|processor] [--bootstrap-server host:port]

#include <cstdio>
#include <string>

#include <fmt/core.h>

#include "hello_topology.h"
#include "runner/example_runner.h"

using namespace runnel::examples;

int main(int argc, char** argv) {
  CLI::App app{"Chapter 2 of the book: greets every user written to the 'users' topic"};
  ExampleOptions options;
  std::string api = "dsl";
  app.add_option("--api", api, "dsl or processor")->check(CLI::IsMember({"dsl", "processor"}))->capture_default_str();
  addCommonOptions(app, options);
  app.get_option("--application-id")->description("application.id (default: hello-streams-<api>)");
  CLI11_PARSE(app, argc, argv);
  // Each variant keeps its own offsets, so that both greet everyone once.
  if (options.application_id.empty()) options.application_id = "hello-streams-" + api;

  // Stream threads print concurrently: one write per line keeps lines whole.
  hello::Greet print = [](const std::string& line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  auto topology = api == "dsl" ? hello::dslTopology(print) : hello::processorTopology(print);
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}});
  if (!topology.isOk() || !config.isOk()) {
    fmt::print(stderr, "{}\n", (!topology.isOk() ? topology.status() : config.status()).message());
    return 2;
  }
  return runUntilSignal(*topology, *config);
}
