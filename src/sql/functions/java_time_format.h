#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/functions/time_zone.h"

namespace runnel::sql::functions {

// A java.time DateTimeFormatter pattern ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"), compiled once
// into fields and literal text. Supported letters: G y u D M L d H h k K m s S a E z Z X x
// V; text in '...' ('' is a quote); optional sections [...], parsed when they match; other
// ASCII letters are rejected as Java does. Names (MMM, EEEE, a) are English, as ksqlDB's
// Locale.ROOT formatter prints them; z prints the tz database abbreviation ("PDT") for any
// count.
class JavaTimeFormat {
 public:
  // Fails with "Unknown pattern letter: b" or an unterminated quote.
  static Result<JavaTimeFormat> compile(std::string_view pattern);

  std::string format(int64_t utc_millis, const TimeZone& zone) const;
  // The instant `text` denotes, read case-insensitively as ksqlDB's parser does
  // ("...:33z"). Fields the pattern lacks default to 1970-01-01 00:00:00.000; the text's own
  // offset or zone, if the pattern has one, wins over `zone`.
  Result<int64_t> parse(std::string_view text, const TimeZone& zone) const;

 private:
  struct Token {
    char letter = 0;  // 0: literal text; '[' and ']': an optional section
    int count = 0;    // letters repeated; for '[', the index of its ']'
    std::string literal;
  };
  struct ParsedFields;
  explicit JavaTimeFormat(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
  static bool isNumeric(const Token& token);
  // Reads tokens_[begin, end) from text[pos...], advancing pos.
  Status parseTokens(std::string_view text, size_t& pos, size_t begin, size_t end,
                     ParsedFields& fields) const;

  std::vector<Token> tokens_;
};

}  // namespace runnel::sql::functions
