#pragma once

#include <string_view>
#include <vector>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/status.h"
#include "sql/schema.h"
#include "sql/value.h"

namespace runnel::sql {

// SQL values in and out of JSON, shared by the JSON format, the REST API and valueFromJson.
//
// Reading applies the coercions of ksqlDB's JSON deserializer: numbers and numeric strings
// to INT/BIGINT/DOUBLE/DECIMAL, anything to STRING, base64 text to BYTES, DATE/TIME/
// TIMESTAMP from their numbers, and object members matched to STRUCT fields (or columns)
// by exact name, else by their upper-cased name. Errors carry ksqlDB's text and path:
// "Can't convert type. sourceType: TextNode, requiredType: INTEGER, path: $.A[0]".

Status readJsonValue(json::Value json, const SqlType& type, Value& out);
// A record's columns from the members of `json`; record_type names the record in the
// error when `json` is not an object.
Status readJsonColumns(json::Value json, const std::vector<Column>& columns,
                       std::string_view record_type, std::vector<Value>& out);

// How DATE, TIME and TIMESTAMP appear: numbers in records (days, millis of the day, epoch
// millis), ISO text in the REST API ("2021-02-08", "10:00", "2021-02-08T10:00:00.000").
enum class JsonStyle { kRecord, kRest };

void writeJsonValue(json::Writer& writer, const Value& value, const SqlType& type, JsonStyle style);

}  // namespace runnel::sql
