#include "crypto_topology.h"

#include <algorithm>
#include <vector>

#include "streams/json_serde.h"
#include "streams/serdes.h"

namespace runnel::examples::crypto {

using streams::Branched;
using streams::Consumed;
using streams::Named;
using streams::Produced;
using streams::Serdes;

streams::SerdePtr<TweetKey> tweetKeySerde() { return Serdes::Optional(Serdes::Bytes()); }

bool isTrackedCurrency(const std::string& entity) { return entity == "bitcoin" || entity == "ethereum"; }

Result<streams::Topology> cryptoSentimentTopology(std::shared_ptr<const LanguageClient> language_client) {
  streams::StreamsBuilder builder;
  auto tweets = builder.stream<TweetKey, Tweet>(
      kTweetsTopic, Consumed<TweetKey, Tweet>::with(tweetKeySerde(), streams::jsonSerde<Tweet>()));

  auto branches = tweets.filterNot([](const TweetKey&, const Tweet& tweet) { return tweet.retweet; })
                      .split(Named::as("language-"))
                      .branch([](const TweetKey&, const Tweet& tweet) { return tweet.lang == "en"; },
                              Branched<TweetKey, Tweet>::as("english"))
                      .defaultBranch(Branched<TweetKey, Tweet>::as("other"));
  auto english = branches.at("language-english");
  auto translated = branches.at("language-other").mapValues([language_client](const Tweet& tweet) {
    return language_client->translate(tweet, "en");
  });

  english.merge(translated)
      .flatMapValues([language_client](const Tweet& tweet) {
        std::vector<EntitySentiment> results = language_client->entitySentiment(tweet);
        std::erase_if(results, [](const EntitySentiment& result) { return !isTrackedCurrency(result.entity); });
        return results;
      })
      .to(kCryptoSentimentTopic,
          Produced<TweetKey, EntitySentiment>::with(tweetKeySerde(), streams::jsonSerde<EntitySentiment>()));
  return builder.build();
}

}  // namespace runnel::examples::crypto
