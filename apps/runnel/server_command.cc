#include "server_command.h"

#include <malloc.h>
#include <signal.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "broker/broker.h"
#include "common/properties.h"
#include "server/sql_server.h"

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

// The SQL server's settings: every ksql.* property, with ksqlDB's names and defaults.
Result<server::SqlServerOptions> sqlOptions(const Properties& props, const std::string& bootstrap_servers,
                                            const std::string& default_state_dir) {
  server::SqlServerOptions options;
  options.bootstrap_servers = bootstrap_servers;
  for (const auto& [name, value] : props.all()) {
    if (name.rfind("ksql.", 0) == 0) options.config[name] = value;
  }
  RUNNEL_RETURN_IF_ERROR(server::applyListeners(props.getOr("ksql.listeners", "http://127.0.0.1:8088"), options));
  options.service_id = props.getOr("ksql.service.id", "default_");
  options.state_dir = props.getOr("ksql.streams.state.dir", default_state_dir);
  return options;
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
  std::string bootstrap_server;
  app.add_option("--bootstrap-server", bootstrap_server,
                 "run only the SQL server, against this Kafka cluster (host:port) instead of the embedded broker");
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
  std::unique_ptr<broker::Broker> broker;
  if (bootstrap_server.empty()) {
    auto started_broker = broker::Broker::start(*config);
    if (!started_broker) {
      std::cerr << "runnel server: " << started_broker.status().message() << "\n";
      return 1;
    }
    broker = std::move(*started_broker);
    auto ready_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    spdlog::info("[KafkaServer id={}] started (ready in {} ms)", config->node_id, ready_ms.count());
    bootstrap_server = fmt::format("{}:{}", config->listener.host, broker->port());
  }
  std::unique_ptr<server::SqlServer> sql_server;
  if (props.getOr("ksql.enabled", "true") != "false") {
    auto options = sqlOptions(props, bootstrap_server, config->log_dirs.front() + "/../ksql-state");
    auto started_sql = options.isOk() ? server::SqlServer::start(std::move(*options)) : options.status();
    if (!started_sql.isOk()) {
      std::cerr << "runnel server: SQL server: " << started_sql.status().message() << "\n";
      if (broker) broker->stop();
      return 1;
    }
    sql_server = std::move(*started_sql);
    spdlog::info("SQL server listening on http://{} (Kafka: {})", sql_server->address(), bootstrap_server);
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received signal {}, shutting down", signal_number);
  if (sql_server) sql_server->stop();
  if (broker) broker->stop();
  return 0;
}

}  // namespace runnel::app
