// Chapter 4: the book's players, games and score events through the leaderboard topology.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "book_data.h"
#include "leaderboard_records.h"
#include "leaderboard_topology.h"
#include "streams/json_serde.h"
#include "streams/key_value_store.h"
#include "streams/serdes.h"
#include "streams/topology_test_driver.h"

namespace runnel::examples::leaderboard {
namespace {

using streams::Serdes;
using streams::TopologyTestDriver;

// "name score" per place, the way the book prints a leaderboard.
std::vector<std::string> places(const HighScores& scores) {
  std::vector<std::string> out;
  for (const auto& score : scores.high_scores) out.push_back(score.player_name + " " + std::to_string(static_cast<int>(score.score)));
  return out;
}

class LeaderboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto topology = leaderboardTopology();
    ASSERT_TRUE(topology.isOk()) << topology.status().message();
    auto driver = TopologyTestDriver::create(*topology);
    ASSERT_TRUE(driver.isOk()) << driver.status().message();
    driver_ = std::move(*driver);
  }

  // The lines of a book data file: "key|json" (keyed topics) or "json".
  void pipeBookFile(const std::filesystem::path& book, const std::string& topic, bool keyed) {
    auto input = driver_->createInputTopic<std::string, std::string>(topic, Serdes::String(), Serdes::String());
    for (const std::string& line : book_data::readLines(book, "chapter-04/data/" + topic + ".json")) {
      if (!keyed) {
        input.pipeInput(line);
        continue;
      }
      size_t bar = line.find('|');
      ASSERT_NE(bar, std::string::npos) << line;
      input.pipeInput(line.substr(0, bar), line.substr(bar + 1));
    }
  }

  std::unique_ptr<TopologyTestDriver> driver_;
};

TEST_F(LeaderboardTest, TheBooksDataGivesEachGameItsThreeBestScores) {
  BOOK_DATA_OR_SKIP(book);
  pipeBookFile(book, kPlayersTopic, true);
  pipeBookFile(book, kProductsTopic, true);
  pipeBookFile(book, kScoreEventsTopic, false);

  auto* store = driver_->getStore<streams::KeyValueStore<std::string, HighScores>>(kLeaderBoardsStore);
  ASSERT_NE(store, nullptr);
  auto game1 = store->get("1");
  auto game6 = store->get("6");
  ASSERT_TRUE(game1.isOk() && *game1 && game6.isOk() && *game6);
  EXPECT_EQ(places(**game1), (std::vector<std::string>{"Isabelle 4000", "Mitch 2000", "Elyse 1000"}));
  EXPECT_EQ(places(**game6), (std::vector<std::string>{"Isabelle 9000", "Mitch 2500", "Sammy 1200"}));
  EXPECT_EQ((*game6)->high_scores[0].game_name, "Mario Kart");
  EXPECT_EQ((*game6)->high_scores[0].player_id, 3);

  // Every score event updated its game's leaderboard, in high-scores.
  auto out = driver_->createOutputTopic<std::string, HighScores>(kHighScoresTopic, Serdes::String(),
                                                                 streams::jsonSerde<HighScores>());
  auto updates = out.readKeyValuesToList();
  EXPECT_EQ(updates.size(), 8u);
  std::map<std::string, HighScores> last;
  for (auto& update : updates) last[update.key] = update.value;
  EXPECT_EQ(last.at("1"), **game1);
  EXPECT_EQ(last.at("6"), **game6);
}

TEST_F(LeaderboardTest, ScoresOfUnknownPlayersOrGamesAreDropped) {
  auto players = driver_->createInputTopic<std::string, std::string>(kPlayersTopic, Serdes::String(), Serdes::String());
  auto products = driver_->createInputTopic<std::string, std::string>(kProductsTopic, Serdes::String(), Serdes::String());
  auto scores = driver_->createInputTopic<std::string, std::string>(kScoreEventsTopic, Serdes::String(), Serdes::String());
  players.pipeInput("1", R"({"id": 1, "name": "Elyse"})");
  products.pipeInput("1", R"({"id": 1, "name": "Super Smash Bros"})");
  scores.pipeInput(R"({"score": 10, "product_id": 1, "player_id": 7})");  // no such player
  scores.pipeInput(R"({"score": 20, "product_id": 9, "player_id": 1})");  // no such game
  scores.pipeInput(R"({"score": 30, "product_id": 1, "player_id": 1})");
  auto out = driver_->createOutputTopic<std::string, HighScores>(kHighScoresTopic, Serdes::String(),
                                                                 streams::jsonSerde<HighScores>());
  auto updates = out.readKeyValuesToList();
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(places(updates[0].value), (std::vector<std::string>{"Elyse 30"}));
}

TEST(HighScoresTest, KeepsTheThreeHighestInDescendingOrder) {
  HighScores scores;
  for (double score : {5.0, 1.0, 9.0, 7.0, 3.0}) scores.add(Enriched{0, 0, std::to_string(static_cast<int>(score)), "", score});
  EXPECT_EQ(places(scores), (std::vector<std::string>{"9 9", "7 7", "5 5"}));
}

}  // namespace
}  // namespace runnel::examples::leaderboard
