// runnel-example-leaderboard: the book's chapter 4 application, with its HTTP service.
//   runnel-example-leaderboard [--bootstrap-server host:port] [--state-dir DIR]
//                              [--application-server host:port]

#include <memory>

#include <fmt/core.h>

#include "leaderboard_service.h"
#include "leaderboard_topology.h"
#include "runner/example_runner.h"

using namespace runnel;
using namespace runnel::examples;

int main(int argc, char** argv) {
  CLI::App app{"Chapter 4 of the book: a video game leaderboard, score-events + players + products -> "
               "high-scores, queried over HTTP"};
  ExampleOptions options;
  options.application_id = "leaderboard";
  addCommonOptions(app, options);
  addApplicationServerOption(app, options, "127.0.0.1:7000");
  CLI11_PARSE(app, argc, argv);

  auto self = streams::HostInfo::parse(options.application_server);
  auto topology = leaderboard::leaderboardTopology();
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}});
  if (!self.isOk() || !topology.isOk() || !config.isOk()) {
    Status failed = !self.isOk() ? self.status() : !topology.isOk() ? topology.status() : config.status();
    fmt::print(stderr, "{}\n", failed.message());
    return 2;
  }
  return runUntilSignal(*topology, *config, [&](streams::KafkaStreams& streams) -> Result<std::shared_ptr<void>> {
    auto service = std::make_shared<leaderboard::LeaderboardService>(streams, *self);
    RUNNEL_RETURN_IF_ERROR(service->start());
    return std::shared_ptr<void>(std::move(service));
  });
}
