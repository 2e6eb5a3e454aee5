// Chapter 3: the book's test tweets, and each step of the topology on its own.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "book_data.h"
#include "crypto_topology.h"
#include "streams/json_serde.h"
#include "streams/serdes.h"
#include "streams/topology_test_driver.h"

namespace runnel::examples::crypto {
namespace {

using streams::Serdes;
using streams::TopologyTestDriver;

const std::string kBookTweet = "Bitcoin has a lot of promise. I'm not too sure about #ethereum";

class CryptoSentimentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto topology = cryptoSentimentTopology(std::make_shared<DummyLanguageClient>());
    ASSERT_TRUE(topology.isOk()) << topology.status().message();
    auto driver = TopologyTestDriver::create(*topology);
    ASSERT_TRUE(driver.isOk()) << driver.status().message();
    driver_ = std::move(*driver);
  }

  // Tweets as the book's producer writes them: JSON text, no key.
  void pipeJson(const std::vector<std::string>& lines) {
    auto input = driver_->createInputTopic<TweetKey, std::string>(kTweetsTopic, tweetKeySerde(), Serdes::String());
    input.pipeValueList(lines);
  }
  void pipeTweet(const Tweet& tweet) {
    std::string json;
    json::appendJson(tweet, json);
    pipeJson({json});
  }
  std::vector<streams::KeyValue<TweetKey, EntitySentiment>> output() {
    return driver_
        ->createOutputTopic<TweetKey, EntitySentiment>(kCryptoSentimentTopic, tweetKeySerde(),
                                                       streams::jsonSerde<EntitySentiment>())
        .readKeyValuesToList();
  }
  static Tweet tweet(int64_t id, std::string text, std::string lang = "en", bool retweet = false) {
    Tweet t;
    t.created_at = 1577933872630;
    t.id = id;
    t.text = std::move(text);
    t.lang = std::move(lang);
    t.retweet = retweet;
    return t;
  }

  std::unique_ptr<TopologyTestDriver> driver_;
};

TEST_F(CryptoSentimentTest, BookTestDataYieldsBitcoinAndEthereumOfTheOriginalTweet) {
  BOOK_DATA_OR_SKIP(book);
  auto lines = book_data::readLines(book, "chapter-03/data/test.json");
  ASSERT_EQ(lines.size(), 2u);
  pipeJson(lines);
  auto records = output();
  ASSERT_EQ(records.size(), 2u);
  const double score = DummyLanguageClient::kSentimentScore;
  const double magnitude = DummyLanguageClient::kSentimentMagnitude;
  const double salience = DummyLanguageClient::kSalience;
  EXPECT_EQ(records[0].key, std::nullopt);
  EXPECT_EQ(records[0].value, (EntitySentiment{1577933872630, 10005, "bitcoin", kBookTweet, score, magnitude, salience}));
  EXPECT_EQ(records[1].value, (EntitySentiment{1577933872630, 10005, "ethereum", kBookTweet, score, magnitude, salience}));
}

TEST_F(CryptoSentimentTest, BookTweetReadsIntoTweetAndBack) {
  BOOK_DATA_OR_SKIP(book);
  auto lines = book_data::readLines(book, "chapter-03/data/test.json");
  ASSERT_FALSE(lines.empty());
  Tweet parsed;
  ASSERT_TRUE(json::fromJson(lines[0], parsed).isOk());
  EXPECT_EQ(parsed.id, 10005);
  EXPECT_EQ(parsed.created_at, 1577933872630);
  EXPECT_EQ(parsed.text, kBookTweet);
  EXPECT_EQ(parsed.lang, "en");
  EXPECT_FALSE(parsed.retweet);
  EXPECT_EQ(parsed.user.screen_name, "MagicalPipelines");
  EXPECT_EQ(parsed.user.followers_count, "248247");
  std::string written;
  json::appendJson(parsed, written);
  Tweet again;
  ASSERT_TRUE(json::fromJson(written, again).isOk());
  EXPECT_EQ(again, parsed);
}

TEST_F(CryptoSentimentTest, EntitySentimentJsonHasTheAvroSchemaFieldNames) {
  std::string json;
  json::appendJson(EntitySentiment{1, 2, "bitcoin", "t", 0.5, 0.25, 1}, json);
  EXPECT_EQ(json,
            R"({"created_at":1,"id":2,"entity":"bitcoin","text":"t","sentiment_score":0.5,)"
            R"("sentiment_magnitude":0.25,"salience":1.0})");
}

TEST_F(CryptoSentimentTest, RetweetsAreDropped) {
  pipeTweet(tweet(1, "RT bitcoin", "en", true));
  pipeTweet(tweet(2, "RT ethereum", "de", true));
  EXPECT_TRUE(output().empty());
}

TEST_F(CryptoSentimentTest, OtherLanguagesAreTranslatedFirst) {
  pipeTweet(tweet(7, "Me gusta #Bitcoin", "es"));
  auto records = output();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value.entity, "bitcoin");
  EXPECT_EQ(records[0].value.id, 7);
  EXPECT_EQ(records[0].value.text, "Translated: Me gusta #Bitcoin");
}

TEST_F(CryptoSentimentTest, OnlyWholeWordsOfTrackedCurrenciesCount) {
  pipeTweet(tweet(1, "bitcoins, notethereum and #dogecoin"));
  EXPECT_TRUE(output().empty());
  pipeTweet(tweet(2, "ETHEREUM! Ethereum, #ethereum; and BitCoin?"));
  auto records = output();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].value.entity, "ethereum");
  EXPECT_EQ(records[1].value.entity, "bitcoin");
}

TEST(EntityWordsTest, LowerCasesSplitsOnPunctuationAndDropsHashes) {
  EXPECT_EQ(entityWords("Bitcoin has #Ethereum, bitcoin."),
            (std::vector<std::string>{"bitcoin", "has", "ethereum"}));
  EXPECT_EQ(entityWords("  # ##x"), (std::vector<std::string>{"x"}));
  EXPECT_TRUE(entityWords("").empty());
}

TEST(EntityWordsTest, TrackedCurrencies) {
  EXPECT_TRUE(isTrackedCurrency("bitcoin"));
  EXPECT_TRUE(isTrackedCurrency("ethereum"));
  EXPECT_FALSE(isTrackedCurrency("Bitcoin"));  // entities come lower-cased
  EXPECT_FALSE(isTrackedCurrency("dogecoin"));
}

}  // namespace
}  // namespace runnel::examples::crypto
