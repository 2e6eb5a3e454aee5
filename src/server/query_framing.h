#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/types.h"
#include "sql/value.h"

namespace runnel::server {

// How a query's rows are framed on the wire.
enum class PushFraming : unsigned char {
  kQuery,            // POST /query: [{"header":...},\n{"row":{"columns":[...]}},\n...]
  kDelimited,        // POST /query-stream, application/vnd.ksqlapi.delimited.v1: one JSON per line
  kJsonArray,        // POST /query-stream, application/json: [{metadata}, [row], ...]
};

// What a query's header says: its id and columns (key columns marked KEY in /query's
// schema, as pull queries mark them).
struct QueryColumns {
  std::string id;
  std::vector<std::string> names;
  std::vector<sql::SqlTypePtr> types;
  std::vector<bool> keys;
};

// The header, each row and the end of a query's response; the header and rows end with
// the separator that the next part needs.
std::string frameHeader(const QueryColumns& columns, PushFraming framing);
// tombstone: a deleted row of a table, marked as ksqlDB's /query marks it.
std::string frameRow(const sql::GenericRow& row, const std::vector<sql::SqlTypePtr>& types, PushFraming framing,
                     bool tombstone = false);
std::string frameEnd(std::string_view final_message, PushFraming framing);

}  // namespace runnel::server
