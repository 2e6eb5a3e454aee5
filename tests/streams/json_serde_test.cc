#include "streams/json_serde.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "streams/serdes.h"

namespace runnel::streams {
namespace {

// The tweets of Mastering Kafka Streams and ksqlDB, chapter 3 (data/test.json).
constexpr std::string_view kTweets[] = {
    R"({"CreatedAt":1577933872630,"Id":10005,"Text":"Bitcoin has a lot of promise. I'm not too sure about #ethereum","Lang":"en","Retweet":false,"Source":"","User":{"Id":"14377870","Name":"MagicalPipelines","Description":"Learn something magical today.","ScreenName":"MagicalPipelines","URL":"http://www.magicalpipelines.com","FollowersCount":"248247","FriendsCount":"16417"}})",
    R"({"CreatedAt":1577933871912,"Id":10006,"Text":"RT Bitcoin has a lot of promise. I'm not too sure about #ethereum","Lang":"en","Retweet":true,"Source":"","User":{"Id":"14377871","Name":"MagicalPipelines","Description":"","ScreenName":"Mitch","URL":"http://blog.mitchseymour.com/","FollowersCount":"120","FriendsCount":"120"}})",
};

struct TweetUser {
  std::string id;
  std::string name;
  std::string screen_name;
  std::string followers_count;
  bool operator==(const TweetUser&) const = default;
};
RUNNEL_JSON_FIELDS(TweetUser, (id, "Id"), (name, "Name"), (screen_name, "ScreenName"),
                   (followers_count, "FollowersCount"))

struct Tweet {
  int64_t created_at = 0;
  int64_t id = 0;
  std::string text;
  std::string lang;
  bool retweet = false;
  std::optional<TweetUser> user;
  bool operator==(const Tweet&) const = default;
};
RUNNEL_JSON_FIELDS(Tweet, (created_at, "CreatedAt"), (id, "Id"), (text, "Text"), (lang, "Lang"),
                   (retweet, "Retweet"), (user, "User"))

TEST(JsonSerdeTest, ReadsTheBooksTweets) {
  auto serde = jsonSerde<Tweet>();
  Tweet tweet;
  ASSERT_TRUE(serde->deserialize("tweets", kTweets[0], tweet).isOk());
  EXPECT_EQ(tweet.created_at, 1577933872630);
  EXPECT_EQ(tweet.id, 10005);
  EXPECT_EQ(tweet.text, "Bitcoin has a lot of promise. I'm not too sure about #ethereum");
  EXPECT_EQ(tweet.lang, "en");
  EXPECT_FALSE(tweet.retweet);
  ASSERT_TRUE(tweet.user.has_value());
  EXPECT_EQ(*tweet.user, (TweetUser{"14377870", "MagicalPipelines", "MagicalPipelines", "248247"}));

  ASSERT_TRUE(serde->deserialize("tweets", kTweets[1], tweet).isOk());
  EXPECT_EQ(tweet.id, 10006);
  EXPECT_TRUE(tweet.retweet);
  EXPECT_EQ(tweet.user->screen_name, "Mitch");
}

TEST(JsonSerdeTest, RoundTripsInDeclarationOrder) {
  auto serde = jsonSerde<Tweet>();
  Tweet tweet;
  ASSERT_TRUE(serde->deserialize("tweets", kTweets[0], tweet).isOk());
  std::string out;
  EXPECT_TRUE(serde->serialize("tweets", tweet, out));
  EXPECT_EQ(out,
            R"({"CreatedAt":1577933872630,"Id":10005,"Text":"Bitcoin has a lot of promise. I'm not too sure about #ethereum",)"
            R"("Lang":"en","Retweet":false,"User":{"Id":"14377870","Name":"MagicalPipelines",)"
            R"("ScreenName":"MagicalPipelines","FollowersCount":"248247"}})");
  Tweet back;
  ASSERT_TRUE(serde->deserialize("tweets", out, back).isOk());
  EXPECT_EQ(back, tweet);
}

TEST(JsonSerdeTest, NullRecordIsDefaultAndOptionalKeepsIt) {
  auto serde = jsonSerde<Tweet>();
  Tweet tweet;
  ASSERT_TRUE(serde->deserialize("tweets", kTweets[0], tweet).isOk());
  ASSERT_TRUE(serde->deserialize("tweets", std::nullopt, tweet).isOk());
  EXPECT_EQ(tweet, Tweet{});
  ASSERT_TRUE(serde->deserialize("tweets", "null", tweet).isOk());
  EXPECT_EQ(tweet, Tweet{});

  auto optional = Serdes::Optional(serde);
  std::optional<Tweet> maybe;
  ASSERT_TRUE(optional->deserialize("tweets", kTweets[1], maybe).isOk());
  EXPECT_EQ(maybe->id, 10006);
  ASSERT_TRUE(optional->deserialize("tweets", std::nullopt, maybe).isOk());
  EXPECT_FALSE(maybe.has_value());
}

TEST(JsonSerdeTest, BadRecordsAreErrorsNamingTopicAndField) {
  auto serde = jsonSerde<Tweet>();
  Tweet tweet;
  Status status = serde->deserialize("tweets", R"({"Id":1,"Lang":7})", tweet);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "JSON value from topic 'tweets': field 'Lang': expected a string, got an integer");
  EXPECT_EQ(serde->deserialize("tweets", R"({"User":{"Id":14377870}})", tweet).message(),
            "JSON value from topic 'tweets': field 'User': field 'Id': expected a string, got an integer");

  std::string truncated(kTweets[0].substr(0, kTweets[0].size() / 2));
  for (std::string_view bad : {std::string_view(truncated), std::string_view(""), std::string_view("\x00\x01", 2),
                               std::string_view("{\"Id\":1}garbage"), std::string_view("[[[[[[")}) {
    status = serde->deserialize("tweets", bad, tweet);
    EXPECT_FALSE(status.isOk()) << bad;
    EXPECT_EQ(status.message().rfind("JSON value from topic 'tweets': ", 0), 0u) << status.message();
  }
  std::string deep = R"({"User":)" + std::string(3000, '[') + std::string(3000, ']') + "}";
  EXPECT_FALSE(serde->deserialize("tweets", deep, tweet).isOk());
}

// Chapter 7's digital twin: key|value lines of turbine state events; enums get a Codec.
enum class Power { kOn, kOff };

struct TurbineState {
  std::string timestamp;
  std::optional<double> wind_speed_mph;
  Power power = Power::kOff;
  std::string type;
};
RUNNEL_JSON_FIELDS(TurbineState, (timestamp, "timestamp"), (wind_speed_mph, "wind_speed_mph"), (power, "power"),
                   (type, "type"))

}  // namespace
}  // namespace runnel::streams

template <>
struct runnel::json::Codec<runnel::streams::Power> {
  using Power = runnel::streams::Power;
  static Status read(const Value& value, Power& out) {
    RUNNEL_ASSIGN_OR_RETURN(std::string_view text, value.getString());
    if (text != "ON" && text != "OFF") return Status::invalidArgument("expected ON or OFF");
    out = text == "ON" ? Power::kOn : Power::kOff;
    return Status::ok();
  }
  static void write(Writer& writer, Power value) { writer.writeString(value == Power::kOn ? "ON" : "OFF"); }
  static void reset(Power& out) { out = Power::kOff; }
};

namespace runnel::streams {
namespace {

TEST(JsonSerdeTest, ReadsTheBooksTurbineEvents) {
  constexpr std::string_view kLines[] = {
      R"(1|{"timestamp": "2020-11-23T09:02:00.000Z", "wind_speed_mph": 40, "power": "ON", "type": "REPORTED"})",
      R"(1|{"timestamp": "2020-11-23T09:12:00.000Z", "power": "OFF", "type": "DESIRED"})",
  };
  auto keys = Serdes::String();
  auto values = jsonSerde<TurbineState>();
  std::string key;
  TurbineState state;
  ASSERT_TRUE(keys->deserialize("reported-state-events", kLines[0].substr(0, 1), key).isOk());
  ASSERT_TRUE(values->deserialize("reported-state-events", kLines[0].substr(2), state).isOk());
  EXPECT_EQ(key, "1");
  EXPECT_EQ(state.wind_speed_mph, 40.0);
  EXPECT_EQ(state.power, Power::kOn);
  std::string out;
  values->serialize("t", state, out);
  EXPECT_EQ(out, R"({"timestamp":"2020-11-23T09:02:00.000Z","wind_speed_mph":40.0,"power":"ON","type":"REPORTED"})");

  ASSERT_TRUE(values->deserialize("desired-state-events", kLines[1].substr(2), state).isOk());
  EXPECT_FALSE(state.wind_speed_mph.has_value());
  EXPECT_EQ(state.power, Power::kOff);
  EXPECT_EQ(state.type, "DESIRED");
  EXPECT_EQ(values->deserialize("t", R"({"power":"MAYBE"})", state).message(),
            "JSON value from topic 't': field 'power': expected ON or OFF");
}

}  // namespace
}  // namespace runnel::streams
