#pragma once

// The records of chapter 3: tweets in (JSON as the book's test.json, Twitter's field
// names) and entity sentiments out.

#include <cstdint>
#include <string>

#include "common/json_bind.h"

namespace runnel::examples::crypto {

struct TwitterUser {
  std::string id;  // Twitter's JSON has the user's numbers as strings
  std::string name;
  std::string description;
  std::string screen_name;
  std::string url;
  std::string followers_count;
  std::string friends_count;

  bool operator==(const TwitterUser&) const = default;
};
RUNNEL_JSON_FIELDS(TwitterUser, (id, "Id"), (name, "Name"), (description, "Description"),
                   (screen_name, "ScreenName"), (url, "URL"), (followers_count, "FollowersCount"),
                   (friends_count, "FriendsCount"))

struct Tweet {
  int64_t created_at = 0;  // milliseconds since the epoch
  int64_t id = 0;
  std::string text;
  std::string lang;
  bool retweet = false;
  std::string source;
  TwitterUser user;

  bool operator==(const Tweet&) const = default;
};
RUNNEL_JSON_FIELDS(Tweet, (created_at, "CreatedAt"), (id, "Id"), (text, "Text"), (lang, "Lang"),
                   (retweet, "Retweet"), (source, "Source"), (user, "User"))

// One entity of a tweet and how the tweet feels about it; the fields of the book's Avro
// schema, which a later version writes instead of JSON.
struct EntitySentiment {
  int64_t created_at = 0;
  int64_t id = 0;
  std::string entity;
  std::string text;
  double sentiment_score = 0;
  double sentiment_magnitude = 0;
  double salience = 0;

  bool operator==(const EntitySentiment&) const = default;
};
RUNNEL_JSON_FIELDS(EntitySentiment, (created_at, "created_at"), (id, "id"), (entity, "entity"), (text, "text"),
                   (sentiment_score, "sentiment_score"), (sentiment_magnitude, "sentiment_magnitude"),
                   (salience, "salience"))

}  // namespace runnel::examples::crypto
