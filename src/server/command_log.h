#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace runnel::client {
class Admin;
class Producer;
}  // namespace runnel::client

namespace runnel::server {

// A statement that changed the catalog, with the session properties it ran under.
struct Command {
  std::string statement;
  std::map<std::string, std::string> properties;
};

// ksqlDB's command topic, `_confluent-ksql-<service id>_command_topic`: every statement
// that changes the catalog is appended, and a server starting with the same service id
// replays them all, so streams, tables, types and queries survive restarts.
class CommandLog {
 public:
  static Result<std::unique_ptr<CommandLog>> open(const std::string& bootstrap_servers, const std::string& service_id);
  ~CommandLog();

  const std::string& topic() const { return topic_; }
  // The commands appended so far, in order.
  Result<std::vector<Command>> readAll();
  // Appends and waits until the broker has it.
  Status append(const Command& command);

 private:
  CommandLog(std::string bootstrap_servers, std::string topic);

  std::string bootstrap_servers_;
  std::string topic_;
  std::unique_ptr<client::Admin> admin_;
  std::unique_ptr<client::Producer> producer_;
};

}  // namespace runnel::server
