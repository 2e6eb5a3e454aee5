#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/types.h"
#include "net/http.h"

namespace runnel::sql {
struct Print;
}

namespace runnel::server {

// Runs PRINT statements for HTTP clients, as ksqlDB's TopicStreamWriter: a consumer of its
// own (assigned every partition, no group, nothing committed) reads the topic from its end
// or its beginning, and the response streams text lines: the guessed key and value
// formats whenever they change, then every INTERVAL-th record as RecordFormatter prints
// it, and an empty line whenever a poll finds nothing (which also notices a client that
// went away). It ends at LIMIT, when the client disconnects, or when the server stops.
class PrintTopics {
 public:
  explicit PrintTopics(client::ClientConfig consumer_config);
  ~PrintTopics();  // stops every PRINT and waits for it

  // The streamed response, or ksqlDB's error for a topic that does not exist.
  net::Response start(const sql::Print& print, const std::string& statement_text);

 private:
  struct Running;
  void run(Running& running);
  void reapFinished();

  client::ClientConfig consumer_config_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::list<std::unique_ptr<Running>> running_;
};

}  // namespace runnel::server
