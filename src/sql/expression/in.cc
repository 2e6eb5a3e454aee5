// [NOT] IN (...): the value is compared with each item in one type. As ksqlDB does, a
// STRING literal item is parsed as the value's type at compile time, and a literal item
// compared with a STRING value is compared as its text.
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

bool isStringLiteral(const Typed& item) {
  return item.expr->kind == ExprKind::kLiteral && item.type->kind == TypeKind::kString;
}

// A STRING literal parsed as `type`; INTEGER values also match literals only a BIGINT holds.
Result<Typed> parseStringLiteral(const Typed& item, const SqlTypePtr& type) {
  const Value& text = item.expr->literal;
  Value parsed = castValue(text, *SqlType::string(), *type);
  if (parsed.isNull() && type->kind == TypeKind::kInt) {
    Value wide = castValue(text, *SqlType::string(), *SqlType::bigint());
    if (!wide.isNull()) return Typed{constantNode(wide), SqlType::bigint(), item.expr};
  }
  if (parsed.isNull()) {
    std::string type_name = type->kind == TypeKind::kDecimal ? "DECIMAL" : type->toString();
    return typeError(fmt::format("invalid input syntax for type {}: \"{}\".", type_name, text.asString()));
  }
  return Typed{constantNode(parsed), type, item.expr};
}

}  // namespace

Result<Typed> compileIn(const Expr& expr, Typed value, std::vector<Typed> items) {
  if (value.isNullLiteral()) return Typed{constantNode(Value(expr.negated)), SqlType::boolean(), &expr};
  std::vector<Typed> typed_items;
  SqlTypePtr type = value.type;
  for (Typed& item : items) {
    if (item.isNullLiteral()) continue;  // never equal to anything
    if (isStringLiteral(item) && value.type->isPrimitive() && value.type->kind != TypeKind::kString) {
      RUNNEL_ASSIGN_OR_RETURN(item, parseStringLiteral(item, value.type));
    } else if (value.type->kind == TypeKind::kString && item.expr->kind == ExprKind::kLiteral &&
               item.type->isPrimitive()) {
      item = coerce(std::move(item), SqlType::string());
    } else if (!comparisonType(value.type, item.type, Comparison::kEqual) && !item.type->isPrimitive() &&
               castSupported(*item.type, *value.type)) {
      item = coerce(std::move(item), value.type);  // a constructor written with other literal types
    }
    SqlTypePtr common = comparisonType(type, item.type, Comparison::kEqual);
    if (!common) {
      return typeError(fmt::format("operator does not exist: {} = {} ({})", value.type->toString(),
                                   item.type->toString(), item.text()));
    }
    type = common;
    typed_items.push_back(std::move(item));
  }
  std::vector<NodePtr> nodes;
  for (Typed& item : typed_items) nodes.push_back(coerce(std::move(item), type).node);
  Typed in{std::make_shared<InNode>(coerce(std::move(value), type).node, std::move(nodes)), SqlType::boolean(), &expr};
  if (!expr.negated) return in;
  return compileNot(expr, std::move(in));
}

}  // namespace runnel::sql::expression
