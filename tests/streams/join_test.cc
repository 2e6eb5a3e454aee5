#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "driver_util.h"
#include "streams/key_value_store.h"
#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;
using OptString = std::optional<string>;
using Pairs = std::vector<KeyValue<string, OptString>>;

Produced<string, OptString> optionalStrings() {
  return Produced<string, OptString>::with(Serdes::String(), Serdes::Optional(Serdes::String()));
}

// As the leaderboard of chapter 4 of "Mastering Kafka Streams and ksqlDB": score events
// keyed by player id, joined with the players table (id -> name).
TEST(StreamTableJoinTest, InnerJoinDropsScoresOfUnknownPlayersAndTableUpdatesEmitNothing) {
  StreamsBuilder builder;
  auto players = builder.table("players", strings());
  builder.stream("score-events", strings())
      .join(players, [](const string& score, const string& name) { return name + " scored " + score; })
      .to("with-players");
  auto driver = makeDriver(builder);
  auto player_in = driver->createInputTopic("players", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto scores = driver->createInputTopic("score-events", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("with-players", Serdes::String(), Serdes::String());
  player_in.pipeInput("1", OptString("Elyse"));
  player_in.pipeInput("2", OptString("Mitch"));
  scores.pipeInput("1", "422");
  scores.pipeInput("3", "100");
  scores.pipeInput("2", "405");
  player_in.pipeInput("1", OptString("Elyse R."));
  player_in.pipeInput("3", OptString("Isabelle"));
  EXPECT_EQ(out.readKeyValuesToList(),
            (std::vector<KeyValue<string, string>>{{"1", "Elyse scored 422"}, {"2", "Mitch scored 405"}}));
  scores.pipeInput("1", "10");
  player_in.pipeInput("2", std::nullopt);
  scores.pipeInput("2", "1");
  scores.pipeInput("3", "7");
  EXPECT_EQ(out.readKeyValuesToList(),
            (std::vector<KeyValue<string, string>>{{"1", "Elyse R. scored 10"}, {"3", "Isabelle scored 7"}}));
}

TEST(StreamTableJoinTest, LeftJoinPassesNulloptForMissingPlayers) {
  StreamsBuilder builder;
  auto players = builder.table("players", strings());
  builder.stream("score-events", strings())
      .leftJoin(players,
                [](const string& id, const string& score, const OptString& name) {
                  return id + ":" + name.value_or("unknown") + ":" + score;
                })
      .to("with-players");
  auto driver = makeDriver(builder);
  auto player_in = driver->createInputTopic("players", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto scores = driver->createInputTopic("score-events", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("with-players", Serdes::String(), Serdes::String());
  player_in.pipeInput("1", OptString("Elyse"));
  scores.pipeInput("1", "422");
  scores.pipeInput("2", "405");
  player_in.pipeInput("2", OptString("Mitch"));
  player_in.pipeInput("1", std::nullopt);
  scores.pipeInput("2", "5");
  scores.pipeInput("1", "6");
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, string>>{{"1", "1:Elyse:422"},
                                                                              {"2", "2:unknown:405"},
                                                                              {"2", "2:Mitch:5"},
                                                                              {"1", "1:unknown:6"}}));
}

TEST(StreamTableJoinTest, RecordsWithNullKeysOrValuesAreDropped) {
  StreamsBuilder builder;
  auto optional_keys = Serdes::Optional(Serdes::String());
  auto players = builder.table("players", Consumed<OptString, string>::with(optional_keys, Serdes::String()));
  auto stream = builder.stream("score-events", Consumed<OptString, OptString>::with(
                                                   optional_keys, Serdes::Optional(Serdes::String())));
  auto joiner = [](const OptString& score, const std::optional<string>& name) {
    return name.value_or("unknown") + ":" + score.value_or("null");
  };
  auto produced = Produced<OptString, string>::with(optional_keys, Serdes::String());
  stream.leftJoin(players, joiner).to("left", produced);
  stream.join(players, [](const OptString& score, const string& name) { return name + ":" + *score; })
      .to("inner", produced);
  auto driver = makeDriver(builder);
  auto player_in = driver->createInputTopic("players", optional_keys, Serdes::Optional(Serdes::String()));
  auto scores = driver->createInputTopic("score-events", optional_keys, Serdes::Optional(Serdes::String()));
  auto left = driver->createOutputTopic("left", optional_keys, Serdes::String());
  auto inner = driver->createOutputTopic("inner", optional_keys, Serdes::String());
  player_in.pipeInput(OptString("1"), OptString("Elyse"));
  scores.pipeInput(std::nullopt, OptString("1"));
  scores.pipeInput(OptString("1"), std::nullopt);
  scores.pipeInput(OptString("1"), OptString("3"));
  using Out = std::vector<KeyValue<OptString, string>>;
  EXPECT_EQ(left.readKeyValuesToList(), (Out{{"1", "Elyse:3"}}));
  EXPECT_EQ(inner.readKeyValuesToList(), (Out{{"1", "Elyse:3"}}));
}

TEST(StreamTableJoinTest, JoinRunsInTheTablesSubTopology) {
  StreamsBuilder builder;
  auto players = builder.table("players", strings(), Materialized<string, string>::as("players-store"));
  builder.stream("score-events", strings())
      .join(players, [](const string& score, const string& name) { return name + score; })
      .to("out");
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk()) << topology.status().toString();
  EXPECT_EQ(topology->describe(),
            "Topologies:\n"
            "   Sub-topology: 0\n"
            "    Source: KSTREAM-SOURCE-0000000000 (topics: [players])\n"
            "      --> KTABLE-SOURCE-0000000001\n"
            "    Processor: KTABLE-SOURCE-0000000001 (stores: [players-store])\n"
            "      --> none\n"
            "      <-- KSTREAM-SOURCE-0000000000\n"
            "    Source: KSTREAM-SOURCE-0000000002 (topics: [score-events])\n"
            "      --> KSTREAM-JOIN-0000000003\n"
            "    Processor: KSTREAM-JOIN-0000000003 (stores: [players-store])\n"
            "      --> KSTREAM-SINK-0000000004\n"
            "      <-- KSTREAM-SOURCE-0000000002\n"
            "    Sink: KSTREAM-SINK-0000000004 (topic: out)\n"
            "      <-- KSTREAM-JOIN-0000000003\n"
            "\n");
}

TEST(StreamTableJoinTest, RekeyedStreamIsRepartitionedBeforeTheJoin) {
  StreamsBuilder builder;
  auto players = builder.table("players", strings());
  // Score events keyed by nothing useful, with the player id in the value "id:score".
  builder.stream("score-events", strings())
      .selectKey([](const string&, const string& v) { return v.substr(0, v.find(':')); })
      .join(players, [](const string& v, const string& name) { return name + "=" + v.substr(v.find(':') + 1); },
            Joined<string, string, string>::as("score-with-player"))
      .to("out");
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk()) << topology.status().toString();
  auto built = topology->buildFor("app");
  ASSERT_TRUE(built.isOk());
  ASSERT_EQ(built->internal_topics.size(), 1u);
  EXPECT_EQ(built->internal_topics[0].name, "app-score-with-player-repartition");
  auto driver = makeDriver(builder);
  auto player_in = driver->createInputTopic("players", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto scores = driver->createInputTopic("score-events", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::String());
  player_in.pipeInput("7", OptString("Mitch"));
  scores.pipeInput("x", "7:99");
  scores.pipeInput("y", "8:1");
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, string>>{{"7", "Mitch=99"}}));
}

TEST(StreamTableJoinTest, UnmaterializedTableIsABuildError) {
  StreamsBuilder builder;
  auto filtered = builder.table("players", strings()).filter([](const string&, const string&) { return true; });
  builder.stream("score-events", strings())
      .join(filtered, [](const string& score, const string& name) { return name + score; })
      .to("out");
  auto topology = builder.build();
  ASSERT_FALSE(topology.isOk());
  EXPECT_NE(topology.status().toString().find("not materialized"), string::npos) << topology.status().toString();
}

// Two tables of strings joined three ways, each result materialized and written out.
struct TableJoins {
  StreamsBuilder builder;
  std::unique_ptr<TopologyTestDriver> driver;

  TableJoins() {
    auto left = builder.table("left", strings());
    auto right = builder.table("right", strings());
    left.join(right, [](const string& l, const string& r) { return l + r; },
              Materialized<string, string>::as("inner"))
        .toStream()
        .to("inner", optionalStrings());
    left.leftJoin(right, [](const string& l, const OptString& r) { return l + r.value_or("-"); },
                  Materialized<string, string>::as("left-join"))
        .toStream()
        .to("left-join", optionalStrings());
    left.outerJoin(right,
                   [](const OptString& l, const OptString& r) { return l.value_or("-") + r.value_or("-"); },
                   Materialized<string, string>::as("outer"))
        .toStream()
        .to("outer", optionalStrings());
    driver = makeDriver(builder);
  }
  void pipe(const string& topic, const string& key, const OptString& value) {
    driver->createInputTopic(topic, Serdes::String(), Serdes::Optional(Serdes::String())).pipeInput(key, value);
  }
  Pairs read(const string& topic) {
    return driver->createOutputTopic(topic, Serdes::String(), Serdes::Optional(Serdes::String()))
        .readKeyValuesToList();
  }
};

TEST(TableTableJoinTest, UpdatesAndDeletesOnBothSides) {
  TableJoins joins;
  joins.pipe("left", "a", "1");
  joins.pipe("right", "a", "x");
  joins.pipe("left", "a", "2");
  joins.pipe("right", "a", std::nullopt);
  joins.pipe("left", "a", std::nullopt);
  joins.pipe("right", "b", "y");
  joins.pipe("left", "b", "3");
  joins.pipe("left", "b", std::nullopt);
  EXPECT_EQ(joins.read("inner"),
            (Pairs{{"a", "1x"}, {"a", "2x"}, {"a", std::nullopt}, {"b", "3y"}, {"b", std::nullopt}}));
  EXPECT_EQ(joins.read("left-join"), (Pairs{{"a", "1-"},
                                            {"a", "1x"},
                                            {"a", "2x"},
                                            {"a", "2-"},
                                            {"a", std::nullopt},
                                            {"b", "3y"},
                                            {"b", std::nullopt}}));
  EXPECT_EQ(joins.read("outer"), (Pairs{{"a", "1-"},
                                        {"a", "1x"},
                                        {"a", "2x"},
                                        {"a", "2-"},
                                        {"a", std::nullopt},
                                        {"b", "-y"},
                                        {"b", "3y"},
                                        {"b", "-y"}}));
}

TEST(TableTableJoinTest, NamesAndSubTopologyAsKafka) {
  StreamsBuilder builder;
  auto left = builder.table("left", strings(), Materialized<string, string>::as("l"));
  auto right = builder.table("right", strings(), Materialized<string, string>::as("r"));
  left.join(right, [](const string& l, const string& r) { return l + r; }).toStream().to("out", optionalStrings());
  left.leftJoin(right, [](const string& l, const OptString&) { return l; }, Named::as("named"));
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk()) << topology.status().toString();
  string description = topology->describe();
  EXPECT_EQ(description.find("Sub-topology: 1"), string::npos) << description;
  for (const char* expected :
       {"Processor: KTABLE-JOINTHIS-0000000005 (stores: [r])", "Processor: KTABLE-JOINOTHER-0000000006 (stores: [l])",
        "Processor: KTABLE-MERGE-0000000004 (stores: [])",
        "<-- KTABLE-JOINTHIS-0000000005, KTABLE-JOINOTHER-0000000006",
        "Processor: named-join-this (stores: [r])", "Processor: named-join-other (stores: [l])",
        "Processor: named (stores: [])"}) {
    EXPECT_NE(description.find(expected), string::npos) << expected << "\n" << description;
  }
}

// Random updates and deletes on both sides: each output is the join of the two tables
// as they stand after the input that caused it, recomputed from scratch, and the result
// stores end up as the join of the final tables.
TEST(TableTableJoinTest, JoinsMatchARecomputationOnRandomInput) {
  TableJoins joins;
  std::map<string, string> left;
  std::map<string, string> right;
  using Joined = std::map<string, string>;
  auto recompute = [&](const string& kind) {
    Joined out;
    for (int i = 0; i < 8; ++i) {
      string key = "k" + std::to_string(i);
      auto l = left.find(key);
      auto r = right.find(key);
      OptString lv = l == left.end() ? OptString() : OptString(l->second);
      OptString rv = r == right.end() ? OptString() : OptString(r->second);
      if (kind == "inner" && lv && rv) out[key] = *lv + *rv;
      if (kind == "left-join" && lv) out[key] = *lv + rv.value_or("-");
      if (kind == "outer" && (lv || rv)) out[key] = lv.value_or("-") + rv.value_or("-");
    }
    return out;
  };
  const std::vector<string> kinds{"inner", "left-join", "outer"};
  std::map<string, Joined> before;
  for (const auto& kind : kinds) before[kind] = recompute(kind);
  std::mt19937 random(7);
  for (int step = 0; step < 600; ++step) {
    bool on_left = random() % 2 == 0;
    string key = "k" + std::to_string(random() % 8);
    OptString value;
    if (random() % 4 != 0) value = string(1, static_cast<char>('a' + random() % 5));
    auto& table = on_left ? left : right;
    if (value) {
      table[key] = *value;
    } else {
      table.erase(key);
    }
    joins.pipe(on_left ? "left" : "right", key, value);
    for (const auto& kind : kinds) {
      Joined after = recompute(kind);
      auto it = after.find(key);
      OptString expected = it == after.end() ? OptString() : OptString(it->second);
      Pairs out = joins.read(kind);
      if (out.empty()) {
        EXPECT_EQ(after, before[kind]) << kind << " step " << step << ": no output for a changed join";
      } else {
        EXPECT_EQ(out, (Pairs{{key, expected}})) << kind << " step " << step;
      }
      before[kind] = std::move(after);
    }
  }
  for (const auto& kind : kinds) {
    auto* store = joins.driver->getStore<KeyValueStore<string, string>>(kind);
    ASSERT_NE(store, nullptr) << kind;
    for (int i = 0; i < 8; ++i) {
      string key = "k" + std::to_string(i);
      auto it = before[kind].find(key);
      EXPECT_EQ(store->get(key).value(), it == before[kind].end() ? OptString() : OptString(it->second))
          << kind << " " << key;
    }
  }
}

// A materialized table join is itself a table that a stream can join: its store is
// generated from the merge node's prefix when the Materialized names none.
TEST(TableTableJoinTest, MaterializedResultJoinsAStream) {
  StreamsBuilder builder;
  auto players = builder.table("players", strings());
  auto teams = builder.table("teams", strings());
  auto player_teams = players.join(
      teams, [](const string& id, const string& name, const string& team) { return id + "/" + name + "@" + team; },
      Materialized<string, string>::with(Serdes::String(), Serdes::String()));
  EXPECT_EQ(player_teams.queryableStoreName(), "KTABLE-MERGE-STATE-STORE-0000000006");
  builder.stream("score-events", strings())
      .join(player_teams, [](const string& score, const string& who) { return who + ":" + score; })
      .to("out");
  auto driver = makeDriver(builder);
  auto player_in = driver->createInputTopic("players", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto team_in = driver->createInputTopic("teams", Serdes::String(), Serdes::Optional(Serdes::String()));
  auto scores = driver->createInputTopic("score-events", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::String());
  player_in.pipeInput("1", OptString("Elyse"));
  scores.pipeInput("1", "5");
  team_in.pipeInput("1", OptString("red"));
  scores.pipeInput("1", "6");
  team_in.pipeInput("1", std::nullopt);
  scores.pipeInput("1", "7");
  EXPECT_EQ(out.readKeyValuesToList(), (std::vector<KeyValue<string, string>>{{"1", "1/Elyse@red:6"}}));
}

}  // namespace
}  // namespace runnel::streams
