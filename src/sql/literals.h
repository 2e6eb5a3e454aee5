#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "sql/types.h"
#include "sql/value.h"

namespace runnel::sql {

// A numeric literal typed as ksqlDB types it: an integer that fits 32 bits is INT, else
// BIGINT; `1.50` is DECIMAL(3, 2) (digits, digits after the point); `1.5E3` is DOUBLE.
struct NumericLiteral {
  Value value;
  SqlTypePtr type;
  std::string text;  // as ksqlDB prints it: `-12`, `1.50`, `1500.0`, `1.0E10`
};

// `digits` is the token as written, without sign; `negative` when a minus preceded it.
// Fails with "Invalid numeric literal: <literal>" beyond BIGINT or 38 decimal digits, and
// "Number overflows DOUBLE: <literal>" beyond DOUBLE's range.
Result<NumericLiteral> parseNumericLiteral(std::string_view digits, bool negative);

// Java's Double.toString, which ksqlDB prints DOUBLE literals with.
std::string formatDouble(double value);

}  // namespace runnel::sql
