#include "sql/functions/catalog.h"

// COALESCE, IFNULL, NULLIF: generic over one type T, which every argument is cast to.
namespace runnel::sql::functions {
namespace {

ScalarVariant genericVariant(std::vector<Param> params, bool variadic, ScalarInvoke invoke) {
  ScalarVariant variant;
  variant.params = std::move(params);
  variant.variadic = variadic;
  variant.return_text = "T";
  variant.bind =
      [invoke = std::move(invoke)](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    SqlTypePtr type = types[0];
    return BoundScalarFunction{std::move(types), std::move(type), invoke};
  };
  return variant;
}

}  // namespace

void registerConditionalFunctions(Catalog& catalog) {
  catalog.addScalar(ScalarFunction{"COALESCE",
                                   "COALESCE",
                                   "CONDITIONAL",
                                   "Returns the first parameter that is not NULL.",
                                   {genericVariant({generic("first"), generic("others")}, true,
                                                   [](std::span<const Value> args) -> Value {
                                                     for (const Value& arg : args) {
                                                       if (!arg.isNull()) return arg;
                                                     }
                                                     return Value::null();
                                                   })}});
  catalog.addScalar(ScalarFunction{
      "IFNULL",
      "IFNULL",
      "CONDITIONAL",
      "Returns expression if not NULL, otherwise the alternative value.",
      {genericVariant(
          {generic("expression"), generic("altValue")}, false,
          [](std::span<const Value> args) { return args[0].isNull() ? args[1] : args[0]; })}});
  catalog.addScalar(ScalarFunction{
      "NULLIF",
      "NULLIF",
      "CONDITIONAL",
      "Returns NULL if both expressions are equal, otherwise the first expression.",
      {genericVariant({generic("expression1"), generic("expression2")}, false,
                      [](std::span<const Value> args) {
                        return !args[0].isNull() && args[0] == args[1] ? Value::null() : args[0];
                      })}});
}

}  // namespace runnel::sql::functions
