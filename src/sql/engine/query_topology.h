#pragma once

#include <memory>

#include "common/result.h"
#include "sql/engine/metastore.h"
#include "sql/engine/query_plan.h"
#include "streams/topology.h"

namespace runnel::sql {

// Builds the streams topology of a persistent query: read the source topic, run the
// plan, write the sink's topic in its formats.
Result<streams::Topology> buildQueryTopology(std::shared_ptr<const QueryPlan> plan, const DataSource& sink);

}  // namespace runnel::sql
