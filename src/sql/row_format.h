#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/schema.h"
#include "sql/value.h"

namespace runnel::sql {

// A key or value format as a source's WITH clause names it: KAFKA, JSON, DELIMITED or NONE
// (upper-cased), with its options (VALUE_DELIMITER as "delimiter"; wrapping).
struct FormatInfo {
  std::string name;
  std::map<std::string, std::string> properties;
};

// Reads and writes the columns of a record key or value in one format, in the order of the
// columns it was made for. One instance serves every thread (stateless / thread-safe).
class RowFormat {
 public:
  virtual ~RowFormat() = default;
  // Fills `out` (resized to the column count) from the record's bytes; a null record reads
  // as all-NULL columns. Fails with ksqlDB's deserialization message when the bytes do not
  // fit the columns.
  virtual Status read(std::optional<std::string_view> bytes, std::vector<Value>& out) const = 0;
  // Appends the bytes of `values` to `out`; returns false when the record is null (format
  // NONE, or a value with no columns).
  virtual bool write(const std::vector<Value>& values, std::string& out) const = 0;
};

// The format for `columns` of a key (is_key) or value. wrap_single_value: WRAP_SINGLE_VALUE
// (JSON only; a single unwrapped column is written bare). Fails with ksqlDB's message when
// the format cannot hold the columns (e.g. "The 'KAFKA' format only supports a single
// field. Got: [...]").
Result<std::shared_ptr<const RowFormat>> makeRowFormat(const FormatInfo& format, const std::vector<Column>& columns,
                                                       bool is_key, bool wrap_single_value = true);

// True for the formats this build supports (KAFKA, JSON, DELIMITED, NONE).
bool isSupportedFormat(const std::string& name);

// A self-describing binary encoding of values for internal topics and state stores
// (repartition, changelog, aggregation state), independent of the user's formats.
void encodeValues(const std::vector<Value>& values, std::string& out);
Status decodeValues(std::string_view bytes, std::vector<Value>& out);

// A value as the REST API and CLI print it (ksqlDB's JSON rendering: DECIMAL as a number,
// TIMESTAMP as "2021-02-08T10:00:00.000", DATE "2021-02-08", TIME "10:00", BYTES base64,
// STRUCT as an object with its field names, MAP as an object).
void appendRestJson(const Value& value, const SqlType& type, std::string& out);

// Converts a JSON text (a REST insert, a test's record) into a value of `type`, with the
// coercions ksqlDB's JSON format applies.
Result<Value> valueFromJson(std::string_view json, const SqlType& type);

}  // namespace runnel::sql
