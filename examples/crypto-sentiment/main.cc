// runnel-example-crypto-sentiment: the book's chapter 3 application.
//   runnel-example-crypto-sentiment [--bootstrap-server host:port] [--override key=value ...]

#include <memory>

#include <fmt/core.h>

#include "crypto_topology.h"
#include "runner/example_runner.h"

using namespace runnel::examples;

int main(int argc, char** argv) {
  CLI::App app{"Chapter 3 of the book: sentiment of tweets about bitcoin and ethereum, tweets -> crypto-sentiment"};
  ExampleOptions options;
  options.application_id = "crypto-sentiment";
  addCommonOptions(app, options);
  CLI11_PARSE(app, argc, argv);

  auto topology = crypto::cryptoSentimentTopology(std::make_shared<crypto::DummyLanguageClient>());
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}});
  if (!topology.isOk() || !config.isOk()) {
    fmt::print(stderr, "{}\n", (!topology.isOk() ? topology.status() : config.status()).message());
    return 2;
  }
  return runUntilSignal(*topology, *config);
}
