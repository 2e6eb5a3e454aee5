#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/functions.h"

// How a function family declares its functions to the registry. Each family file defines
// one registerXxxFunctions(Catalog&) (listed at the end of this header) and registry.cc
// calls them all once; adding a family is one new file plus one line there.
namespace runnel::sql::functions {

using ScalarInvoke = std::function<Value(std::span<const Value> args)>;

// A declared parameter: a concrete type, any DECIMAL (bound to the argument's precision
// and scale), the generic T (every T of a call binds to one type), or a type the variant's
// bind resolves itself from the argument types as they are (NULL staying untyped).
struct Param {
  enum class Kind : unsigned char { kType, kAnyDecimal, kGeneric, kAny, kResolvedByBind };
  std::string name;
  Kind kind = Kind::kType;
  SqlTypePtr type;  // kType only
};
Param param(std::string name, SqlTypePtr type);
Param anyDecimal(std::string name);
Param generic(std::string name);
Param anyType(std::string name);  // each argument its own type (TOPK's extra columns)
Param resolvedByBind(std::string name);  // GREATEST's: one type chosen from all arguments

// One signature of a scalar function. Binding resolves the argument types to `params`
// (with widening), then calls `bind` once with the resolved parameter types.
struct ScalarVariant {
  std::vector<Param> params;
  bool variadic = false;    // the last parameter repeats zero or more times
  std::string return_text;  // as DESCRIBE FUNCTION prints it: "VARCHAR", "T", "DECIMAL"
  std::string description;
  // The return type and implementation for the resolved parameter types; fails for
  // combinations a generic signature cannot serve.
  std::function<Result<BoundScalarFunction>(std::vector<SqlTypePtr> param_types)> bind;
};

struct ScalarFunction {
  std::string name;          // upper case, as SHOW FUNCTIONS lists it
  std::string display_name;  // as ksqlDB's UDF declares it, used in error messages
  std::string category;
  std::string description;
  std::vector<ScalarVariant> variants;
};

// One signature of an aggregate: column parameters, then trailing literal parameters.
struct AggregateVariant {
  std::vector<Param> params;
  bool variadic = false;
  std::vector<Param> literal_params;  // kType only: INT, BIGINT or BOOLEAN
  std::string return_text;
  std::string description;
  std::function<Result<std::unique_ptr<AggregateFunction>>(std::vector<SqlTypePtr> param_types,
                                                           const std::vector<Value>& literals)>
      make;
};

struct AggregateFunctionDef {
  std::string name;
  std::string description;
  std::vector<AggregateVariant> variants;
};

class Catalog {
 public:
  void addScalar(ScalarFunction function) { scalars_.push_back(std::move(function)); }
  void addAggregate(AggregateFunctionDef function) { aggregates_.push_back(std::move(function)); }
  std::vector<ScalarFunction>& scalars() { return scalars_; }
  std::vector<AggregateFunctionDef>& aggregates() { return aggregates_; }

 private:
  std::vector<ScalarFunction> scalars_;
  std::vector<AggregateFunctionDef> aggregates_;
};

// A variant with a fixed return type whose implementation does not depend on the
// argument types.
ScalarVariant fixedVariant(std::vector<Param> params, SqlTypePtr return_type, ScalarInvoke invoke,
                           std::string description = {}, bool variadic = false);

// True when any argument is NULL: most functions return NULL then.
inline bool anyNull(std::span<const Value> args) {
  for (const Value& arg : args) {
    if (arg.isNull()) return true;
  }
  return false;
}

void registerStringFunctions(Catalog& catalog);
void registerMathFunctions(Catalog& catalog);
void registerConditionalFunctions(Catalog& catalog);
void registerJsonFunctions(Catalog& catalog);
void registerDateTimeFunctions(Catalog& catalog);
void registerBasicAggregates(Catalog& catalog);
void registerOffsetAggregates(Catalog& catalog);
void registerCollectionAggregates(Catalog& catalog);
void registerKeyFunctions(Catalog& catalog);
void registerComparisonFunctions(Catalog& catalog);
void registerBytesFunctions(Catalog& catalog);
void registerCollectionFunctions(Catalog& catalog);

}  // namespace runnel::sql::functions
