// A stand-in for the built-in function registry (src/sql/functions/, written concurrently)
// so that the expression tests link: UCASE(STRING) and ABS(BIGINT), plus COUNT as an
// aggregate. Delete this file once the real registry is on main; the tests then use it.
#include <algorithm>
#include <cctype>

#include "sql/functions.h"

namespace runnel::sql {

class FunctionRegistry::Impl {};

FunctionRegistry::FunctionRegistry() : impl_(std::make_unique<Impl>()) {}

const FunctionRegistry& FunctionRegistry::builtin() {
  static const FunctionRegistry registry;
  return registry;
}

bool FunctionRegistry::isAggregate(const std::string& name) const { return name == "COUNT"; }

Result<BoundScalarFunction> FunctionRegistry::bindScalar(const std::string& name,
                                                         const std::vector<SqlTypePtr>& arg_types) const {
  if (name == "UCASE" && arg_types.size() == 1) {
    return BoundScalarFunction{{SqlType::string()}, SqlType::string(), [](std::span<const Value> args) -> Value {
                                 if (args[0].isNull()) return {};
                                 std::string s = args[0].asString();
                                 std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
                                 return Value(std::move(s));
                               }};
  }
  if (name == "ABS" && arg_types.size() == 1) {
    return BoundScalarFunction{{SqlType::bigint()}, SqlType::bigint(), [](std::span<const Value> args) -> Value {
                                 if (args[0].isNull()) return {};
                                 return Value(args[0].asBigint() < 0 ? -args[0].asBigint() : args[0].asBigint());
                               }};
  }
  return Status::notFound("Can't find any functions with the name '" + name + "'");
}

}  // namespace runnel::sql
