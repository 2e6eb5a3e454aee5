#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace runnel {

// Java-style properties (key=value or key: value, # and ! comments, backslash line
// continuations), as Kafka's server.properties and client config files use them.
class Properties {
 public:
  static Result<Properties> parse(std::string_view text);
  static Result<Properties> load(const std::string& path);

  // Applies "key=value"; an argument without '=' is an error.
  Status setAssignment(std::string_view assignment);
  void set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }

  std::optional<std::string> get(std::string_view key) const;
  std::string getOr(std::string_view key, std::string_view fallback) const;
  Result<int64_t> getInt(std::string_view key, int64_t fallback) const;
  Result<bool> getBool(std::string_view key, bool fallback) const;

  const std::map<std::string, std::string, std::less<>>& all() const { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Parses a decimal integer, the whole string; nullopt on anything else.
std::optional<int64_t> parseInt64(std::string_view text);

}  // namespace runnel
