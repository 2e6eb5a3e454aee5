// [NOT] IN (...): the value is compared with each item in one type, with ksqlDB's literal
// coercion (literal_coercion.cc): '4.000' matches a BIGINT 4, 10.30 a STRING '10.30'.
#include <fmt/format.h>

#include "sql/expression/comparison.h"

namespace runnel::sql::expression {
namespace {

class InNode final : public CompiledExpression::Node {
 public:
  InNode(NodePtr value, std::vector<NodePtr> items) : value_(std::move(value)), items_(std::move(items)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue value_value(value_, row);
    const Value& value = *value_value;
    if (value.isNull()) return Value(false);
    for (const NodePtr& item : items_) {
      Value candidate = item->evaluate(row);
      if (!candidate.isNull() && sqlEquals(value, candidate)) return Value(true);
    }
    return Value(false);
  }

 private:
  Operand value_;
  std::vector<NodePtr> items_;
};

}  // namespace

Result<Typed> compileIn(const Expr& expr, Typed value, std::vector<Typed> items) {
  if (value.isNullLiteral()) return Typed{constantNode(Value(expr.negated)), SqlType::boolean(), &expr};
  std::vector<Typed*> operands{&value};
  for (Typed& item : items) {
    // A constructor written with other literal types, as ARRAY['3', NULL] for an ARRAY<BIGINT>.
    if (!item.isNullLiteral() && !item.type->isPrimitive() &&
        !comparisonType(value.type, item.type, Comparison::kEqual) && castSupported(*item.type, *value.type)) {
      item = coerce(std::move(item), value.type);
    }
    operands.push_back(&item);
  }
  auto coerced = coerceLiterals(operands, [&](const Typed& item, const SqlTypePtr&) {
    return typeError(fmt::format("operator does not exist: {} = {} ({})", value.type->toString(),
                                 item.type->toString(), item.text()));
  });
  // ksqlDB reports IN's type errors as an invalid predicate, whatever clause it is in.
  if (!coerced.isOk()) return Status::invalidArgument(std::string(kInvalidPredicate) + coerced.status().message());
  SqlTypePtr type = std::move(*coerced);
  std::vector<NodePtr> nodes;
  for (Typed& item : items) {
    if (!item.isNullLiteral()) nodes.push_back(coerce(std::move(item), type).node);  // NULL never matches
  }
  Typed in{std::make_shared<InNode>(coerce(std::move(value), type).node, std::move(nodes)), SqlType::boolean(), &expr};
  if (!expr.negated) return in;
  return compileNot(expr, std::move(in));
}

}  // namespace runnel::sql::expression
