// ksqlDB's implicit coercion of literals in IN lists and ARRAY / MAP constructors (its
// CoercionUtil): the operands that are not literals decide the common type; STRING
// literals are then parsed as that type at compile time, and literals of other primitive
// types become their text when the type is STRING. So `ARRAY[a, '2e1']` with an INT `a` is
// ARRAY<DECIMAL(10, 0)> holding 20, and `MAP(k := v, 10 := 'no')` with STRING k and BOOLEAN v has
// the key '10' and the value false.
#include <fmt/format.h>

#include <algorithm>

#include "sql/expression/decimal.h"
#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

bool isLiteral(const Typed& operand) { return operand.expr->kind == ExprKind::kLiteral; }
bool isStringLiteral(const Typed& operand) { return isLiteral(operand) && operand.type->kind == TypeKind::kString; }

// A STRING literal for a column of `type`: numbers become DECIMAL literals (ksqlDB widens
// the common type with them: ARRAY[a, '2e1'] with an INT `a` is ARRAY<DECIMAL(10, 0)>);
// other primitives are parsed as `type`. Fails with ksqlDB's message.
Result<Typed> parseStringLiteral(const Typed& literal, const SqlTypePtr& type) {
  const std::string& text = literal.expr->literal.asString();
  auto invalid = [&] {
    std::string type_name = type->kind == TypeKind::kDecimal ? "DECIMAL" : type->toString();
    return typeError(fmt::format("invalid input syntax for type {}: \"{}\".", type_name, text));
  };
  if (type->isNumeric()) {
    auto decimal = parseDecimal(text);
    if (!decimal) return invalid();
    int precision = std::max(digitCount(decimal->unscaled), decimal->scale + 1);
    return Typed{constantNode(Value(*decimal)), SqlType::decimal(precision, decimal->scale), literal.expr};
  }
  Value value = castValue(Value(text), *SqlType::string(), *type);
  if (value.isNull()) return invalid();
  return Typed{constantNode(std::move(value)), type, literal.expr};
}

}  // namespace

Result<SqlTypePtr> coerceLiterals(const std::vector<Typed*>& operands, const IncompatibleOperand& incompatible) {
  SqlTypePtr type;
  auto merge = [&](const Typed& operand) -> Status {
    SqlTypePtr common = commonType(type, operand.type);
    if (!common) return incompatible(operand, type);
    type = common;
    return Status::ok();
  };
  for (const Typed* operand : operands) {
    if (!operand->isNullLiteral() && !isLiteral(*operand)) RUNNEL_RETURN_IF_ERROR(merge(*operand));
  }
  bool text = type && type->kind == TypeKind::kString;
  for (const Typed* operand : operands) {
    if (operand->isNullLiteral() || !isLiteral(*operand) || isStringLiteral(*operand) || text) continue;
    RUNNEL_RETURN_IF_ERROR(merge(*operand));
  }
  if (!type) {
    bool any = std::any_of(operands.begin(), operands.end(), [](const Typed* o) { return !o->isNullLiteral(); });
    return any ? SqlType::string() : nullptr;
  }
  if (type->kind == TypeKind::kString) return type;  // other literals become their text
  SqlTypePtr parse_as = type;  // the type named in errors: before decimals widen it
  for (Typed* operand : operands) {
    if (operand->isNullLiteral() || !isStringLiteral(*operand)) continue;
    if (!type->isPrimitive()) return incompatible(*operand, type);
    RUNNEL_ASSIGN_OR_RETURN(*operand, parseStringLiteral(*operand, parse_as));
    RUNNEL_RETURN_IF_ERROR(merge(*operand));
  }
  return type;
}

}  // namespace runnel::sql::expression
