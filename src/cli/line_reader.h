#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/types.h"
#include "common/properties.h"
#include "common/result.h"

namespace runnel::cli {

// How kafka-console-producer's LineMessageReader turns a line into a record, set with
// --property: "[headers<headers.delimiter>][key<key.separator>]value", headers being
// "k<headers.key.separator>v" pairs joined by headers.separator.
struct LineReaderConfig {
  bool parse_key = false;
  std::string key_separator = "\t";
  bool parse_headers = false;
  std::string headers_delimiter = "\t";
  std::string headers_separator = ",";
  std::string headers_key_separator = ":";
  bool ignore_error = false;                // a line missing a separator becomes a plain value
  std::optional<std::string> null_marker;  // a key, value or header value equal to it is null
};

// Reads parse.key, key.separator, parse.headers, headers.delimiter, headers.separator,
// headers.key.separator, ignore.error and null.marker; rejects separators that collide
// with Kafka's messages ("headers.delimiter and headers.separator may not be equal").
Result<LineReaderConfig> makeLineReaderConfig(const Properties& props);

struct ParsedLine {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<client::Header> headers;
};

// Parses one line (without its line terminator). `line_number` counts from 1 and only
// appears in error messages, which are Kafka's: "No key separator found on line number
// 1: 'abc'".
Result<ParsedLine> parseLine(const LineReaderConfig& config, std::string_view line, int64_t line_number);

}  // namespace runnel::cli
