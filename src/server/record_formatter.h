#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runnel::server {

// Formats a topic's records as ksqlDB's PRINT does (its RecordFormatter): it guesses the
// key and value formats from the bytes, keeping the formats that could read every key
// (value) seen so far, and prints each record with the first format left:
//   rowtime: 2021/02/08 10:00:00.000 Z, key: k1, value: {"a":1}, partition: 0
// The formats tried, in order: JSON, KAFKA_INT, KAFKA_BIGINT, KAFKA_DOUBLE, KAFKA_STRING
// (AVRO, PROTOBUF and JSON_SR need a schema registry, which the server has not); keys
// also as SESSION(f), HOPPING(f) and TUMBLING(f) windowed keys of each. Bytes no format
// reads print as Kafka's Bytes.toString prints them.
// One consumed record, as PRINT needs it.
struct PrintedRecord {
  int64_t timestamp = -1;  // -1: none ("N/A")
  std::optional<std::string> key;
  std::optional<std::string> value;
  int32_t partition = 0;
};

class RecordFormatter {
 public:
  RecordFormatter();
  ~RecordFormatter();
  RecordFormatter(RecordFormatter&&) noexcept;
  RecordFormatter& operator=(RecordFormatter&&) noexcept;

  // One line per record. When a batch rules out the format that was first, the whole
  // batch is formatted again with the one now first, as ksqlDB does.
  std::vector<std::string> format(const std::vector<PrintedRecord>& records);

  // The formats that read every key (value) so far, or ksqlDB's shrug before any data.
  std::vector<std::string> possibleKeyFormats() const;
  std::vector<std::string> possibleValueFormats() const;

  struct Candidate {
    std::string name;
    // The bytes as text, or nullopt when this format cannot read them.
    std::function<std::optional<std::string>(std::string_view)> read;
  };

 private:
  struct Guesser {
    std::vector<Candidate> candidates;
    bool seen_data = false;
    std::string format(std::optional<std::string_view> bytes);
    std::vector<std::string> possible() const;
  };
  std::string formatOne(const PrintedRecord& record);

  Guesser keys_;
  Guesser values_;
};

// "Key format: KAFKA_STRING" (formats joined with " or "), or ksqlDB's line for none.
std::string formatsLine(std::string_view prefix, const std::vector<std::string>& formats);

// "2021/02/08 10:00:00.000 Z": the rowtime as ksqlDB's PRINT writes it (UTC).
std::string printRowtime(int64_t millis);

}  // namespace runnel::server
