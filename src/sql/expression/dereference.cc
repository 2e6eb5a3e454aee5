// STRUCT->field and subscripts: ARRAY[i] counts from 1, negative from the end, and is NULL
// out of range; MAP[key] is NULL for a missing key. A NULL base gives NULL.
#include <fmt/format.h>

#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

class FieldNode final : public CompiledExpression::Node {
 public:
  FieldNode(NodePtr base, size_t field) : base_(std::move(base)), field_(field) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue base_value(base_, row);
    const Value& base = *base_value;
    if (base.isNull()) return base;
    const auto& fields = base.asStruct().fields;
    return field_ < fields.size() ? fields[field_] : Value();
  }

 private:
  Operand base_;
  size_t field_;
};

class ArrayIndexNode final : public CompiledExpression::Node {
 public:
  ArrayIndexNode(NodePtr base, NodePtr index) : base_(std::move(base)), index_(std::move(index)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue base_value(base_, row);
    const Value& base = *base_value;
    if (base.isNull()) return base;
    const OperandValue index_value(index_, row);
    const Value& index = *index_value;
    if (index.isNull()) return index;
    const auto& items = base.asArray().items;
    int64_t size = static_cast<int64_t>(items.size());
    int64_t i = index.asBigint();
    int64_t position = i > 0 ? i - 1 : size + i;
    if (i == 0 || position < 0 || position >= size) return {};
    return items[static_cast<size_t>(position)];
  }

 private:
  Operand base_;
  Operand index_;
};

class MapLookupNode final : public CompiledExpression::Node {
 public:
  MapLookupNode(NodePtr base, NodePtr key) : base_(std::move(base)), key_(std::move(key)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue base_value(base_, row);
    const Value& base = *base_value;
    if (base.isNull()) return base;
    const OperandValue key_value(key_, row);
    const Value& key = *key_value;
    for (const auto& [candidate, value] : base.asMap().entries) {
      if (sqlEquals(candidate, key)) return value;
    }
    return {};
  }

 private:
  Operand base_;
  Operand key_;
};

}  // namespace

Result<Typed> compileDereference(const Expr& expr, Typed base) {
  if (base.isNullLiteral() || base.type->kind != TypeKind::kStruct) {
    return typeError(fmt::format("Expected STRUCT type for dereference of {} but got {}", base.text(),
                                 base.isNullLiteral() ? "NULL" : base.type->toString()));
  }
  const auto& fields = base.type->fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == expr.name) {
      return Typed{std::make_shared<FieldNode>(std::move(base.node), i), fields[i].type, &expr};
    }
  }
  return typeError(fmt::format("Could not find field '{}' in '{}'.", expr.name, base.text()));
}

Result<Typed> compileSubscript(const Expr& expr, Typed base, Typed index) {
  if (!base.isNullLiteral() && base.type->kind == TypeKind::kArray) {
    if (index.isNullLiteral() || (index.type->kind != TypeKind::kInt && index.type->kind != TypeKind::kBigint)) {
      return typeError(fmt::format("Error processing expression: {}. Array index must be INTEGER or BIGINT",
                                   expr.text));
    }
    SqlTypePtr element = base.type->element;
    NodePtr position = coerce(std::move(index), SqlType::bigint()).node;
    return Typed{std::make_shared<ArrayIndexNode>(std::move(base.node), std::move(position)), element, &expr};
  }
  if (!base.isNullLiteral() && base.type->kind == TypeKind::kMap) {
    const SqlTypePtr& key_type = base.type->key;
    if (!index.isNullLiteral() && !commonType(key_type, index.type)) {
      return typeError(fmt::format("Error processing expression: {}. Map key must be {} but is {}", expr.text,
                                   key_type->toString(), index.type->toString()));
    }
    SqlTypePtr value = base.type->element;
    NodePtr key = coerce(std::move(index), key_type).node;
    return Typed{std::make_shared<MapLookupNode>(std::move(base.node), std::move(key)), value, &expr};
  }
  return typeError(fmt::format("Error processing expression: {}. Subscript expects ARRAY or MAP but got {}",
                               expr.text, base.isNullLiteral() ? "NULL" : base.type->toString()));
}

}  // namespace runnel::sql::expression
