// runnel-example-leaderboard: the book's chapter 4 application, with its HTTP service.
//   runnel-example-leaderboard [--bootstrap-server host:port] [--state-dir DIR]
//                              [--application-server host:port]

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include <fmt/core.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "leaderboard_service.h"
#include "leaderboard_topology.h"
#include "runner/example_runner.h"
#include "streams/kafka_streams.h"

using namespace runnel;
using namespace runnel::examples;
using streams::KafkaStreams;

namespace {

// The state listener raises it when the application fails, to wake sigwait as SIGTERM does.
constexpr int kFailedSignal = SIGUSR1;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Chapter 4 of the book: a video game leaderboard, score-events + players + products -> "
               "high-scores, queried over HTTP"};
  ExampleOptions options;
  options.application_id = "leaderboard";
  addCommonOptions(app, options);
  std::string application_server = "127.0.0.1:7000";
  app.add_option("--application-server", application_server,
                 "application.server, host:port where this instance serves GET /leaderboard")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto self = streams::HostInfo::parse(application_server);
  auto topology = leaderboard::leaderboardTopology();
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}, {"application.server", application_server}});
  if (!self.isOk() || !topology.isOk() || !config.isOk()) {
    Status failed = !self.isOk() ? self.status() : !topology.isOk() ? topology.status() : config.status();
    fmt::print(stderr, "{}\n", failed.message());
    return 2;
  }

  // Only sigwait receives the stop signals, in every thread made from now on.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, kFailedSignal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  spdlog::set_default_logger(spdlog::stderr_color_mt("runnel-example"));
  fmt::print("{}", topology->describe());
  std::fflush(stdout);

  auto streams = KafkaStreams::create(*topology, *config);
  if (!streams.isOk()) {
    fmt::print(stderr, "cannot create the application: {}\n", streams.status().message());
    return 1;
  }
  (*streams)->setStateListener([](KafkaStreams::State now, KafkaStreams::State before) {
    fmt::print("State transition from {} to {}\n", KafkaStreams::stateName(before), KafkaStreams::stateName(now));
    std::fflush(stdout);
    if (now == KafkaStreams::State::kError) kill(getpid(), kFailedSignal);
  });
  leaderboard::LeaderboardService service(**streams, *self);
  Status started = service.start();
  if (started.isOk()) started = (*streams)->start();
  if (!started.isOk()) {
    fmt::print(stderr, "cannot start the application: {}\n", started.message());
    return 1;
  }
  fmt::print("Serving GET /leaderboard on http://{}\n", self->toString());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  if (signal_number != kFailedSignal) fmt::print("Received signal {}, closing\n", signal_number);
  std::fflush(stdout);
  bool closed = (*streams)->close(std::chrono::seconds(30));
  return signal_number == kFailedSignal || !closed ? 1 : 0;
}
