// Scalar function calls: bound once to the argument types by the registry, arguments
// widened to the parameter types; a function that throws yields NULL.
#include <array>

#include "sql/expression/node.h"
#include "sql/functions.h"

namespace runnel::sql::expression {
namespace {

class FunctionCallNode final : public CompiledExpression::Node {
 public:
  FunctionCallNode(BoundScalarFunction function, std::vector<NodePtr> args)
      : function_(std::move(function)), args_(std::move(args)) {}

  Value evaluate(std::span<const Value> row) const override {
    // Arguments live on the stack for the common short calls.
    constexpr size_t kInline = 6;
    if (args_.size() <= kInline) {
      std::array<Value, kInline> values;
      for (size_t i = 0; i < args_.size(); ++i) values[i] = args_[i]->evaluate(row);
      return invoke(std::span<const Value>(values.data(), args_.size()));
    }
    std::vector<Value> values;
    values.reserve(args_.size());
    for (const NodePtr& arg : args_) values.push_back(arg->evaluate(row));
    return invoke(values);
  }

 private:
  Value invoke(std::span<const Value> args) const {
    try {
      return function_.invoke(args);
    } catch (...) {  // a UDF's error is the row's NULL, as ksqlDB logs and moves on
      return {};
    }
  }

  BoundScalarFunction function_;
  std::vector<NodePtr> args_;
};

}  // namespace

Result<Typed> compileFunctionCall(const Expr& expr, std::vector<Typed> args, const FunctionRegistry& functions) {
  std::vector<SqlTypePtr> arg_types;
  arg_types.reserve(args.size());
  for (const Typed& arg : args) arg_types.push_back(arg.type);  // nullptr for a NULL literal
  RUNNEL_ASSIGN_OR_RETURN(BoundScalarFunction function, functions.bindScalar(expr.name, arg_types));
  std::vector<NodePtr> nodes;
  nodes.reserve(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    // Variadic functions repeat their last parameter type.
    const auto& params = function.param_types;
    SqlTypePtr param = params.empty() ? nullptr : params[std::min(i, params.size() - 1)];
    bool convert = param && (args[i].isNullLiteral() || castSupported(*args[i].type, *param));
    nodes.push_back(convert ? coerce(std::move(args[i]), param).node : std::move(args[i].node));
  }
  SqlTypePtr type = function.return_type;
  return Typed{std::make_shared<FunctionCallNode>(std::move(function), std::move(nodes)), std::move(type), &expr};
}

}  // namespace runnel::sql::expression
