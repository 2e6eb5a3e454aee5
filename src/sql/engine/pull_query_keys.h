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

// How a pull query's WHERE clause bounds the keys when it does not fix them. bounded: it
// compares the single key column with a value (<, <=, >, >=), a range scan that
// ksql.query.pull.range.scan.enabled allows even when table scans are disabled. missing:
// ksqlDB's reason when a disjunct does not bound every key column.
struct KeyRange {
  bool bounded = false;
  std::string missing;
};
KeyRange keyRangeOfWhere(const Expr* where, const DataSource& table, const std::string& alias);

}  // namespace runnel::sql
