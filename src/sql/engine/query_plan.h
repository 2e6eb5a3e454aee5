#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"
#include "sql/engine/metastore.h"
#include "sql/expression.h"
#include "sql/functions.h"

namespace runnel::sql {

// How a query lays out the records of its source as one flat row for its expressions:
// key columns, value columns (header columns included, filled from the headers), then
// ROWTIME, ROWPARTITION and ROWOFFSET.
struct SourceLayout {
  struct HeaderColumn {
    int position = 0;
    std::string key;  // empty: all headers as ARRAY<STRUCT<KEY, VALUE>>
  };
  int key_count = 0;
  int width = 0;
  std::vector<int> value_positions;  // the record value's i-th column -> its position
  std::vector<HeaderColumn> headers;
  int rowtime = 0;
  int rowpartition = 0;
  int rowoffset = 0;
  // TIMESTAMP='col': the record's time is taken from this position, -1 when not set; a
  // STRING column is parsed with TIMESTAMP_FORMAT by `parse_timestamp`.
  int timestamp_position = -1;
  std::function<Value(std::span<const Value>)> parse_timestamp;
  std::string timestamp_format;
  ExpressionScope scope;
};

// One aggregate call: the function bound to its argument types and the expressions of
// its (non-literal) arguments, over the source row.
struct AggregateCall {
  std::shared_ptr<const AggregateFunction> function;
  std::vector<CompiledExpression> args;
};

// A SELECT analysed against the catalog and compiled: what the topology does per record,
// and the schema of what it produces.
struct QueryPlan {
  const DataSource* source = nullptr;
  SourceLayout layout;
  std::optional<CompiledExpression> where;

  // Not aggregating: the output value (and, after PARTITION BY, key) of each row. The
  // key is recomputed when key_exprs is not empty (PARTITION BY, key columns selected in
  // another order, or dropped).
  bool rekey = false;
  bool drop_key = false;
  std::vector<CompiledExpression> key_exprs;
  // Per key expression: it reads key columns only. For a record without a value ksqlDB
  // computes only those; an expression that reads the (absent) value or ROWTIME is NULL.
  std::vector<bool> key_expr_reads_key_only;

  // Aggregating: the group of each source row; per group the aggregates' state. The
  // value and HAVING expressions then run on [group columns..., aggregate results...].
  bool aggregate = false;
  std::vector<CompiledExpression> group_exprs;
  std::vector<AggregateCall> aggregates;
  std::optional<CompiledExpression> having;

  std::vector<CompiledExpression> value_exprs;
  LogicalSchema output;
  bool output_is_table = false;
};

// Persistent queries write keyed records (the key columns must be selected); push
// queries deliver every selected column, in order, as the row's value.
enum class QueryKind : unsigned char { kPersistent, kPush };

struct PlanOptions {
  QueryKind kind = QueryKind::kPersistent;
  // ksql.new.query.planner.enabled: a projection without the key columns writes
  // records without a key instead of failing.
  bool keyless_projection = false;
};

// Analyses `query` (FROM, WHERE, GROUP BY, PARTITION BY, HAVING, projection) as ksqlDB
// does, with its error messages; `sink_name` names the result in messages.
Result<QueryPlan> planQuery(const Query& query, const MetaStore& metastore, const FunctionRegistry& functions,
                            const std::string& sink_name, PlanOptions options = {});

// The flat-row layout and scope of `source` read under `alias`.
SourceLayout layoutOf(const DataSource& source, const std::string& alias);

}  // namespace runnel::sql
