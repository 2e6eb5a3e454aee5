#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sql/functions/catalog.h"

// Resolving a call's argument types against a declared signature, as ksqlDB's UdfIndex
// does: exact types first, else implicit widening INT -> BIGINT -> DECIMAL -> DOUBLE,
// the cheapest widening winning.
namespace runnel::sql::functions {

struct SignatureMatch {
  std::vector<SqlTypePtr> param_types;  // one per argument, after widening
  int cost = 0;                         // 0: exact; each widening step adds
};

// Null argument types (an untyped NULL literal) match any parameter at no cost.
std::optional<SignatureMatch> matchSignature(const std::vector<Param>& params, bool variadic,
                                             std::span<const SqlTypePtr> arg_types);

// "VARCHAR str, INT pos" for error messages; "str VARCHAR, pos INT" for DESCRIBE.
std::string paramsForError(const std::vector<Param>& params, bool variadic);
std::string paramsForDescribe(const std::vector<Param>& params, bool variadic);
// Each parameter as DESCRIBE FUNCTION's REST entity lists it.
std::vector<FunctionDescription::Argument> describeArguments(const std::vector<Param>& params, bool variadic);
// "(INTEGER, null)": the call's argument types as ksqlDB's error messages print them.
std::string argumentTypesText(std::span<const SqlTypePtr> arg_types);

}  // namespace runnel::sql::functions
