#include "language_client.h"

#include <algorithm>
#include <cctype>

namespace runnel::examples::crypto {

std::vector<std::string> entityWords(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  auto finishWord = [&] {
    size_t start = word.find_first_not_of('#');
    if (start != std::string::npos) {
      std::string entity = word.substr(start);
      if (std::find(words.begin(), words.end(), entity) == words.end()) words.push_back(std::move(entity));
    }
    word.clear();
  };
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '#') {
      word.push_back(static_cast<char>(std::tolower(byte)));
    } else {
      finishWord();
    }
  }
  finishWord();
  return words;
}

Tweet DummyLanguageClient::translate(const Tweet& tweet, const std::string& target_language) const {
  Tweet translated = tweet;
  translated.text = "Translated: " + tweet.text;
  translated.lang = target_language;
  return translated;
}

std::vector<EntitySentiment> DummyLanguageClient::entitySentiment(const Tweet& tweet) const {
  std::vector<EntitySentiment> results;
  for (std::string& entity : entityWords(tweet.text)) {
    results.push_back({tweet.created_at, tweet.id, std::move(entity), tweet.text, kSentimentScore,
                       kSentimentMagnitude, kSalience});
  }
  return results;
}

}  // namespace runnel::examples::crypto
