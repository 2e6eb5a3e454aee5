#include "leaderboard_service.h"

#include <algorithm>
#include <vector>

#include "leaderboard_topology.h"
#include "streams/serdes.h"

namespace runnel::examples::leaderboard {

LeaderboardService::LeaderboardService(const streams::KafkaStreams& streams, streams::HostInfo self)
    : streams_(streams), self_(std::move(self)), remote_(streams, self_),
      games_(streams, self_, kLeaderBoardsStore, streams::Serdes::String(),
             [](const HighScores& scores) { return toJson(scores.high_scores); }),
      server_(queryServerOptions(self_)) {}

LeaderboardService::~LeaderboardService() { server_.stop(); }

Status LeaderboardService::start() {
  // In this order: "local" is not a product id.
  RUNNEL_RETURN_IF_ERROR(server_.get("/leaderboard", [this](net::Request&) { return all(); }));
  RUNNEL_RETURN_IF_ERROR(server_.get("/leaderboard/local", [this](net::Request&) { return local(); }));
  RUNNEL_RETURN_IF_ERROR(server_.get("/leaderboard/:productId", [this](net::Request& request) {
    return games_.lookup(request.path_params.at("productId"), request);
  }));
  return server_.start();
}

net::Response LeaderboardService::local() {
  auto store = streams_.store<std::string, HighScores>(kLeaderBoardsStore);
  if (!store.isOk()) return jsonError(503, store.status().message());
  auto entries = store->all();
  if (!entries.isOk()) return jsonError(500, entries.status().message());
  std::vector<GameLeaderboard> games;
  for (auto& entry : *entries) games.push_back({entry.key, std::move(entry.value.high_scores)});
  return net::Response::json(200, toJson(games));
}

net::Response LeaderboardService::all() {
  auto instances = streams_.streamsMetadataForStore(kLeaderBoardsStore);
  if (!instances.isOk()) return jsonError(503, instances.status().message());
  std::vector<GameLeaderboard> games;
  for (const auto& instance : *instances) {
    net::Response part = instance.host_info == self_
                             ? local()
                             : remote_.forward(instance.host_info, net::Request{.target = "/leaderboard/local"});
    if (part.status != 200) return part;
    std::vector<GameLeaderboard> theirs;
    if (Status parsed = json::fromJson(part.body, theirs); !parsed.isOk()) return jsonError(502, parsed.message());
    games.insert(games.end(), theirs.begin(), theirs.end());
  }
  std::sort(games.begin(), games.end(),
            [](const GameLeaderboard& a, const GameLeaderboard& b) { return a.product_id < b.product_id; });
  return net::Response::json(200, toJson(games));
}

}  // namespace runnel::examples::leaderboard
