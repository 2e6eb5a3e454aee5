// Isolates JsonSerde<Tweet>: parsing a tweet-sized JSON record (~400 bytes, the shape of
// the book's chapter-3 tweets) into a reused struct and writing it back, per record.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>

#include "streams/json_serde.h"

namespace {

struct User {
  std::string id;
  std::string name;
  std::string description;
  std::string screen_name;
  std::string url;
  std::string followers_count;
  std::string friends_count;
};
RUNNEL_JSON_FIELDS(User, (id, "Id"), (name, "Name"), (description, "Description"), (screen_name, "ScreenName"),
                   (url, "URL"), (followers_count, "FollowersCount"), (friends_count, "FriendsCount"))

struct Tweet {
  int64_t created_at = 0;
  int64_t id = 0;
  std::string text;
  std::string lang;
  bool retweet = false;
  std::string source;
  std::optional<User> user;
};
RUNNEL_JSON_FIELDS(Tweet, (created_at, "CreatedAt"), (id, "Id"), (text, "Text"), (lang, "Lang"),
                   (retweet, "Retweet"), (source, "Source"), (user, "User"))

constexpr std::string_view kTweet =
    R"({"CreatedAt":1577933872630,"Id":10005,"Text":"Bitcoin has a lot of promise. I'm not too sure about #ethereum","Lang":"en","Retweet":false,"Source":"","User":{"Id":"14377870","Name":"MagicalPipelines","Description":"Learn something magical today.","ScreenName":"MagicalPipelines","URL":"http://www.magicalpipelines.com","FollowersCount":"248247","FriendsCount":"16417"}})";

void BM_JsonSerdeTweetRoundTrip(benchmark::State& state) {
  runnel::streams::JsonSerde<Tweet> serde;
  Tweet tweet;
  std::string out;
  for (auto _ : state) {
    if (!serde.deserialize("tweets", kTweet, tweet).isOk()) state.SkipWithError("deserialize failed");
    out.clear();
    serde.serialize("tweets", tweet, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(kTweet.size()));
}
BENCHMARK(BM_JsonSerdeTweetRoundTrip);

void BM_JsonSerdeTweetDeserialize(benchmark::State& state) {
  runnel::streams::JsonSerde<Tweet> serde;
  Tweet tweet;
  for (auto _ : state) {
    if (!serde.deserialize("tweets", kTweet, tweet).isOk()) state.SkipWithError("deserialize failed");
    benchmark::DoNotOptimize(tweet.text.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(kTweet.size()));
}
BENCHMARK(BM_JsonSerdeTweetDeserialize);

void BM_JsonSerdeTweetSerialize(benchmark::State& state) {
  runnel::streams::JsonSerde<Tweet> serde;
  Tweet tweet;
  if (!serde.deserialize("tweets", kTweet, tweet).isOk()) state.SkipWithError("deserialize failed");
  std::string out;
  for (auto _ : state) {
    out.clear();
    serde.serialize("tweets", tweet, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(out.size()));
}
BENCHMARK(BM_JsonSerdeTweetSerialize);

}  // namespace
