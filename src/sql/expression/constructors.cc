// ARRAY[...], MAP(k := v, ...) and STRUCT(name := v, ...). Elements, keys and values are
// converted to one type each; the messages are ksqlDB's.
#include <fmt/format.h>

#include <algorithm>

#include <set>

#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

std::vector<Value> evaluateAll(const std::vector<NodePtr>& nodes, std::span<const Value> row) {
  std::vector<Value> values;
  values.reserve(nodes.size());
  for (const NodePtr& node : nodes) values.push_back(node->evaluate(row));
  return values;
}

class ArrayNode final : public CompiledExpression::Node {
 public:
  explicit ArrayNode(std::vector<NodePtr> elements) : elements_(std::move(elements)) {}
  Value evaluate(std::span<const Value> row) const override { return Value::array(evaluateAll(elements_, row)); }

 private:
  std::vector<NodePtr> elements_;
};

class StructNode final : public CompiledExpression::Node {
 public:
  explicit StructNode(std::vector<NodePtr> fields) : fields_(std::move(fields)) {}
  Value evaluate(std::span<const Value> row) const override { return Value::structOf(evaluateAll(fields_, row)); }

 private:
  std::vector<NodePtr> fields_;
};

class MapNode final : public CompiledExpression::Node {
 public:
  explicit MapNode(std::vector<NodePtr> keys_and_values) : keys_and_values_(std::move(keys_and_values)) {}
  Value evaluate(std::span<const Value> row) const override {
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve(keys_and_values_.size() / 2);
    for (size_t i = 0; i < keys_and_values_.size(); i += 2) {
      Value key = keys_and_values_[i]->evaluate(row);
      Value value = keys_and_values_[i + 1]->evaluate(row);
      auto existing = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
      if (existing != entries.end()) {
        existing->second = std::move(value);  // a repeated key keeps its last value, as Map.put
      } else {
        entries.emplace_back(std::move(key), std::move(value));
      }
    }
    return Value::map(std::move(entries));
  }

 private:
  std::vector<NodePtr> keys_and_values_;
};

// The common type of every `stride`-th operand from `first`, with ksqlDB's literal
// coercion; nullptr when all are NULL.
Result<SqlTypePtr> unify(const Expr& expr, std::vector<Typed>& operands, size_t first, size_t stride) {
  std::vector<Typed*> selected;
  for (size_t i = first; i < operands.size(); i += stride) selected.push_back(&operands[i]);
  return coerceLiterals(selected, [&](const Typed& operand, const SqlTypePtr& type) {
    return typeError(fmt::format("Error processing expression: {}. Invalid element type {} where {} was expected",
                                 expr.text, operand.type->toString(), type->toString()));
  });
}

std::vector<NodePtr> coerceAll(std::vector<Typed> operands, const std::vector<SqlTypePtr>& types) {
  std::vector<NodePtr> nodes;
  nodes.reserve(operands.size());
  for (size_t i = 0; i < operands.size(); ++i) nodes.push_back(coerce(std::move(operands[i]), types[i % types.size()]).node);
  return nodes;
}

}  // namespace

Result<Typed> compileArrayConstructor(const Expr& expr, std::vector<Typed> elements) {
  if (elements.empty()) {
    return typeError(
        "Array constructor cannot be empty. Please supply at least one element "
        "(see https://github.com/confluentinc/ksql/issues/4239).");
  }
  RUNNEL_ASSIGN_OR_RETURN(SqlTypePtr element, unify(expr, elements, 0, 1));
  if (!element) {
    return typeError(
        "Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). "
        "As a workaround, you may cast a NULL value to the desired type.");
  }
  return Typed{std::make_shared<ArrayNode>(coerceAll(std::move(elements), {element})), SqlType::array(element), &expr};
}

Result<Typed> compileMapConstructor(const Expr& expr, std::vector<Typed> keys_and_values) {
  if (keys_and_values.empty()) {
    return typeError(
        "Map constructor cannot be empty. Please supply at least one key value pair "
        "(see https://github.com/confluentinc/ksql/issues/4239).");
  }
  RUNNEL_ASSIGN_OR_RETURN(SqlTypePtr key, unify(expr, keys_and_values, 0, 2));
  if (!key) return typeError("Cannot construct a map with all NULL keys");
  RUNNEL_ASSIGN_OR_RETURN(SqlTypePtr value, unify(expr, keys_and_values, 1, 2));
  if (!value) return typeError("Cannot construct a map with all NULL values");
  return Typed{std::make_shared<MapNode>(coerceAll(std::move(keys_and_values), {key, value})), SqlType::map(key, value),
               &expr};
}

Result<Typed> compileStructConstructor(const Expr& expr, std::vector<Typed> fields) {
  std::set<std::string> names(expr.field_names.begin(), expr.field_names.end());
  if (names.size() != expr.field_names.size()) return typeError("Duplicate field names found in STRUCT");
  std::vector<StructField> struct_fields;
  std::vector<NodePtr> nodes;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].isNullLiteral()) {
      return typeError(fmt::format("Cannot infer the type of STRUCT field {} from NULL: CAST(NULL AS <type>)",
                                   expr.field_names[i]));
    }
    struct_fields.push_back({expr.field_names[i], fields[i].type});
    nodes.push_back(std::move(fields[i].node));
  }
  return Typed{std::make_shared<StructNode>(std::move(nodes)), SqlType::structType(std::move(struct_fields)), &expr};
}

}  // namespace runnel::sql::expression
