// AND, OR and NOT in SQL's three-valued logic, and IS [NOT] NULL.
#include <fmt/format.h>

#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

// `kShortCircuit` decides the result alone (false for AND, true for OR); otherwise any
// NULL operand makes the result NULL.
template <bool kShortCircuit>
class LogicalNode final : public CompiledExpression::Node {
 public:
  LogicalNode(NodePtr left, NodePtr right) : left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue left_value(left_, row);
    const Value& left = *left_value;
    if (!left.isNull() && left.asBool() == kShortCircuit) return left;
    const OperandValue right_value(right_, row);
    const Value& right = *right_value;
    if (!right.isNull() && right.asBool() == kShortCircuit) return right;
    if (left.isNull() || right.isNull()) return {};
    return Value(!kShortCircuit);
  }

 private:
  Operand left_;
  Operand right_;
};

class NotNode final : public CompiledExpression::Node {
 public:
  explicit NotNode(NodePtr operand) : operand_(std::move(operand)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue value_value(operand_, row);
    const Value& value = *value_value;
    return value.isNull() ? value : Value(!value.asBool());
  }

 private:
  Operand operand_;
};

class IsNullNode final : public CompiledExpression::Node {
 public:
  IsNullNode(NodePtr operand, bool negated) : operand_(std::move(operand)), negated_(negated) {}
  Value evaluate(std::span<const Value> row) const override {
    return Value((*OperandValue(operand_, row)).isNull() != negated_);
  }

 private:
  Operand operand_;
  bool negated_;
};

bool isBooleanOrNull(const Typed& operand) {
  return operand.isNullLiteral() || operand.type->kind == TypeKind::kBoolean;
}

std::string typeName(const Typed& operand) { return operand.isNullLiteral() ? "NULL" : operand.type->toString(); }

}  // namespace

Result<Typed> compileLogical(const Expr& expr, Typed left, Typed right) {
  if (!isBooleanOrNull(left) || !isBooleanOrNull(right)) {
    return typeError(fmt::format("Error processing expression: {}. {} expects BOOLEAN operands, got {} and {}",
                                 expr.text, expr.op == Operator::kAnd ? "AND" : "OR", typeName(left), typeName(right)));
  }
  NodePtr a = coerce(std::move(left), SqlType::boolean()).node;
  NodePtr b = coerce(std::move(right), SqlType::boolean()).node;
  NodePtr node;
  if (expr.op == Operator::kAnd) {
    node = std::make_shared<LogicalNode<false>>(std::move(a), std::move(b));
  } else {
    node = std::make_shared<LogicalNode<true>>(std::move(a), std::move(b));
  }
  return Typed{std::move(node), SqlType::boolean(), &expr};
}

Result<Typed> compileNot(const Expr& expr, Typed operand) {
  if (!isBooleanOrNull(operand)) {
    return typeError(fmt::format("Error processing expression: {}. NOT expects a BOOLEAN operand, got {}", expr.text,
                                 typeName(operand)));
  }
  NodePtr node = coerce(std::move(operand), SqlType::boolean()).node;
  return Typed{std::make_shared<NotNode>(std::move(node)), SqlType::boolean(), &expr};
}

Result<Typed> compileIsNull(const Expr& expr, Typed operand) {
  return Typed{std::make_shared<IsNullNode>(std::move(operand.node), expr.negated), SqlType::boolean(), &expr};
}

}  // namespace runnel::sql::expression
