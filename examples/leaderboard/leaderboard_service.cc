#include "leaderboard_service.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "leaderboard_records.h"
#include "leaderboard_topology.h"
#include "streams/serdes.h"

namespace runnel::examples::leaderboard {
namespace {

// A forwarded request carries this header: an instance that does not hold the key
// either (ownership moving in a rebalance) answers 503 rather than forwarding again.
constexpr const char* kForwardedHeader = "X-Runnel-Forwarded-By";
constexpr std::chrono::milliseconds kForwardTimeout{5000};

template <class T>
std::string toJson(const T& value) {
  std::string out;
  json::appendJson(value, out);
  return out;
}

net::Response error(int status, const std::string& message) {
  std::string body = "{\"error\": ";
  json::appendJson(message, body);
  return net::Response::json(status, body + "}");
}

net::HttpServerOptions serverOptions(const streams::HostInfo& self) {
  net::HttpServerOptions options;
  options.host = self.host;
  options.port = static_cast<uint16_t>(self.port);
  options.io_threads = 4;  // a handler waiting on another instance must not hold up the rest
  return options;
}

}  // namespace

LeaderboardService::LeaderboardService(const streams::KafkaStreams& streams, streams::HostInfo self)
    : streams_(streams), self_(std::move(self)), server_(serverOptions(self_)) {}

LeaderboardService::~LeaderboardService() { server_.stop(); }

Status LeaderboardService::start() {
  // In this order: "local" is not a product id.
  RUNNEL_RETURN_IF_ERROR(server_.get("/leaderboard", [this](net::Request&) { return all(); }));
  RUNNEL_RETURN_IF_ERROR(server_.get("/leaderboard/local", [this](net::Request&) { return local(); }));
  RUNNEL_RETURN_IF_ERROR(
      server_.get("/leaderboard/:productId", [this](net::Request& request) { return game(request); }));
  return server_.start();
}

net::Response LeaderboardService::local() {
  auto store = streams_.store<std::string, HighScores>(kLeaderBoardsStore);
  if (!store.isOk()) return error(503, store.status().message());
  auto entries = store->all();
  if (!entries.isOk()) return error(500, entries.status().message());
  std::vector<GameLeaderboard> games;
  for (auto& entry : *entries) games.push_back({entry.key, std::move(entry.value.high_scores)});
  return net::Response::json(200, toJson(games));
}

net::Response LeaderboardService::all() {
  auto instances = streams_.streamsMetadataForStore(kLeaderBoardsStore);
  if (!instances.isOk()) return error(503, instances.status().message());
  std::vector<GameLeaderboard> games;
  for (const auto& instance : *instances) {
    net::Response part = instance.host_info == self_
                             ? local()
                             : forward(instance.host_info, net::Request{.target = "/leaderboard/local"});
    if (part.status != 200) return part;
    std::vector<GameLeaderboard> theirs;
    if (Status parsed = json::fromJson(part.body, theirs); !parsed.isOk()) return error(502, parsed.message());
    games.insert(games.end(), theirs.begin(), theirs.end());
  }
  std::sort(games.begin(), games.end(),
            [](const GameLeaderboard& a, const GameLeaderboard& b) { return a.product_id < b.product_id; });
  return net::Response::json(200, toJson(games));
}

net::Response LeaderboardService::game(const net::Request& request) {
  const std::string& product_id = request.path_params.at("productId");
  auto owner = streams_.queryMetadataForKey(kLeaderBoardsStore, product_id, streams::Serdes::String());
  if (!owner.isOk()) return error(503, owner.status().message());
  if (owner->active_host != self_) return forward(owner->active_host, request);
  auto store = streams_.store<std::string, HighScores>(kLeaderBoardsStore);
  if (!store.isOk()) return error(503, store.status().message());
  auto scores = store->get(product_id);
  if (!scores.isOk()) return error(500, scores.status().message());
  if (!*scores) return error(404, "no high scores for game " + product_id);
  return net::Response::json(200, toJson((*scores)->high_scores));
}

net::Response LeaderboardService::forward(const streams::HostInfo& owner, const net::Request& request) {
  if (request.header(kForwardedHeader)) {
    return error(503, "forwarded to " + self_.toString() + ", which does not hold the key either (rebalancing?)");
  }
  auto answer = client_.request("GET", owner.toString() + request.target, {},
                                net::Headers{{kForwardedHeader, self_.toString()}}, kForwardTimeout);
  if (!answer.isOk()) return error(503, "instance " + owner.toString() + " did not answer: " + answer.status().message());
  return net::Response::json(answer->status, std::move(answer->body));
}

}  // namespace runnel::examples::leaderboard
