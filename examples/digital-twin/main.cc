// runnel-example-digital-twin: the book's chapter 7 application, with its twins served
// over HTTP (GET /devices/:id) on the application.server.
//   runnel-example-digital-twin [--bootstrap-server host:port] [--state-dir DIR]
//                               [--application-server host:port]

#include <memory>
#include <string>

#include <fmt/core.h>

#include "digital_twin_processors.h"
#include "digital_twin_topology.h"
#include "net/http_server.h"
#include "runner/example_runner.h"
#include "runner/remote_query.h"
#include "streams/serdes.h"

using namespace runnel;
using namespace runnel::examples;

namespace {

// GET /devices/:id -> the twin of that turbine, from whichever instance holds it.
Result<std::shared_ptr<void>> serveDevices(streams::KafkaStreams& app, const streams::HostInfo& self) {
  auto lookup = std::make_shared<RemoteKeyLookup<std::string, twin::DigitalTwin>>(
      app, self, twin::kDigitalTwinStore, streams::Serdes::String());
  auto server = std::make_shared<net::HttpServer>(queryServerOptions(self));
  RUNNEL_RETURN_IF_ERROR(server->get("/devices/:id", [lookup](net::Request& request) {
    return lookup->lookup(std::string(*request.pathParam("id")), request);
  }));
  RUNNEL_RETURN_IF_ERROR(server->start());
  return std::shared_ptr<void>(std::move(server));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Chapter 7 of the book: digital twins of wind turbines, reported/desired-state-events -> digital-twins"};
  ExampleOptions options;
  options.application_id = "digital-twin";
  addCommonOptions(app, options);
  addApplicationServerOption(app, options, "127.0.0.1:7000");
  CLI11_PARSE(app, argc, argv);

  auto topology = twin::digitalTwinTopology();
  auto config = streamsConfig(options, {{"auto.offset.reset", "earliest"}});
  auto self = streams::HostInfo::parse(options.application_server);
  if (!topology.isOk() || !config.isOk() || !self.isOk()) {
    Status error = !topology.isOk() ? topology.status() : !config.isOk() ? config.status() : self.status();
    fmt::print(stderr, "{}\n", error.message());
    return 2;
  }
  return runUntilSignal(*topology, *config, [&](streams::KafkaStreams& streams) { return serveDevices(streams, *self); });
}
