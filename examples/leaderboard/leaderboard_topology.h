#pragma once

#include "common/result.h"
#include "streams/topology.h"

namespace runnel::examples::leaderboard {

inline constexpr const char* kScoreEventsTopic = "score-events";
inline constexpr const char* kPlayersTopic = "players";
inline constexpr const char* kProductsTopic = "products";
inline constexpr const char* kHighScoresTopic = "high-scores";
inline constexpr const char* kLeaderBoardsStore = "leader-boards";

// The book's chapter 4 topology: score-events (no key) selectKey(player id) -> join the
// players table -> join the products global table on the product id -> group by product
// id -> the three best scores per game in the store "leader-boards" -> high-scores.
// Keys are the ids as text, as the book's String keys.
Result<streams::Topology> leaderboardTopology();

}  // namespace runnel::examples::leaderboard
