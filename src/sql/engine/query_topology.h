#pragma once

#include <functional>
#include <memory>

#include "common/result.h"
#include "sql/engine.h"
#include "sql/engine/metastore.h"
#include "sql/engine/query_plan.h"
#include "sql/functions.h"
#include "streams/topology.h"

namespace runnel::sql {

// Builds the streams topology of a persistent query: read the source topic, run the
// plan, write the sink's topic in its formats, each record at the time of the sink's
// TIMESTAMP column when it has one (`functions` parse a STRING one).
Result<streams::Topology> buildQueryTopology(std::shared_ptr<const QueryPlan> plan, const DataSource& sink,
                                             const FunctionRegistry& functions);

// Builds the topology of CREATE SOURCE TABLE: the topic read into the store its pull
// queries read.
Result<streams::Topology> buildSourceTableTopology(const DataSource& table);

// Builds the topology of a push query: rows go to `on_row` (on a stream thread) instead
// of a topic, a table's deleted rows as tombstones.
Result<streams::Topology> buildPushTopology(std::shared_ptr<const QueryPlan> plan, RowCallback on_row);

}  // namespace runnel::sql
