#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"
#include "sql/expression.h"

// Internals of the expression compiler: the evaluator node interface and the entry points
// of each operator family (one file each). Only src/sql/expression/ includes this.
namespace runnel::sql {

// One evaluator of the compiled tree. Nodes are chosen at compile time for their operand
// types, so evaluate() does no type dispatch beyond its own children's virtual calls.
class CompiledExpression::Node {
 public:
  virtual ~Node() = default;
  // Never throws: runtime errors yield NULL.
  virtual Value evaluate(std::span<const Value> row) const = 0;

  // Asked once, when a parent is built (see Operand): the constant this node always
  // yields, or the row index it reads.
  virtual const Value* constantValue() const { return nullptr; }
  virtual std::optional<size_t> columnIndex() const { return std::nullopt; }
};

namespace expression {

using NodePtr = std::shared_ptr<const CompiledExpression::Node>;

// A node's child. Columns and constants are read in place, without a virtual call or a
// copy (a STRING column is not copied to be compared); any other child is evaluated.
class Operand {
 public:
  explicit Operand(NodePtr node)
      : node_(std::move(node)), constant_(node_->constantValue()), column_(node_->columnIndex()) {}

  // The value in place, or nullptr when it has to be evaluated.
  const Value* borrow(std::span<const Value> row) const {
    if (constant_) return constant_;
    if (column_) return *column_ < row.size() ? &row[*column_] : &null_;
    return nullptr;
  }
  Value evaluate(std::span<const Value> row) const { return node_->evaluate(row); }

 private:
  NodePtr node_;
  const Value* constant_;  // owned by node_
  std::optional<size_t> column_;
  Value null_;
};

// An Operand's value for one row: borrowed, or evaluated straight into place.
class OperandValue {
 public:
  OperandValue(const Operand& operand, std::span<const Value> row)
      : borrowed_(operand.borrow(row)), owned_(borrowed_ ? Value() : operand.evaluate(row)) {}
  const Value& operator*() const { return borrowed_ ? *borrowed_ : owned_; }

 private:
  const Value* borrowed_;
  Value owned_;
};

// A compiled sub-expression with its type (nullptr: an untyped NULL literal) and the
// source expression, whose text goes into error messages.
struct Typed {
  NodePtr node;
  SqlTypePtr type;
  const Expr* expr = nullptr;

  bool isNullLiteral() const { return type == nullptr; }
  const std::string& text() const { return expr->text; }
};

Status typeError(std::string message);

// A node that always yields `value`.
NodePtr constantNode(Value value);

// ---- type rules (types.cc) ----
// INT < BIGINT < DECIMAL < DOUBLE; nullptr when either is not numeric.
SqlTypePtr widerNumericType(const SqlTypePtr& a, const SqlTypePtr& b);
// The DECIMAL an INT or BIGINT widens to (DECIMAL itself unchanged).
SqlTypePtr asDecimalType(const SqlTypePtr& numeric);
// The type both can be implicitly converted to (numeric widening; equal types; a NULL
// literal takes the other's type); nullptr when there is none.
SqlTypePtr commonType(const SqlTypePtr& a, const SqlTypePtr& b);

// ---- cast.cc ----
// Whether CAST(from AS to) is allowed.
bool castSupported(const SqlType& from, const SqlType& to);
// `operand` converted to `to` (no node when the type already matches; a NULL literal
// becomes a typed NULL). Only for conversions castSupported allows.
Typed coerce(Typed operand, const SqlTypePtr& to);
Result<Typed> compileCast(const Expr& expr, Typed operand);

// ---- literal_coercion.cc ----
// Makes the error for an operand that cannot take the common type (nullptr: none yet).
using IncompatibleOperand = std::function<Status(const Typed& operand, const SqlTypePtr& type)>;
// The common type of `operands` with ksqlDB's literal coercion, rewriting the literals that
// need it in place; nullptr when all are NULL literals. The other operands still need
// coerce() to the result.
Result<SqlTypePtr> coerceLiterals(const std::vector<Typed*>& operands, const IncompatibleOperand& incompatible);

// ---- per family ----
Result<Typed> compileArithmetic(const Expr& expr, Typed left, Typed right);
Result<Typed> compileNegate(const Expr& expr, Typed operand);
Result<Typed> compileComparison(const Expr& expr, Operator op, Typed left, Typed right);
Result<Typed> compileIsDistinct(const Expr& expr, Typed left, Typed right);
Result<Typed> compileBetween(const Expr& expr, Typed value, Typed low, Typed high);
Result<Typed> compileIn(const Expr& expr, Typed value, std::vector<Typed> items);
Result<Typed> compileLogical(const Expr& expr, Typed left, Typed right);
Result<Typed> compileNot(const Expr& expr, Typed operand);
Result<Typed> compileIsNull(const Expr& expr, Typed operand);
Result<Typed> compileLike(const Expr& expr, Typed value, Typed pattern, const Typed* escape);
Result<Typed> compileCase(const Expr& expr, std::vector<Typed> children);
Result<Typed> compileArrayConstructor(const Expr& expr, std::vector<Typed> elements);
Result<Typed> compileMapConstructor(const Expr& expr, std::vector<Typed> keys_and_values);
Result<Typed> compileStructConstructor(const Expr& expr, std::vector<Typed> fields);
Result<Typed> compileDereference(const Expr& expr, Typed base);
Result<Typed> compileSubscript(const Expr& expr, Typed base, Typed index);
Result<Typed> compileFunctionCall(const Expr& expr, std::vector<Typed> args, const FunctionRegistry& functions);

// Equality of two values of the same type, as `=` sees it (decimals at any scale, maps
// in any order); NULL equals only NULL.
bool sqlEquals(const Value& a, const Value& b);

}  // namespace expression
}  // namespace runnel::sql
