#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"
#include "sql/engine/metastore.h"
#include "sql/functions.h"
#include "sql/value.h"

namespace runnel::sql {

// The keys a pull query's WHERE clause pins down, so that it reads them from the store
// instead of scanning it: every disjunct (of ORs) must fix each key column of `table`
// with `=` or IN to values that need no row. nullopt when it does not: the query scans.
// The WHERE clause is still applied to every row read, so a lookup only narrows the read.
// Fails when a value cannot be converted to its key column's type, as ksqlDB does.
Result<std::optional<std::vector<GenericKey>>> keysOfWhere(const Expr* where, const DataSource& table,
                                                           const std::string& alias,
                                                           const FunctionRegistry& functions);

}  // namespace runnel::sql
