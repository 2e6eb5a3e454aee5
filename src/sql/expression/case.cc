// CASE [operand] WHEN ... THEN ... [ELSE ...] END: branches are evaluated lazily, the first
// WHEN that holds (a NULL condition does not) picks its THEN; none and no ELSE gives NULL.
// THEN and ELSE results are converted to one type (numeric widening).
#include <fmt/format.h>

#include "sql/expression/comparison.h"

namespace runnel::sql::expression {
namespace {

struct Branch {
  NodePtr when;
  NodePtr then;
};

class SearchedCaseNode final : public CompiledExpression::Node {
 public:
  SearchedCaseNode(std::vector<Branch> branches, NodePtr otherwise)
      : branches_(std::move(branches)), otherwise_(std::move(otherwise)) {}
  Value evaluate(std::span<const Value> row) const override {
    for (const Branch& branch : branches_) {
      Value condition = branch.when->evaluate(row);
      if (!condition.isNull() && condition.asBool()) return branch.then->evaluate(row);
    }
    return otherwise_ ? otherwise_->evaluate(row) : Value();
  }

 private:
  std::vector<Branch> branches_;
  NodePtr otherwise_;
};

class SimpleCaseNode final : public CompiledExpression::Node {
 public:
  SimpleCaseNode(NodePtr operand, std::vector<Branch> branches, NodePtr otherwise)
      : operand_(std::move(operand)), branches_(std::move(branches)), otherwise_(std::move(otherwise)) {}
  Value evaluate(std::span<const Value> row) const override {
    Value operand = operand_->evaluate(row);
    if (!operand.isNull()) {
      for (const Branch& branch : branches_) {
        Value candidate = branch.when->evaluate(row);
        if (!candidate.isNull() && sqlEquals(operand, candidate)) return branch.then->evaluate(row);
      }
    }
    return otherwise_ ? otherwise_->evaluate(row) : Value();
  }

 private:
  NodePtr operand_;
  std::vector<Branch> branches_;
  NodePtr otherwise_;
};

Result<SqlTypePtr> resultType(const std::vector<Typed*>& results) {
  SqlTypePtr type;
  const Typed* first = nullptr;
  for (const Typed* result : results) {
    if (result->isNullLiteral()) continue;
    SqlTypePtr common = commonType(type, result->type);
    if (!common) {
      return typeError(fmt::format(
          "Invalid Case expression. Type for all 'THEN' clauses should be the same.\n"
          "THEN expression '{}' has type: {}.\nTHEN expression '{}' has type: {}.",
          first->text(), first->type->toString(), result->text(), result->type->toString()));
    }
    if (!first) first = result;
    type = common;
  }
  if (!type) return typeError("Invalid Case expression. All case branches have NULL type");
  return type;
}

}  // namespace

Result<Typed> compileCase(const Expr& expr, std::vector<Typed> children) {
  size_t begin = expr.has_operand ? 1 : 0;
  size_t end = children.size() - (expr.has_else ? 1 : 0);
  std::vector<Typed*> results;
  for (size_t i = begin + 1; i < end; i += 2) results.push_back(&children[i]);
  if (expr.has_else) results.push_back(&children.back());
  RUNNEL_ASSIGN_OR_RETURN(SqlTypePtr type, resultType(results));

  // The type the operand and the WHEN values are compared in (simple CASE), or BOOLEAN.
  SqlTypePtr when_type = SqlType::boolean();
  if (expr.has_operand) {
    when_type = children[0].type;
    for (size_t i = begin; i < end; i += 2) {
      if (children[i].isNullLiteral() || !when_type) continue;
      SqlTypePtr common = comparisonType(when_type, children[i].type, Comparison::kEqual);
      if (!common) {
        return typeError(fmt::format("Cannot compare {} ({}) to {} ({}) with EQUAL.", children[0].text(),
                                     children[0].type->toString(), children[i].text(), children[i].type->toString()));
      }
      when_type = common;
    }
  } else {
    for (size_t i = begin; i < end; i += 2) {
      const Typed& when = children[i];
      if (!when.isNullLiteral() && when.type->kind != TypeKind::kBoolean) {
        return typeError(
            fmt::format("WHEN operand type should be boolean.\nType for '{}' is {}", when.text(), when.type->toString()));
      }
    }
  }
  std::vector<Branch> branches;
  for (size_t i = begin; i < end; i += 2) {
    NodePtr when = when_type ? coerce(std::move(children[i]), when_type).node : constantNode(Value());
    branches.push_back({std::move(when), coerce(std::move(children[i + 1]), type).node});
  }
  NodePtr otherwise = expr.has_else ? coerce(std::move(children.back()), type).node : nullptr;
  NodePtr node;
  if (expr.has_operand) {
    NodePtr operand = when_type ? coerce(std::move(children[0]), when_type).node : constantNode(Value());
    node = std::make_shared<SimpleCaseNode>(std::move(operand), std::move(branches), std::move(otherwise));
  } else {
    node = std::make_shared<SearchedCaseNode>(std::move(branches), std::move(otherwise));
  }
  return Typed{std::move(node), type, &expr};
}

}  // namespace runnel::sql::expression
