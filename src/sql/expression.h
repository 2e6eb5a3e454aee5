#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"
#include "sql/types.h"
#include "sql/value.h"

namespace runnel::sql {

class FunctionRegistry;

// The columns an expression can reference, each at an index of the flat row the compiled
// expression is evaluated on. The engine lays the row out (key columns, value columns,
// ROWTIME, ROWPARTITION, ROWOFFSET, ...), so expressions know only indexes.
struct ScopeColumn {
  std::string name;       // resolved name (upper-cased unless quoted)
  std::string qualifier;  // the source alias it can be qualified with; empty: none
  SqlTypePtr type;
  int index = 0;
};

class ExpressionScope {
 public:
  void add(ScopeColumn column) { columns_.push_back(std::move(column)); }
  // The column `name` (qualifier: empty or the source alias); nullptr when none.
  const ScopeColumn* find(const std::string& qualifier, const std::string& name) const;
  const std::vector<ScopeColumn>& columns() const { return columns_; }

 private:
  std::vector<ScopeColumn> columns_;
};

// An expression compiled once per query into a tree of typed evaluators over column
// indexes: no name lookups or type dispatch on strings per row. Evaluation never throws;
// a runtime error (bad cast, overflow in a function) yields NULL as ksqlDB's does, and is
// reported to the optional error sink for the processing log.
class CompiledExpression {
 public:
  class Node;  // defined by the implementation
  CompiledExpression(std::shared_ptr<const Node> root, SqlTypePtr type);

  Value evaluate(std::span<const Value> row) const;
  // The result type (nullptr for an untyped NULL literal).
  const SqlTypePtr& type() const { return type_; }

 private:
  std::shared_ptr<const Node> root_;
  SqlTypePtr type_;
};

// How ksqlDB's messages for a badly typed IN start; the clause it is in adds nothing.
inline constexpr std::string_view kInvalidPredicate = "Invalid Predicate: ";

// Type-checks and compiles `expr`; fails with ksqlDB's message for unknown columns
// ("Column 'X' cannot be resolved."), unknown functions, type mismatches and aggregate
// calls (which the engine rewrites before compiling).
Result<CompiledExpression> compileExpression(const Expr& expr, const ExpressionScope& scope,
                                             const FunctionRegistry& functions);

// The type `expr` would have, without compiling it.
Result<SqlTypePtr> expressionType(const Expr& expr, const ExpressionScope& scope, const FunctionRegistry& functions);

// Casts `value` of type `from` to `to` as CAST does (NULL when it cannot be converted);
// the engine uses it to coerce INSERT VALUES and sink columns.
Value castValue(const Value& value, const SqlType& from, const SqlType& to);

}  // namespace runnel::sql
