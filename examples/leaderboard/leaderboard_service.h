#pragma once

// The leaderboard's interactive queries over HTTP, on the instance's application.server:
//   GET /leaderboard             every game's high scores, from every instance
//   GET /leaderboard/:productId  one game's high scores, from the instance that holds them
//   GET /leaderboard/local       the games this instance holds (what the first one asks)
// A game another instance holds is fetched from it (the book's remote queries).

#include <memory>
#include <string>

#include "common/result.h"
#include "net/http.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "streams/interactive_queries.h"
#include "streams/kafka_streams.h"

namespace runnel::examples::leaderboard {

class LeaderboardService {
 public:
  // `streams` must outlive the service; `self` is its application.server.
  LeaderboardService(const streams::KafkaStreams& streams, streams::HostInfo self);
  ~LeaderboardService();  // stops the server

  // Listens on `self`.
  [[nodiscard]] Status start();

 private:
  // Answers 503 while the store is not queryable (starting, rebalancing).
  net::Response all();
  net::Response local();
  net::Response game(const net::Request& request);
  net::Response forward(const streams::HostInfo& owner, const net::Request& request);

  const streams::KafkaStreams& streams_;
  streams::HostInfo self_;
  net::HttpServer server_;
  net::HttpClient client_;
};

}  // namespace runnel::examples::leaderboard
