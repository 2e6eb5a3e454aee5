#pragma once

#include <string>

#include "common/result.h"
#include "sql/engine/metastore.h"
#include "sql/engine/with_clause.h"

namespace runnel::sql {

// Checks shared by CREATE STREAM|TABLE and CREATE ... AS SELECT.

// The format name checked: supported now, later (AVRO, PROTOBUF, JSON_SR), or unknown.
Status checkFormatName(const std::string& name);
// Key and value formats can hold the schema's columns (with ksqlDB's messages, MAP-typed
// keys included), and WRAP_SINGLE_VALUE fits the value columns.
Status checkFormatsFit(const DataSource& source, bool wrap_given);
// The TIMESTAMP / TIMESTAMP_FORMAT properties name a usable column.
Status applyTimestampProperties(const WithClause& with, DataSource& source);
// "Key format does not support schema..." for key columns, as ksqlDB words it.
std::string persistenceText(const std::vector<Column>& columns);

}  // namespace runnel::sql
