#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace runnel::client {
class Admin;
class Consumer;
class Producer;
}  // namespace runnel::client

namespace runnel::server {

// A statement that changed the catalog, with the session properties it ran under and the
// server that ran it first.
struct Command {
  std::string statement;
  std::map<std::string, std::string> properties;
  std::string origin;
};

// ksqlDB's command topic, `_confluent-ksql-<service id>_command_topic`: every statement
// that changes the catalog is appended, and a server starting with the same service id
// replays them all, so streams, tables, types and queries survive restarts; servers
// sharing a service id follow it, so each runs what the others ran.
class CommandLog {
 public:
  static Result<std::unique_ptr<CommandLog>> open(const std::string& bootstrap_servers, const std::string& service_id);
  ~CommandLog();

  const std::string& topic() const { return topic_; }
  // The commands appended so far, in order; later calls of readNew() continue after them.
  Result<std::vector<Command>> readAll();
  // The commands appended since the last read, waiting up to `timeout` for the first.
  // One reader at a time.
  Result<std::vector<Command>> readNew(std::chrono::milliseconds timeout);
  // Appends and waits until the broker has it.
  Status append(const Command& command);

 private:
  CommandLog(std::string bootstrap_servers, std::string topic);

  std::string bootstrap_servers_;
  std::string topic_;
  std::unique_ptr<client::Admin> admin_;
  std::unique_ptr<client::Producer> producer_;
  std::unique_ptr<client::Consumer> reader_;
  int64_t next_offset_ = 0;  // of reader_
};

}  // namespace runnel::server
