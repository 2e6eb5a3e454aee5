// = <> < <= > >=, IS [NOT] DISTINCT FROM and BETWEEN. As ksqlDB's generated code does, a
// comparison with a NULL operand is false (not NULL), and so is BETWEEN.
#include "sql/expression/comparison.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql/expression/decimal.h"
#include "sql/expression/temporal.h"

namespace runnel::sql::expression {
namespace {

template <class T>
int threeWay(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, Decimal>) {
    return compareDecimals(a, b);
  } else if constexpr (std::is_same_v<T, Date>) {
    return threeWay(a.days, b.days);
  } else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, Timestamp>) {
    return threeWay(a.millis, b.millis);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return a.data.compare(b.data);
  } else {
    return a < b ? -1 : (b < a ? 1 : 0);
  }
}

template <Operator kOp>
bool holds(int order) {
  switch (kOp) {
    case Operator::kEqual: return order == 0;
    case Operator::kNotEqual: return order != 0;
    case Operator::kLess: return order < 0;
    case Operator::kLessOrEqual: return order <= 0;
    case Operator::kGreater: return order > 0;
    default: return order >= 0;
  }
}

template <class T, Operator kOp>
class CompareNode final : public CompiledExpression::Node {
 public:
  CompareNode(NodePtr left, NodePtr right) : left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    if (left.isNull()) return Value(false);
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    if (right.isNull()) return Value(false);
    return Value(holds<kOp>(threeWay(left.as<T>(), right.as<T>())));
  }

 private:
  Operand left_;
  Operand right_;
};

// ARRAY, MAP and STRUCT: = and <> by content.
class DeepEqualsNode final : public CompiledExpression::Node {
 public:
  DeepEqualsNode(NodePtr left, NodePtr right, bool negated)
      : left_(std::move(left)), right_(std::move(right)), negated_(negated) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    if (left.isNull()) return Value(false);
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    if (right.isNull()) return Value(false);
    return Value(sqlEquals(left, right) != negated_);
  }

 private:
  Operand left_;
  Operand right_;
  bool negated_;
};

class IsDistinctNode final : public CompiledExpression::Node {
 public:
  IsDistinctNode(NodePtr left, NodePtr right, bool negated)
      : left_(std::move(left)), right_(std::move(right)), negated_(negated) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    bool distinct = left.isNull() || right.isNull() ? left.isNull() != right.isNull() : !sqlEquals(left, right);
    return Value(distinct != negated_);
  }

 private:
  Operand left_;
  Operand right_;
  bool negated_;
};

template <class T>
class BetweenNode final : public CompiledExpression::Node {
 public:
  BetweenNode(NodePtr value, NodePtr low, NodePtr high)
      : value_(std::move(value)), low_(std::move(low)), high_(std::move(high)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue value_value(value_, row);
    const Value& value = *value_value;
    if (value.isNull()) return Value(false);
    const OperandValue low_value(low_, row);
    const Value& low = *low_value;
    if (low.isNull()) return Value(false);
    const OperandValue high_value(high_, row);
    const Value& high = *high_value;
    if (high.isNull()) return Value(false);
    return Value(threeWay(low.as<T>(), value.as<T>()) <= 0 && threeWay(value.as<T>(), high.as<T>()) <= 0);
  }

 private:
  Operand value_;
  Operand low_;
  Operand high_;
};

// Calls make(std::type_identity<T>{}) with the C++ type that holds values of `kind`.
template <class Make>
NodePtr forPrimitive(TypeKind kind, Make&& make) {
  switch (kind) {
    case TypeKind::kBoolean: return make(std::type_identity<bool>{});
    case TypeKind::kInt: return make(std::type_identity<int32_t>{});
    case TypeKind::kBigint: return make(std::type_identity<int64_t>{});
    case TypeKind::kDouble: return make(std::type_identity<double>{});
    case TypeKind::kDecimal: return make(std::type_identity<Decimal>{});
    case TypeKind::kString: return make(std::type_identity<std::string>{});
    case TypeKind::kBytes: return make(std::type_identity<Bytes>{});
    case TypeKind::kDate: return make(std::type_identity<Date>{});
    case TypeKind::kTime: return make(std::type_identity<Time>{});
    default: return make(std::type_identity<Timestamp>{});
  }
}

template <class T>
NodePtr compareNode(Operator op, NodePtr left, NodePtr right) {
  switch (op) {
    case Operator::kEqual: return std::make_shared<CompareNode<T, Operator::kEqual>>(left, right);
    case Operator::kNotEqual: return std::make_shared<CompareNode<T, Operator::kNotEqual>>(left, right);
    case Operator::kLess: return std::make_shared<CompareNode<T, Operator::kLess>>(left, right);
    case Operator::kLessOrEqual: return std::make_shared<CompareNode<T, Operator::kLessOrEqual>>(left, right);
    case Operator::kGreater: return std::make_shared<CompareNode<T, Operator::kGreater>>(left, right);
    default: return std::make_shared<CompareNode<T, Operator::kGreaterOrEqual>>(left, right);
  }
}

const char* operatorName(Operator op) {
  switch (op) {
    case Operator::kEqual: return "EQUAL";
    case Operator::kNotEqual: return "NOT_EQUAL";
    case Operator::kLess: return "LESS_THAN";
    case Operator::kLessOrEqual: return "LESS_THAN_OR_EQUAL";
    case Operator::kGreater: return "GREATER_THAN";
    default: return "GREATER_THAN_OR_EQUAL";
  }
}

const char* operatorSymbol(Operator op) {
  switch (op) {
    case Operator::kEqual: return "=";
    case Operator::kNotEqual: return "<>";
    case Operator::kLess: return "<";
    case Operator::kLessOrEqual: return "<=";
    case Operator::kGreater: return ">";
    default: return ">=";
  }
}

bool isTemporal(TypeKind kind) {
  return kind == TypeKind::kDate || kind == TypeKind::kTime || kind == TypeKind::kTimestamp;
}

Status cannotCompare(const Typed& left, const Typed& right, const char* op_name) {
  return typeError(fmt::format("Cannot compare {} ({}) to {} ({}) with {}.", left.text(), left.type->toString(),
                               right.text(), right.type->toString(), op_name));
}

// Gives a NULL literal the other operand's type; fails when both are NULL literals.
Status typeNullLiterals(Typed& left, Typed& right, const char* symbol) {
  if (left.isNullLiteral() && right.isNullLiteral()) {
    // ksqlDB names the operands' types here, and a NULL literal's type is NULL.
    return typeError(fmt::format("Comparison with NULL not supported: NULL {} NULL", symbol));
  }
  if (left.isNullLiteral()) left = coerce(std::move(left), right.type);
  if (right.isNullLiteral()) right = coerce(std::move(right), left.type);
  return Status::ok();
}

// ksqlDB's "magic timestamp conversion": ROWTIME, WINDOWSTART and WINDOWEND are BIGINT
// milliseconds, yet compare with a STRING timestamp literal, parsed at compile time.
Result<Typed> convertTimestampLiteral(const Typed& column, Typed literal) {
  bool time_column = column.expr->kind == ExprKind::kColumn && column.type && column.type->kind == TypeKind::kBigint &&
                     (column.expr->name == "ROWTIME" || column.expr->name == "WINDOWSTART" ||
                      column.expr->name == "WINDOWEND");
  if (!time_column || literal.expr->kind != ExprKind::kLiteral || !literal.type ||
      literal.type->kind != TypeKind::kString) {
    return literal;
  }
  auto timestamp = parseTimestamp(literal.expr->literal.asString());
  if (!timestamp) {
    return typeError(fmt::format("Failed to parse timestamp '{}': use yyyy-MM-dd'T'HH:mm:ss.SSS[Z]",
                                 literal.expr->literal.asString()));
  }
  return Typed{constantNode(Value(timestamp->millis)), SqlType::bigint(), literal.expr};
}

}  // namespace

SqlTypePtr comparisonType(const SqlTypePtr& a, const SqlTypePtr& b, Comparison kind) {
  if (a->isNumeric() && b->isNumeric()) return widerNumericType(a, b);
  if (isTemporal(a->kind) && b->kind == TypeKind::kString) return a;
  if (isTemporal(b->kind) && a->kind == TypeKind::kString) return b;
  auto dateOrTimestamp = [](TypeKind k) { return k == TypeKind::kDate || k == TypeKind::kTimestamp; };
  if (a->kind != b->kind && dateOrTimestamp(a->kind) && dateOrTimestamp(b->kind)) return SqlType::timestamp();
  if (a->isPrimitive() && b->isPrimitive()) return a->kind == b->kind ? a : nullptr;
  if (kind == Comparison::kOrdering) return nullptr;
  return commonType(a, b);
}

NodePtr equalsNode(const SqlTypePtr& type, NodePtr left, NodePtr right) {
  if (!type->isPrimitive()) return std::make_shared<DeepEqualsNode>(std::move(left), std::move(right), false);
  return forPrimitive(type->kind, [&]<class T>(std::type_identity<T>) {
    return compareNode<T>(Operator::kEqual, std::move(left), std::move(right));
  });
}

Result<Typed> compileComparison(const Expr& expr, Operator op, Typed left, Typed right) {
  RUNNEL_ASSIGN_OR_RETURN(right, convertTimestampLiteral(left, std::move(right)));
  RUNNEL_ASSIGN_OR_RETURN(left, convertTimestampLiteral(right, std::move(left)));
  RUNNEL_RETURN_IF_ERROR(typeNullLiterals(left, right, operatorSymbol(op)));
  bool equality = op == Operator::kEqual || op == Operator::kNotEqual;
  SqlTypePtr type = comparisonType(left.type, right.type, equality ? Comparison::kEqual : Comparison::kOrdering);
  if (!type) return cannotCompare(left, right, operatorName(op));
  left = coerce(std::move(left), type);
  right = coerce(std::move(right), type);
  if (!type->isPrimitive()) {
    return Typed{std::make_shared<DeepEqualsNode>(left.node, right.node, op == Operator::kNotEqual),
                 SqlType::boolean(), &expr};
  }
  NodePtr node = forPrimitive(type->kind, [&]<class T>(std::type_identity<T>) {
    return compareNode<T>(op, left.node, right.node);
  });
  return Typed{std::move(node), SqlType::boolean(), &expr};
}

Result<Typed> compileIsDistinct(const Expr& expr, Typed left, Typed right) {
  RUNNEL_RETURN_IF_ERROR(typeNullLiterals(left, right, expr.negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM"));
  SqlTypePtr type = comparisonType(left.type, right.type, Comparison::kEqual);
  if (!type) return cannotCompare(left, right, expr.negated ? "IS_NOT_DISTINCT_FROM" : "IS_DISTINCT_FROM");
  NodePtr a = coerce(std::move(left), type).node;
  NodePtr b = coerce(std::move(right), type).node;
  return Typed{std::make_shared<IsDistinctNode>(std::move(a), std::move(b), expr.negated), SqlType::boolean(), &expr};
}

// ksqlDB's parser turns NOT BETWEEN into NOT(BETWEEN): false for NULL operands becomes true.
Result<Typed> compileBetween(const Expr& expr, Typed value, Typed low, Typed high) {
  if (value.isNullLiteral()) return typeError(fmt::format("Comparison with NULL not supported: {}", expr.text));
  RUNNEL_ASSIGN_OR_RETURN(low, convertTimestampLiteral(value, std::move(low)));
  RUNNEL_ASSIGN_OR_RETURN(high, convertTimestampLiteral(value, std::move(high)));
  if (low.isNullLiteral()) low = coerce(std::move(low), value.type);
  if (high.isNullLiteral()) high = coerce(std::move(high), value.type);
  SqlTypePtr type = comparisonType(value.type, low.type, Comparison::kOrdering);
  if (!type) return cannotCompare(value, low, "GREATER_THAN_OR_EQUAL");
  type = comparisonType(type, high.type, Comparison::kOrdering);
  if (!type) return cannotCompare(value, high, "LESS_THAN_OR_EQUAL");
  NodePtr a = coerce(std::move(value), type).node;
  NodePtr b = coerce(std::move(low), type).node;
  NodePtr c = coerce(std::move(high), type).node;
  NodePtr between = forPrimitive(type->kind, [&]<class T>(std::type_identity<T>) -> NodePtr {
    return std::make_shared<BetweenNode<T>>(a, b, c);
  });
  if (!expr.negated) return Typed{std::move(between), SqlType::boolean(), &expr};
  return compileNot(expr, Typed{std::move(between), SqlType::boolean(), &expr});
}

bool sqlEquals(const Value& a, const Value& b) {
  if (a.isNull() || b.isNull()) return a.isNull() && b.isNull();
  if (a.is<Decimal>() && b.is<Decimal>()) return compareDecimals(a.as<Decimal>(), b.as<Decimal>()) == 0;
  if (a.is<ArrayPtr>() && b.is<ArrayPtr>()) {
    const auto& x = a.asArray().items;
    const auto& y = b.asArray().items;
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), sqlEquals);
  }
  if (a.is<MapPtr>() && b.is<MapPtr>()) {
    const auto& x = a.asMap().entries;
    const auto& y = b.asMap().entries;
    if (x.size() != y.size()) return false;
    for (const auto& [key, value] : x) {
      auto match = std::find_if(y.begin(), y.end(), [&](const auto& entry) { return sqlEquals(entry.first, key); });
      if (match == y.end() || !sqlEquals(match->second, value)) return false;
    }
    return true;
  }
  if (a.is<StructPtr>() && b.is<StructPtr>()) {
    const auto& x = a.asStruct().fields;
    const auto& y = b.asStruct().fields;
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), sqlEquals);
  }
  return a == b;
}

}  // namespace runnel::sql::expression
