#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/types.h"

namespace runnel::sql {

enum class ColumnNamespace : unsigned char {
  kKey,     // read from / written to the record key
  kValue,   // read from / written to the record value
  kHeader,  // HEADERS (all headers as ARRAY<STRUCT<KEY STRING, VALUE BYTES>>) or HEADER('k') (BYTES)
};

struct Column {
  std::string name;
  SqlTypePtr type;
  ColumnNamespace ns = ColumnNamespace::kValue;
  std::string header_key;  // HEADER('k'); empty for all HEADERS

  bool operator==(const Column& other) const {
    return name == other.name && sameType(type, other.type) && ns == other.ns && header_key == other.header_key;
  }
};

// A source's or query's columns as ksqlDB models them: key columns, then value columns
// (header columns are value-side columns that are filled from the record's headers and
// never written to the value).
struct LogicalSchema {
  std::vector<Column> key;
  std::vector<Column> value;

  const Column* find(const std::string& name) const;
  // Value columns that are stored in the record value (no header columns).
  std::vector<Column> valueColumnsInRecord() const;
  // ksqlDB's schema text: "`ID` INTEGER KEY, `NAME` STRING" (with_backquotes) or
  // "ID INTEGER KEY, NAME STRING".
  std::string toString(bool with_backquotes = true) const;
  bool operator==(const LogicalSchema&) const = default;
};

}  // namespace runnel::sql
