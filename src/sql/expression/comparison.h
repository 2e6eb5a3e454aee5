#pragma once

#include "sql/expression/node.h"

// Shared by comparison.cc, in.cc and case.cc: how two operands are brought to one type
// for `=`, `<` and friends.
namespace runnel::sql::expression {

enum class Comparison : unsigned char { kEqual, kOrdering };

// The type both operands are compared in, converting a STRING to the other side's DATE,
// TIME or TIMESTAMP and a DATE to TIMESTAMP; nullptr when they cannot be compared with
// `kind` (ARRAY, MAP and STRUCT only support equality).
SqlTypePtr comparisonType(const SqlTypePtr& a, const SqlTypePtr& b, Comparison kind);

// Nodes over operands already coerced to `type`.
NodePtr equalsNode(const SqlTypePtr& type, NodePtr left, NodePtr right);

}  // namespace runnel::sql::expression
