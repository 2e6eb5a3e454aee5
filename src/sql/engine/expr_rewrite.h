#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sql/ast.h"

namespace runnel::sql {

// Small tools over expression trees for the query analysis.

// A column reference to `name` (qualifier empty), as the parser would make it.
ExprPtr makeColumnRef(const std::string& name, const std::string& qualifier = {});

// Structural equality: same operators, literals, functions and columns; column
// qualifiers are ignored (a query reads one source, so `S.ID` and `ID` are the same).
bool sameExpression(const Expr& a, const Expr& b);

// Rebuilds `expr` bottom-up: `replace` sees every node first and returns a replacement,
// or nullptr to descend into the node's children.
ExprPtr rewriteExpression(const ExprPtr& expr, const std::function<ExprPtr(const ExprPtr&)>& replace);

// Calls `visit` on each column reference in `expr`.
void forEachColumn(const Expr& expr, const std::function<void(const Expr&)>& visit);

// The name ksqlDB gives an unaliased select item: a column's name, a struct field's
// name, else empty (the caller numbers it KSQL_COL_n).
std::string implicitColumnName(const Expr& expr);

}  // namespace runnel::sql
