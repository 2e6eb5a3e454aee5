#pragma once

#include <string>

#include "client/types.h"
#include "common/properties.h"
#include "common/result.h"

namespace runnel::cli {

// Decodes a key or value for display, as the Java deserializer classes named in
// key.deserializer / value.deserializer do; raw bytes by default.
enum class Deserializer { kBytes, kLong, kInteger, kShort, kDouble, kFloat };

// kafka-console-consumer's DefaultMessageFormatter, configured with --property.
struct FormatterConfig {
  bool print_timestamp = false;
  bool print_partition = false;
  bool print_offset = false;
  bool print_headers = false;
  bool print_key = false;
  bool print_value = true;
  std::string key_separator = "\t";  // between the printed fields
  std::string line_separator = "\n";
  std::string headers_separator = ",";
  std::string null_literal = "null";
  Deserializer key_deserializer = Deserializer::kBytes;
  Deserializer value_deserializer = Deserializer::kBytes;
  Deserializer headers_deserializer = Deserializer::kBytes;
};

// Reads print.timestamp, print.partition, print.offset, print.headers, print.key,
// print.value, key.separator, line.separator, headers.separator, null.literal and
// key/value/headers.deserializer (Java class names; the String/ByteArray ones print raw
// bytes, the Long/Integer/Short/Double/Float ones decode big-endian numbers).
Result<FormatterConfig> makeFormatterConfig(const Properties& props);

Result<Deserializer> deserializerFromClassName(const std::string& class_name);

// Appends the record as Kafka prints it: the selected fields in the order timestamp
// ("CreateTime:1598226962606"), "Partition:0", "Offset:5", headers ("k1:v1,k2:v2" or
// "NO_HEADERS"), key, value, joined by key.separator and ended by line.separator.
void formatMessage(const FormatterConfig& config, const client::Message& message, std::string& out);

}  // namespace runnel::cli
