#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace runnel::server {

struct SqlServerOptions {
  std::string bootstrap_servers;
  // ksql.listeners: where the REST API listens.
  std::string listener_host = "127.0.0.1";
  uint16_t listener_port = 8088;
  // ksql.service.id: names the command topic and the queries' application ids.
  std::string service_id = "default_";
  // Where the queries keep their state stores.
  std::string state_dir;
  // Every ksql.* property of the server's configuration.
  std::map<std::string, std::string> config;
};

// ksqlDB's server: the SQL engine with its REST API (/ksql, /query, /query-stream,
// /close-query, /inserts-stream, /status, /info, /healthcheck; PRINT on /query), its
// catalog kept in the command topic and replayed on start.
class SqlServer {
 public:
  static Result<std::unique_ptr<SqlServer>> start(SqlServerOptions options);
  ~SqlServer();  // stops
  // "127.0.0.1:8088".
  std::string address() const;
  void stop();

 private:
  class Impl;
  explicit SqlServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads ksql.listeners ("http://host:port", the first of a comma list) into `options`.
Status applyListeners(const std::string& listeners, SqlServerOptions& options);

}  // namespace runnel::server
