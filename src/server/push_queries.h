#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "net/http.h"
#include "server/query_framing.h"
#include "sql/engine.h"

namespace runnel::server {

// Runs push queries for HTTP clients: rows go from the query's stream thread straight
// into the client's response stream (bounded; a client that stays too slow is dropped),
// and a query stops when it reaches its LIMIT or its client goes away. Stopping happens
// on a thread of its own, as a query cannot close itself from its own stream thread.
class PushQueries {
 public:
  PushQueries(sql::Engine& engine, std::mutex& engine_mutex);
  ~PushQueries();  // stops every query

  // Starts `statement` and answers with the streamed response, or an error response.
  net::Response start(const std::string& statement, sql::Session session, PushFraming framing);
  // POST /close-query: stops the query, ending its response.
  bool close(const std::string& query_id);

 private:
  struct Running;
  void requestStop(const std::string& query_id);
  void stopLoop();

  sql::Engine& engine_;
  std::mutex& engine_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> to_stop_;
  std::map<std::string, std::shared_ptr<Running>> running_;
  bool shutting_down_ = false;
  std::thread stopper_;
};

}  // namespace runnel::server
