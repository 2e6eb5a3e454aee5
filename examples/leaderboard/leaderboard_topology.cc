#include "leaderboard_topology.h"

#include <algorithm>
#include <string>

#include "leaderboard_records.h"
#include "streams/json_serde.h"
#include "streams/serdes.h"

namespace runnel::examples::leaderboard {

using std::string;
using streams::Consumed;
using streams::Grouped;
using streams::Joined;
using streams::KeyValue;
using streams::Materialized;
using streams::Serdes;
using streams::jsonSerde;

HighScores& HighScores::add(const Enriched& score) {
  auto at = std::upper_bound(high_scores.begin(), high_scores.end(), score.score,
                             [](double value, const Enriched& other) { return value > other.score; });
  high_scores.insert(at, score);
  if (high_scores.size() > kSize) high_scores.resize(kSize);
  return *this;
}

Result<streams::Topology> leaderboardTopology() {
  streams::StreamsBuilder builder;
  auto score_events = builder.stream(kScoreEventsTopic, Consumed<streams::Void, ScoreEvent>::with(
                                                            Serdes::Void(), jsonSerde<ScoreEvent>()));
  auto players = builder.table(kPlayersTopic, Consumed<string, Player>::with(Serdes::String(), jsonSerde<Player>()));
  auto products =
      builder.globalTable(kProductsTopic, Consumed<string, Product>::with(Serdes::String(), jsonSerde<Product>()));

  auto with_players =
      score_events
          .selectKey([](const streams::Void&, const ScoreEvent& event) { return std::to_string(event.player_id); })
          .join(players, [](const ScoreEvent& event, const Player& player) { return ScoreWithPlayer{event, player}; },
                Joined<string, ScoreEvent, Player>::with(Serdes::String(), jsonSerde<ScoreEvent>(),
                                                          jsonSerde<Player>()));
  auto enriched = with_players.join(
      products,
      [](const string&, const ScoreWithPlayer& scored) { return std::to_string(scored.score_event.product_id); },
      [](const ScoreWithPlayer& scored, const Product& product) {
        return Enriched{scored.player.id, product.id, scored.player.name, product.name, scored.score_event.score};
      });
  enriched
      .groupBy([](const string&, const Enriched& score) { return std::to_string(score.product_id); },
               Grouped<string, Enriched>::with(Serdes::String(), jsonSerde<Enriched>()))
      .aggregate([] { return HighScores{}; },
                 [](const string&, const Enriched& score, HighScores aggregate) { return aggregate.add(score); },
                 Materialized<string, HighScores>::as(kLeaderBoardsStore)
                     .withKeySerde(Serdes::String())
                     .withValueSerde(jsonSerde<HighScores>()))
      .toStream()
      .to(kHighScoresTopic, streams::Produced<string, std::optional<HighScores>>::with(
                                Serdes::String(), Serdes::Optional(jsonSerde<HighScores>())));
  return builder.build();
}

}  // namespace runnel::examples::leaderboard
