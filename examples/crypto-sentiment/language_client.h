#pragma once

#include <string>
#include <vector>

#include "tweet.h"

namespace runnel::examples::crypto {

// Translation and entity sentiment, as the book's LanguageClient: a cloud natural
// language service in production, a stand-in here.
class LanguageClient {
 public:
  virtual ~LanguageClient() = default;
  virtual Tweet translate(const Tweet& tweet, const std::string& target_language) const = 0;
  // One record per distinct entity that the tweet mentions.
  virtual std::vector<EntitySentiment> entitySentiment(const Tweet& tweet) const = 0;
};

// The book's DummyClient, made deterministic so that tests can compare outputs:
// "translates" by prefixing the text, takes every distinct word as an entity (lower-case,
// a leading '#' dropped) and gives each the same sentiment.
class DummyLanguageClient final : public LanguageClient {
 public:
  static constexpr double kSentimentScore = 0.5;
  static constexpr double kSentimentMagnitude = 0.8;
  static constexpr double kSalience = 0.3;

  Tweet translate(const Tweet& tweet, const std::string& target_language) const override;
  std::vector<EntitySentiment> entitySentiment(const Tweet& tweet) const override;
};

// The distinct words of `text` in order of appearance: runs of letters, digits and '#',
// lower-cased, with the '#' of a hashtag removed ("#Ethereum," -> "ethereum").
std::vector<std::string> entityWords(const std::string& text);

}  // namespace runnel::examples::crypto
