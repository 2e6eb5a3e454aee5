#pragma once

// The records of chapter 4: score events, players and products (the games) in, and each
// game's three best scores out, as the book's JSON.

#include <cstdint>
#include <string>
#include <vector>

#include "common/json_bind.h"

namespace runnel::examples::leaderboard {

struct ScoreEvent {
  int64_t player_id = 0;
  int64_t product_id = 0;
  double score = 0;

  bool operator==(const ScoreEvent&) const = default;
};
RUNNEL_JSON_FIELDS(ScoreEvent, (player_id, "player_id"), (product_id, "product_id"), (score, "score"))

// A player or a product: both are {id, name}.
struct Player {
  int64_t id = 0;
  std::string name;

  bool operator==(const Player&) const = default;
};
RUNNEL_JSON_FIELDS(Player, (id, "id"), (name, "name"))

struct Product {
  int64_t id = 0;
  std::string name;

  bool operator==(const Product&) const = default;
};
RUNNEL_JSON_FIELDS(Product, (id, "id"), (name, "name"))

// A score joined with its player (the book's ScoreWithPlayer).
struct ScoreWithPlayer {
  ScoreEvent score_event;
  Player player;

  bool operator==(const ScoreWithPlayer&) const = default;
};
RUNNEL_JSON_FIELDS(ScoreWithPlayer, (score_event, "scoreEvent"), (player, "player"))

// A score with its player's and game's names (the book's Enriched).
struct Enriched {
  int64_t player_id = 0;
  int64_t product_id = 0;
  std::string player_name;
  std::string game_name;
  double score = 0;

  bool operator==(const Enriched&) const = default;
};
RUNNEL_JSON_FIELDS(Enriched, (player_id, "playerId"), (product_id, "productId"), (player_name, "playerName"),
                   (game_name, "gameName"), (score, "score"))

// A game's best scores, highest first (the book's HighScores).
struct HighScores {
  static constexpr size_t kSize = 3;
  std::vector<Enriched> high_scores;

  // Adds `score` and keeps the kSize highest; among equal scores the earlier stays first.
  HighScores& add(const Enriched& score);
  bool operator==(const HighScores&) const = default;
};
RUNNEL_JSON_FIELDS(HighScores, (high_scores, "highScores"))

// One game's leaderboard, as GET /leaderboard lists them.
struct GameLeaderboard {
  std::string product_id;
  std::vector<Enriched> high_scores;

  bool operator==(const GameLeaderboard&) const = default;
};
RUNNEL_JSON_FIELDS(GameLeaderboard, (product_id, "productId"), (high_scores, "highScores"))

}  // namespace runnel::examples::leaderboard
