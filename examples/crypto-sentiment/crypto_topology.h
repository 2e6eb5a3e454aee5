#pragma once

// Chapter 3 of the book: the sentiment of tweets about crypto currencies.
//   tweets -> filterNot(retweet) -> split(english | other) -> other: mapValues(translate)
//   -> merge -> flatMapValues(entity sentiment, bitcoin and ethereum only)
//   -> crypto-sentiment (JSON; the book's Avro comes later)

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "language_client.h"
#include "streams/serde.h"
#include "streams/topology.h"
#include "tweet.h"

namespace runnel::examples::crypto {

inline constexpr const char* kTweetsTopic = "tweets";
inline constexpr const char* kCryptoSentimentTopic = "crypto-sentiment";

// Tweets carry whatever key the producer gave (usually none): passed through untouched.
using TweetKey = std::optional<std::string>;
streams::SerdePtr<TweetKey> tweetKeySerde();

// The entities the application reports on.
bool isTrackedCurrency(const std::string& entity);

Result<streams::Topology> cryptoSentimentTopology(std::shared_ptr<const LanguageClient> language_client);

}  // namespace runnel::examples::crypto
