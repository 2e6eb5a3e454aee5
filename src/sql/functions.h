#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/types.h"
#include "sql/value.h"

namespace runnel::sql {

// A UDAF bound to its argument types: the engine keeps one aggregate Value per group and
// column, in the state store (encodeValues), and calls these per record.
class AggregateFunction {
 public:
  virtual ~AggregateFunction() = default;
  virtual const SqlTypePtr& aggregateType() const = 0;  // the stored intermediate
  virtual const SqlTypePtr& returnType() const = 0;
  virtual Value initialize() const = 0;
  // Folds one record's arguments (the non-literal ones, in call order) into `aggregate`.
  virtual Value aggregate(std::span<const Value> args, Value aggregate) const = 0;
  // Removes a record's arguments (table aggregations, when a row changes or is deleted).
  virtual bool supportsUndo() const { return false; }
  virtual Value undo(std::span<const Value> args, Value aggregate) const;
  // The output column's value.
  virtual Value result(const Value& aggregate) const = 0;
};

// What SHOW FUNCTIONS and DESCRIBE FUNCTION print.
struct FunctionDescription {
  std::string name;
  std::string type;  // "SCALAR" or "AGGREGATE"
  std::string category;  // "STRING", "MATHEMATICAL", "DATE / TIME", "JSON", "CONDITIONAL", "AGGREGATE", ...
  std::string description;
  struct Argument {
    std::string name;
    std::string type;  // a variadic parameter's element type
    bool variadic = false;
  };
  struct Variant {
    std::string arguments;  // "str VARCHAR, pos INT"
    std::string return_type;
    std::string description;
    std::vector<Argument> argument_list;  // the same, one by one
  };
  std::vector<Variant> variants;
};

// A scalar function bound to argument types. The expression compiler casts each argument
// to param_types[i] (ksqlDB's implicit widening: INT -> BIGINT -> DECIMAL -> DOUBLE) and
// calls invoke with the evaluated arguments; the function handles NULLs as ksqlDB's does.
struct BoundScalarFunction {
  std::vector<SqlTypePtr> param_types;
  SqlTypePtr return_type;
  std::function<Value(std::span<const Value> args)> invoke;
};

// Built-in scalar and aggregate functions, one file per family (string, math, date/time,
// json, conditional, aggregates).
class FunctionRegistry {
 public:
  static const FunctionRegistry& builtin();

  // Fails with ksqlDB's message: "Can't find any functions with the name 'FOO'", or
  // "Function 'SUBSTRING' does not accept parameters (INTEGER)." style type errors.
  Result<BoundScalarFunction> bindScalar(const std::string& name, const std::vector<SqlTypePtr>& arg_types) const;

  bool isAggregate(const std::string& name) const;
  // Binds aggregate `name` to its argument types; `literal_args` are the trailing literal
  // parameters (TOPK's k). Fails with ksqlDB's message for an unknown function or types.
  // `arg_types` are the types of the other arguments only, those aggregate() receives:
  // COUNT(*) has none, TOPK(col, 3) has col's; COUNT(1) may pass 1 either way.
  Result<std::unique_ptr<AggregateFunction>> makeAggregate(const std::string& name,
                                                           const std::vector<SqlTypePtr>& arg_types,
                                                           const std::vector<Value>& literal_args) const;
  std::vector<FunctionDescription> list() const;
  Result<FunctionDescription> describe(const std::string& name) const;

  class Impl;
  const Impl& impl() const { return *impl_; }

 private:
  FunctionRegistry();
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::sql
