#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sql/value.h"

// DECIMAL arithmetic as Java's BigDecimal does it, on 128-bit unscaled values: enough for
// ksqlDB's 38 digits of precision. Operations that would not fit give nullopt, which the
// evaluator turns into NULL as ksqlDB turns an ArithmeticException into NULL.
namespace runnel::sql::expression {

constexpr int kMaxDecimalPrecision = 38;

// 10^n for n in [0, 38].
__int128 powerOfTen(int n);
int digitCount(__int128 unscaled);
// BigDecimal.toPlainString(): "-1.50", "0.05", "12".
std::string decimalToString(const Decimal& value);
// BigDecimal's string constructor: "1.5", "-.5", "1E+3", "  2 " (trimmed).
std::optional<Decimal> parseDecimal(std::string_view text);
// setScale(scale, HALF_UP); nullopt on overflow of 38 digits.
std::optional<Decimal> rescale(const Decimal& value, int scale);
// rescale, then nullopt when the result has more than `precision` digits (ksqlDB's
// "Numeric field overflow").
std::optional<Decimal> fitDecimal(const Decimal& value, int precision, int scale);
double decimalToDouble(const Decimal& value);
// BigDecimal.valueOf(double): goes through Double.toString, so 0.1 is exactly 0.1.
std::optional<Decimal> decimalFromDouble(double value);
// The two values at a common scale, for addition and comparison; nullopt on overflow.
std::optional<std::pair<__int128, __int128>> alignScales(const Decimal& a, const Decimal& b, int* scale);
int compareDecimals(const Decimal& a, const Decimal& b);
// Java's Double.toString: "1.0", "0.001", "1.0E7", "1.0E-4", "NaN", "-Infinity".
std::string javaDoubleString(double value);

}  // namespace runnel::sql::expression
