// + - * / % and || with Java's semantics for the promoted operand type: integers wrap on
// overflow, integer division truncates, division or modulus by zero is NULL (Java throws,
// ksqlDB logs and yields NULL) except for DOUBLE, which gives Infinity or NaN.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "sql/expression/decimal.h"
#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

template <class Int>
struct IntegerOps {
  using Unsigned = std::make_unsigned_t<Int>;
  static Value add(Int a, Int b) { return Value(static_cast<Int>(static_cast<Unsigned>(a) + static_cast<Unsigned>(b))); }
  static Value subtract(Int a, Int b) {
    return Value(static_cast<Int>(static_cast<Unsigned>(a) - static_cast<Unsigned>(b)));
  }
  static Value multiply(Int a, Int b) {
    return Value(static_cast<Int>(static_cast<Unsigned>(a) * static_cast<Unsigned>(b)));
  }
  static Value divide(Int a, Int b) {
    if (b == 0) return {};
    if (b == -1) return subtract(0, a);  // MIN / -1 wraps to MIN, as in Java
    return Value(static_cast<Int>(a / b));
  }
  static Value modulus(Int a, Int b) {
    if (b == 0) return {};
    if (b == -1) return Value(Int{0});
    return Value(static_cast<Int>(a % b));
  }
};

struct DoubleOps {
  static Value add(double a, double b) { return Value(a + b); }
  static Value subtract(double a, double b) { return Value(a - b); }
  static Value multiply(double a, double b) { return Value(a * b); }
  static Value divide(double a, double b) { return Value(a / b); }
  static Value modulus(double a, double b) { return Value(std::fmod(a, b)); }
};

std::optional<Decimal> addDecimals(const Decimal& a, const Decimal& b, bool negate_b) {
  int scale = 0;
  auto aligned = alignScales(a, b, &scale);
  __int128 sum = 0;
  if (!aligned || __builtin_add_overflow(aligned->first, negate_b ? -aligned->second : aligned->second, &sum)) {
    return std::nullopt;
  }
  return Decimal{sum, scale};
}

std::optional<Decimal> multiplyDecimals(const Decimal& a, const Decimal& b) {
  __int128 product = 0;
  if (__builtin_mul_overflow(a.unscaled, b.unscaled, &product)) return std::nullopt;
  return Decimal{product, a.scale + b.scale};
}

// a / b rounded HALF_UP at `scale`.
std::optional<Decimal> divideDecimals(const Decimal& a, const Decimal& b, int scale) {
  if (b.unscaled == 0) return std::nullopt;
  int shift = scale - a.scale + b.scale;
  if (shift < 0 || shift > kMaxDecimalPrecision) return std::nullopt;
  __int128 dividend = 0;
  if (__builtin_mul_overflow(a.unscaled, powerOfTen(shift), &dividend)) return std::nullopt;
  __int128 quotient = dividend / b.unscaled;
  __int128 remainder = dividend % b.unscaled;
  __int128 twice = remainder < 0 ? -remainder * 2 : remainder * 2;
  __int128 divisor = b.unscaled < 0 ? -b.unscaled : b.unscaled;
  if (twice >= divisor) quotient += (dividend < 0) != (b.unscaled < 0) ? -1 : 1;
  return Decimal{quotient, scale};
}

// BigDecimal.remainder: the sign of the dividend.
std::optional<Decimal> remainderDecimals(const Decimal& a, const Decimal& b) {
  int scale = 0;
  auto aligned = alignScales(a, b, &scale);
  if (!aligned || aligned->second == 0) return std::nullopt;
  return Decimal{aligned->first % aligned->second, scale};
}

template <class T, Value (*kOp)(T, T)>
class NumericNode final : public CompiledExpression::Node {
 public:
  NumericNode(NodePtr left, NodePtr right) : left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    if (left.isNull()) return {};
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    if (right.isNull()) return {};
    return kOp(left.as<T>(), right.as<T>());
  }

 private:
  Operand left_;
  Operand right_;
};

class DecimalNode final : public CompiledExpression::Node {
 public:
  DecimalNode(Operator op, NodePtr left, NodePtr right, const SqlType& result)
      : op_(op), left_(std::move(left)), right_(std::move(right)), precision_(result.precision), scale_(result.scale) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    if (left.isNull()) return {};
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    if (right.isNull()) return {};
    const Decimal& a = left.as<Decimal>();
    const Decimal& b = right.as<Decimal>();
    std::optional<Decimal> result;
    switch (op_) {
      case Operator::kAdd: result = addDecimals(a, b, false); break;
      case Operator::kSubtract: result = addDecimals(a, b, true); break;
      case Operator::kMultiply: result = multiplyDecimals(a, b); break;
      case Operator::kDivide: result = divideDecimals(a, b, scale_); break;
      default: result = remainderDecimals(a, b); break;
    }
    if (!result) return {};
    auto fitted = fitDecimal(*result, precision_, scale_);
    return fitted ? Value(*fitted) : Value();
  }

 private:
  Operator op_;
  Operand left_;
  Operand right_;
  int precision_;
  int scale_;
};

class ConcatNode final : public CompiledExpression::Node {
 public:
  ConcatNode(NodePtr left, NodePtr right) : left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    if (left.isNull()) return {};
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    if (right.isNull()) return {};
    return Value(left.asString() + right.asString());
  }

 private:
  Operand left_;
  Operand right_;
};

// ksqlDB's result types for DECIMAL operands (SQL Server's rules), capped at 38 digits.
SqlTypePtr decimalResultType(Operator op, const SqlType& a, const SqlType& b) {
  int p1 = a.precision, s1 = a.scale, p2 = b.precision, s2 = b.scale;
  int precision = 0, scale = 0;
  switch (op) {
    case Operator::kAdd:
    case Operator::kSubtract:
      scale = std::max(s1, s2);
      precision = std::max(p1 - s1, p2 - s2) + scale + 1;
      break;
    case Operator::kMultiply:
      precision = p1 + p2 + 1;
      scale = s1 + s2;
      break;
    case Operator::kDivide:
      scale = std::max(6, s1 + p2 + 1);
      precision = p1 - s1 + s2 + scale;
      break;
    default:
      scale = std::max(s1, s2);
      precision = std::min(p1 - s1, p2 - s2) + scale;
      break;
  }
  precision = std::min(precision, kMaxDecimalPrecision);
  return SqlType::decimal(precision, std::min(scale, precision));
}

template <class Ops, class T>
NodePtr numericNode(Operator op, NodePtr left, NodePtr right) {
  switch (op) {
    case Operator::kAdd: return std::make_shared<NumericNode<T, &Ops::add>>(std::move(left), std::move(right));
    case Operator::kSubtract:
      return std::make_shared<NumericNode<T, &Ops::subtract>>(std::move(left), std::move(right));
    case Operator::kMultiply:
      return std::make_shared<NumericNode<T, &Ops::multiply>>(std::move(left), std::move(right));
    case Operator::kDivide: return std::make_shared<NumericNode<T, &Ops::divide>>(std::move(left), std::move(right));
    default: return std::make_shared<NumericNode<T, &Ops::modulus>>(std::move(left), std::move(right));
  }
}

std::string typeName(const Typed& operand) { return operand.isNullLiteral() ? "null" : operand.type->toString(); }

class NegateNode final : public CompiledExpression::Node {
 public:
  NegateNode(NodePtr operand, TypeKind kind) : operand_(std::move(operand)), kind_(kind) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue value_value(operand_, row);
    const Value& value = *value_value;
    if (value.isNull()) return value;
    switch (kind_) {
      case TypeKind::kInt: return IntegerOps<int32_t>::subtract(0, value.asInt());
      case TypeKind::kBigint: return IntegerOps<int64_t>::subtract(0, value.asBigint());
      case TypeKind::kDouble: return Value(-value.asDouble());
      default: return Value(Decimal{-value.as<Decimal>().unscaled, value.as<Decimal>().scale});
    }
  }

 private:
  Operand operand_;
  TypeKind kind_;
};

}  // namespace

Result<Typed> compileArithmetic(const Expr& expr, Typed left, Typed right) {
  // ksqlDB types a NULL literal by its context, and arithmetic gives it none.
  if (left.isNullLiteral() || right.isNullLiteral()) {
    auto name = [](const Typed& operand) { return operand.isNullLiteral() ? std::string("null") : operand.type->toString(); };
    return typeError(fmt::format("Error processing expression: {}. Arithmetic on types {} and {} are not supported.",
                                 expr.text, name(left), name(right)));
  }
  auto unsupported = [&] {
    return typeError(fmt::format("Error processing expression: {}. Unsupported arithmetic types. {} {}", expr.text,
                                 typeName(left), typeName(right)));
  };
  if (left.isNullLiteral()) return unsupported();
  bool strings = left.type->kind == TypeKind::kString && right.type->kind == TypeKind::kString;
  if (expr.op == Operator::kConcat || (expr.op == Operator::kAdd && strings)) {
    if (!strings) return unsupported();
    return Typed{std::make_shared<ConcatNode>(std::move(left.node), std::move(right.node)), SqlType::string(), &expr};
  }
  SqlTypePtr type = widerNumericType(left.type, right.type);
  if (!type) return unsupported();
  if (type->kind == TypeKind::kDecimal) {
    // Each operand keeps its own precision and scale: they decide the result's.
    SqlTypePtr left_type = asDecimalType(left.type), right_type = asDecimalType(right.type);
    SqlTypePtr result = decimalResultType(expr.op, *left_type, *right_type);
    return Typed{std::make_shared<DecimalNode>(expr.op, coerce(std::move(left), left_type).node,
                                               coerce(std::move(right), right_type).node, *result),
                 result, &expr};
  }
  NodePtr a = coerce(std::move(left), type).node;
  NodePtr b = coerce(std::move(right), type).node;
  switch (type->kind) {
    case TypeKind::kInt: return Typed{numericNode<IntegerOps<int32_t>, int32_t>(expr.op, a, b), type, &expr};
    case TypeKind::kBigint: return Typed{numericNode<IntegerOps<int64_t>, int64_t>(expr.op, a, b), type, &expr};
    default: return Typed{numericNode<DoubleOps, double>(expr.op, a, b), type, &expr};
  }
}

Result<Typed> compileNegate(const Expr& expr, Typed operand) {
  if (operand.isNullLiteral() || !operand.type->isNumeric()) {
    return typeError(fmt::format("Error processing expression: {}. Unsupported arithmetic types. {}", expr.text,
                                 typeName(operand)));
  }
  SqlTypePtr type = operand.type;
  return Typed{std::make_shared<NegateNode>(std::move(operand.node), type->kind), type, &expr};
}

}  // namespace runnel::sql::expression
