#include "server_command.h"

#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "broker/broker.h"
#include "common/properties.h"

namespace runnel::app {
namespace {

// Blocks SIGINT and SIGTERM in every thread (call before starting any), so that the
// main thread can take them with sigwait and shut down in order.
sigset_t blockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Fetch reads and responses are megabyte buffers allocated and freed per request. Left to
// glibc's defaults they are mmap'd and unmapped each time, and the page faults and page
// clearing cost more CPU than moving the data (measured: ~30% of the broker during a
// consume benchmark). Serving them from the heap, and trimming it only past 128 MiB free,
// keeps those pages mapped at the cost of holding on to peak memory.
void tuneAllocatorForLargeBuffers() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

}  // namespace

int serverMain(int argc, char** argv) {
  auto started = std::chrono::steady_clock::now();
  CLI::App app{"Runs the Runnel broker: a single-node Kafka-protocol server.\n"
               "Settings use Kafka's broker config names (listeners, log.dirs, num.partitions, ...).",
               "runnel server"};
  std::string properties_file;
  std::vector<std::string> overrides;
  app.add_option("properties", properties_file, "server.properties file (Kafka broker config names)");
  app.add_option("--config", properties_file, "same as the positional properties file");
  app.add_option("--override", overrides, "key=value that overrides the properties file (repeatable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  Properties props;
  if (!properties_file.empty()) {
    auto loaded = Properties::load(properties_file);
    if (!loaded) {
      std::cerr << "runnel server: " << loaded.status().message() << "\n";
      return 1;
    }
    props = std::move(loaded).value();
  }
  for (const auto& assignment : overrides) {
    Status s = props.setAssignment(assignment);
    if (!s.isOk()) {
      std::cerr << "runnel server: --override " << s.message() << "\n";
      return 1;
    }
  }
  auto config = broker::BrokerConfig::fromProperties(props);
  if (!config) {
    std::cerr << "runnel server: " << config.status().message() << "\n";
    return 1;
  }

  tuneAllocatorForLargeBuffers();
  sigset_t signals = blockStopSignals();
  auto broker = broker::Broker::start(*config);
  if (!broker) {
    std::cerr << "runnel server: " << broker.status().message() << "\n";
    return 1;
  }
  auto ready_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  spdlog::info("[KafkaServer id={}] started (ready in {} ms)", config->node_id, ready_ms.count());
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received signal {}, shutting down", signal_number);
  (*broker)->stop();
  return 0;
}

}  // namespace runnel::app
