// runnel-example-patient-state: the book's chapter 6 application.
//   runnel-example-patient-state [--bootstrap-server host:port] [--state-dir DIR]
//                                [--store persistent|in-memory|lru]
//                                [--override num.standby.replicas=1 ...]

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "patient_state_topology.h"
#include "restore_printer.h"
#include "runner/example_runner.h"

using namespace runnel;
using namespace runnel::examples;

int main(int argc, char** argv) {
  CLI::App app{"Chapter 6 of the book: advanced state management, patient-events -> patient-state-changes"};
  ExampleOptions options;
  options.application_id = "patient-state";
  addCommonOptions(app, options);
  std::string store = "persistent";
  app.add_option("--store", store, "the state store: persistent (RocksDB), in-memory, or lru (at most 10 patients)")
      ->check(CLI::IsMember({"persistent", "in-memory", "lru"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto topology = patient::patientStateTopology(*patient::parseStoreKind(store));
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}});
  if (!topology.isOk() || !config.isOk()) {
    fmt::print(stderr, "{}\n", (!topology.isOk() ? topology.status() : config.status()).message());
    return 2;
  }
  // Outlives the application: the stream threads call it until they have stopped.
  patient::RestorePrinter restore_printer([](const std::string& line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  });
  return runUntilSignal(*topology, *config, [&](streams::KafkaStreams& streams) -> Result<std::shared_ptr<void>> {
    streams.setGlobalStateRestoreListener(&restore_printer);
    return std::shared_ptr<void>();
  });
}
