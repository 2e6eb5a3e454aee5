#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/engine/query_plan.h"
#include "sql/value.h"

namespace runnel::sql {

// The state stores ksqlDB's pull queries read, named as ksqlDB names them: a table read
// from its topic (CREATE SOURCE TABLE, and the source of a CTAS over a table), and the
// aggregation state of a CTAS with GROUP BY.
inline constexpr const char* kSourceTableStore = "KsqlTopic-Reduce";
inline constexpr const char* kAggregateStore = "Aggregate-Aggregate-Materialize";

// Where a queryable table's rows live: a store of the query that maintains it, and how
// an entry of that store becomes a row of the table. As ksqlDB, a CTAS keeps no store of
// its own output: its projection (and WHERE or HAVING) is applied to the entries it
// reads, when a pull query reads them.
struct Materialization {
  std::string query_id;
  std::string store;
  // Null: the entries are the table's rows (CREATE SOURCE TABLE). Aggregating: an entry
  // is a group's aggregation state. Otherwise: a row of the plan's source table.
  std::shared_ptr<const QueryPlan> plan;
  // The partitions of the table's topic: a table scan returns rows partition by
  // partition, each in the order of its serialized keys, as ksqlDB's scan does.
  int32_t partitions = 1;
};

// Stored rows and aggregation states carry their record time after their columns (Kafka
// Streams keeps it beside the value in a timestamped store): the ROWTIME of a pull query.
GenericRow withRowtime(GenericRow row, int64_t timestamp);
int64_t rowtimeOf(const GenericRow& stored);

// The table row (its key and value columns) of one store entry and its ROWTIME, or
// nullopt when the entry is not in the table (its WHERE or HAVING fails). `scratch` is
// reused between calls.
struct TableRow {
  GenericKey key;
  GenericRow value;
  int64_t rowtime = 0;
};
std::optional<TableRow> tableRowOf(const Materialization& materialization, const GenericKey& key,
                                   const GenericRow& stored, std::vector<Value>& scratch);

}  // namespace runnel::sql
