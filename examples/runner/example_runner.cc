#include "runner/example_runner.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include <fmt/core.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "streams/kafka_streams.h"

namespace runnel::examples {

using streams::KafkaStreams;

namespace {

// Sent to the process by the state listener when the application fails, so that the
// main thread's sigwait wakes up as it does for SIGTERM.
constexpr int kFailedSignal = SIGUSR1;
constexpr std::chrono::seconds kCloseTimeout{30};

// Blocks the stop signals in this thread and in every thread it creates from now on, so
// that only sigwait() receives them.
sigset_t blockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, kFailedSignal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

void addCommonOptions(CLI::App& app, ExampleOptions& options) {
  app.add_option("--bootstrap-server", options.bootstrap_server, "Kafka broker, host:port")->capture_default_str();
  app.add_option("--application-id", options.application_id, "application.id (consumer group, internal topics)")
      ->capture_default_str();
  app.add_option("--state-dir", options.state_dir, "state.dir, where the state stores live")->capture_default_str();
  app.add_option("--override", options.overrides, "streams or client config key=value (repeatable)");
}

void addApplicationServerOption(CLI::App& app, ExampleOptions& options, std::string default_host_port) {
  options.application_server = std::move(default_host_port);
  app.add_option("--application-server", options.application_server,
                 "application.server, host:port where this instance serves interactive queries over HTTP")
      ->capture_default_str();
}

Result<std::map<std::string, std::string>> streamsConfig(const ExampleOptions& options,
                                                         std::map<std::string, std::string> base) {
  base["application.id"] = options.application_id;
  base["bootstrap.servers"] = options.bootstrap_server;
  base["state.dir"] = options.state_dir;
  if (!options.application_server.empty()) base["application.server"] = options.application_server;
  for (const std::string& entry : options.overrides) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::invalidArgument("--override " + entry + ": expected key=value");
    }
    base[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return base;
}

int runUntilSignal(const streams::Topology& topology, const std::map<std::string, std::string>& config,
                   const Attach& attach) {
  sigset_t signals = blockStopSignals();
  // The library's log goes to stderr, so that standard output has only what the
  // application prints.
  spdlog::set_default_logger(spdlog::stderr_color_mt("runnel-example"));
  fmt::print("{}", topology.describe());
  std::fflush(stdout);

  auto created = KafkaStreams::create(topology, config);
  if (!created.isOk()) {
    fmt::print(stderr, "cannot create the application: {}\n", created.status().message());
    return 1;
  }
  KafkaStreams& app = **created;
  app.setStateListener([](KafkaStreams::State now, KafkaStreams::State before) {
    fmt::print("State transition from {} to {}\n", KafkaStreams::stateName(before), KafkaStreams::stateName(now));
    std::fflush(stdout);
    if (now == KafkaStreams::State::kError) kill(getpid(), kFailedSignal);
  });
  std::shared_ptr<void> attached;  // declared after the application: destroyed before it
  if (attach) {
    auto made = attach(app);
    if (!made.isOk()) {
      fmt::print(stderr, "cannot start the application: {}\n", made.status().message());
      return 1;
    }
    attached = std::move(*made);
  }
  if (Status started = app.start(); !started.isOk()) {
    fmt::print(stderr, "cannot start the application: {}\n", started.message());
    return 1;
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  bool failed = signal_number == kFailedSignal;
  if (!failed) fmt::print("Received signal {}, closing\n", signal_number);
  std::fflush(stdout);
  bool closed = app.close(kCloseTimeout);
  if (!closed) fmt::print(stderr, "the application did not close within {} s\n", kCloseTimeout.count());
  return failed || !closed ? 1 : 0;
}

}  // namespace runnel::examples
