#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace runnel::json {

// An owned JSON value, for test files and expected records that outlive a parse.
struct JsonTree {
  enum class Kind : unsigned char { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;  // kString: the string; kNumber: the number as written
  std::vector<JsonTree> items;
  std::vector<std::pair<std::string, JsonTree>> members;

  bool isNull() const { return kind == Kind::kNull; }
  // The member named `name`, or nullptr.
  const JsonTree* find(std::string_view name) const;
  // Compact JSON text.
  std::string toJson() const;
};

// The text with `//` comments outside strings removed (lines kept), for lenient JSON.
std::string withoutComments(std::string_view text);

// Parses JSON text; with `lenient`, `//` comments outside strings are allowed (the QTT
// files have them).
Result<JsonTree> parseJsonTree(std::string_view text, bool lenient = false);

// Equality as the test comparisons need it: objects regardless of member order, numbers
// by value (1 == 1.0).
bool sameJson(const JsonTree& a, const JsonTree& b);

}  // namespace runnel::json
