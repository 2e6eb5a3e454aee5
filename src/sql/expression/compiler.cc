// The tree walk: resolves columns, compiles children first, then hands each node to its
// operator family, which type-checks it and picks the evaluator for the operand types.
#include <fmt/format.h>

#include "sql/expression/node.h"
#include "sql/functions.h"

namespace runnel::sql {
namespace expression {
namespace {

class ConstantNode final : public CompiledExpression::Node {
 public:
  explicit ConstantNode(Value value) : value_(std::move(value)) {}
  Value evaluate(std::span<const Value>) const override { return value_; }
  const Value* constantValue() const override { return &value_; }

 private:
  Value value_;
};

class ColumnNode final : public CompiledExpression::Node {
 public:
  explicit ColumnNode(size_t index) : index_(index) {}
  Value evaluate(std::span<const Value> row) const override { return index_ < row.size() ? row[index_] : Value(); }
  std::optional<size_t> columnIndex() const override { return index_; }

 private:
  size_t index_;
};

bool isArithmetic(Operator op) {
  return op == Operator::kAdd || op == Operator::kSubtract || op == Operator::kMultiply || op == Operator::kDivide ||
         op == Operator::kModulus || op == Operator::kConcat;
}

class Compiler {
 public:
  Compiler(const ExpressionScope& scope, const FunctionRegistry& functions) : scope_(scope), functions_(functions) {}

  Result<Typed> compile(const Expr& expr) const {
    switch (expr.kind) {
      case ExprKind::kLiteral: return Typed{constantNode(expr.literal), expr.literal_type, &expr};
      case ExprKind::kColumn: return compileColumn(expr);
      case ExprKind::kDereference: {
        RUNNEL_ASSIGN_OR_RETURN(auto base, compile(*expr.children[0]));
        return compileDereference(expr, std::move(base));
      }
      case ExprKind::kSubscript: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        return compileSubscript(expr, std::move(children[0]), std::move(children[1]));
      }
      case ExprKind::kUnary: {
        RUNNEL_ASSIGN_OR_RETURN(auto operand, compile(*expr.children[0]));
        if (expr.op == Operator::kNot) return compileNot(expr, std::move(operand));
        return compileNegate(expr, std::move(operand));
      }
      case ExprKind::kBinary: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        if (isArithmetic(expr.op)) return compileArithmetic(expr, std::move(children[0]), std::move(children[1]));
        if (expr.op == Operator::kAnd || expr.op == Operator::kOr) {
          return compileLogical(expr, std::move(children[0]), std::move(children[1]));
        }
        return compileComparison(expr, expr.op, std::move(children[0]), std::move(children[1]));
      }
      case ExprKind::kIsNull: {
        RUNNEL_ASSIGN_OR_RETURN(auto operand, compile(*expr.children[0]));
        return compileIsNull(expr, std::move(operand));
      }
      case ExprKind::kIsDistinct: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        return compileIsDistinct(expr, std::move(children[0]), std::move(children[1]));
      }
      case ExprKind::kBetween: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        return compileBetween(expr, std::move(children[0]), std::move(children[1]), std::move(children[2]));
      }
      case ExprKind::kIn: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        Typed value = std::move(children[0]);
        children.erase(children.begin());
        return compileIn(expr, std::move(value), std::move(children));
      }
      case ExprKind::kLike: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        return compileLike(expr, std::move(children[0]), std::move(children[1]),
                           children.size() > 2 ? &children[2] : nullptr);
      }
      case ExprKind::kCase: {
        RUNNEL_ASSIGN_OR_RETURN(auto children, compileAll(expr.children));
        return compileCase(expr, std::move(children));
      }
      case ExprKind::kCast: {
        RUNNEL_ASSIGN_OR_RETURN(auto operand, compile(*expr.children[0]));
        return compileCast(expr, std::move(operand));
      }
      case ExprKind::kFunctionCall: {
        if (functions_.isAggregate(expr.name)) {
          return typeError(fmt::format("Aggregate function {} is not allowed here: {}", expr.name, expr.text));
        }
        RUNNEL_ASSIGN_OR_RETURN(auto args, compileAll(expr.children));
        return compileFunctionCall(expr, std::move(args), functions_);
      }
      case ExprKind::kArray: {
        RUNNEL_ASSIGN_OR_RETURN(auto elements, compileAll(expr.children));
        return compileArrayConstructor(expr, std::move(elements));
      }
      case ExprKind::kMap: {
        RUNNEL_ASSIGN_OR_RETURN(auto entries, compileAll(expr.children));
        return compileMapConstructor(expr, std::move(entries));
      }
      case ExprKind::kStruct: {
        RUNNEL_ASSIGN_OR_RETURN(auto fields, compileAll(expr.children));
        return compileStructConstructor(expr, std::move(fields));
      }
      case ExprKind::kIntervalUnit:
        // TIMESTAMPADD(SECONDS, ...) and friends: their functions are not in the library yet.
        return Status::unsupported(fmt::format("Time unit arguments are not supported yet: {}", expr.text));
      case ExprKind::kLambda: break;
    }
    return Status::unsupported(fmt::format("Lambda expressions are not supported yet: {}", expr.text));
  }

 private:
  Result<Typed> compileColumn(const Expr& expr) const {
    const ScopeColumn* column = scope_.find(expr.qualifier, expr.name);
    if (column == nullptr) {
      std::string name = expr.qualifier.empty() ? expr.name : expr.qualifier + "." + expr.name;
      return typeError(fmt::format("Column '{}' cannot be resolved.", name));
    }
    return Typed{std::make_shared<ColumnNode>(static_cast<size_t>(column->index)), column->type, &expr};
  }

  Result<std::vector<Typed>> compileAll(const std::vector<ExprPtr>& exprs) const {
    std::vector<Typed> compiled;
    compiled.reserve(exprs.size());
    for (const ExprPtr& child : exprs) {
      RUNNEL_ASSIGN_OR_RETURN(auto typed, compile(*child));
      compiled.push_back(std::move(typed));
    }
    return compiled;
  }

  const ExpressionScope& scope_;
  const FunctionRegistry& functions_;
};

}  // namespace

Status typeError(std::string message) { return Status::invalidArgument(std::move(message)); }

NodePtr constantNode(Value value) { return std::make_shared<ConstantNode>(std::move(value)); }

}  // namespace expression

const ScopeColumn* ExpressionScope::find(const std::string& qualifier, const std::string& name) const {
  for (const ScopeColumn& column : columns_) {
    if (column.name == name && (qualifier.empty() || column.qualifier == qualifier)) return &column;
  }
  return nullptr;
}

CompiledExpression::CompiledExpression(std::shared_ptr<const Node> root, SqlTypePtr type)
    : root_(std::move(root)), type_(std::move(type)) {}

// Nodes turn every SQL-level error into NULL themselves; this only catches a row whose
// values do not match the scope's types (std::bad_variant_access), which is the caller's
// bug, so that it costs the row's value rather than the query. Free when nothing throws.
Value CompiledExpression::evaluate(std::span<const Value> row) const {
  try {
    return root_->evaluate(row);
  } catch (const std::exception&) {
    return {};
  }
}

Result<CompiledExpression> compileExpression(const Expr& expr, const ExpressionScope& scope,
                                             const FunctionRegistry& functions) {
  RUNNEL_ASSIGN_OR_RETURN(auto typed, expression::Compiler(scope, functions).compile(expr));
  return CompiledExpression(std::move(typed.node), std::move(typed.type));
}

// Compiling is cheap (no evaluation, a few small allocations), so the type comes from
// the same walk rather than a second visitor that could disagree with it.
Result<SqlTypePtr> expressionType(const Expr& expr, const ExpressionScope& scope, const FunctionRegistry& functions) {
  RUNNEL_ASSIGN_OR_RETURN(auto compiled, compileExpression(expr, scope, functions));
  return compiled.type();
}

}  // namespace runnel::sql
