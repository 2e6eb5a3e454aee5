#pragma once

// The leaderboard's interactive queries over HTTP, on the instance's application.server:
//   GET /leaderboard             every game's high scores, from every instance
//   GET /leaderboard/:productId  one game's high scores, from the instance that holds them
//   GET /leaderboard/local       the games this instance holds (what the first one asks)
// A game another instance holds is fetched from it (the book's remote queries, through
// the runner's RemoteKeyLookup).

#include <string>

#include "common/result.h"
#include "leaderboard_records.h"
#include "net/http.h"
#include "net/http_server.h"
#include "runner/remote_query.h"
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
  // 503 while the store is not queryable (starting, rebalancing).
  net::Response all();
  net::Response local();

  const streams::KafkaStreams& streams_;
  streams::HostInfo self_;
  RemoteQueries remote_;
  RemoteKeyLookup<std::string, HighScores> games_;
  net::HttpServer server_;
};

}  // namespace runnel::examples::leaderboard
