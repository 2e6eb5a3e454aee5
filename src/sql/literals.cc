#include "sql/literals.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace runnel::sql {
namespace {

constexpr int kMaxDecimalPrecision = 38;

Status invalidLiteral(std::string_view digits, bool negative) {
  return Status::invalidArgument(fmt::format("Invalid numeric literal: {}{}", negative ? "-" : "", digits));
}

Result<NumericLiteral> integerLiteral(std::string_view digits, bool negative) {
  // Accumulated negatively, so that BIGINT's minimum fits.
  int64_t value = 0;
  for (char c : digits) {
    int digit = c - '0';
    if (value < (INT64_MIN + digit) / 10) return invalidLiteral(digits, negative);
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == INT64_MIN) return invalidLiteral(digits, negative);
    value = -value;
  }
  NumericLiteral literal;
  if (value >= INT32_MIN && value <= INT32_MAX) {
    literal.value = static_cast<int32_t>(value);
    literal.type = SqlType::integer();
  } else {
    literal.value = value;
    literal.type = SqlType::bigint();
  }
  literal.text = std::to_string(value);
  return literal;
}

Result<NumericLiteral> decimalLiteral(std::string_view digits, bool negative) {
  size_t point = digits.find('.');
  int scale = static_cast<int>(digits.size() - point - 1);
  std::string significant;  // the unscaled value's digits, leading zeros dropped
  for (char c : digits) {
    if (c == '.' || (c == '0' && significant.empty())) continue;
    significant += c;
  }
  if (significant.size() > kMaxDecimalPrecision || scale > kMaxDecimalPrecision) {
    return invalidLiteral(digits, negative);
  }
  __int128 unscaled = 0;
  for (char c : significant) unscaled = unscaled * 10 + (c - '0');
  if (negative) unscaled = -unscaled;
  // As BigDecimal's toString: the unscaled digits with the point put back, at least one
  // digit before it.
  std::string shown = significant.empty() ? "0" : significant;
  if (static_cast<int>(shown.size()) <= scale) shown.insert(0, scale - shown.size() + 1, '0');
  if (scale > 0) shown.insert(shown.size() - scale, ".");
  NumericLiteral literal;
  literal.value = Decimal{unscaled, scale};
  literal.type = SqlType::decimal(std::max<int>(std::max<int>(significant.size(), 1), scale), scale);
  literal.text = (negative && unscaled != 0 ? "-" : "") + shown;
  return literal;
}

}  // namespace

Result<NumericLiteral> parseNumericLiteral(std::string_view digits, bool negative) {
  bool has_exponent = digits.find_first_of("eE") != std::string_view::npos;
  if (!has_exponent && digits.find('.') == std::string_view::npos) return integerLiteral(digits, negative);
  if (!has_exponent) return decimalLiteral(digits, negative);
  std::string text = (negative ? "-" : "") + std::string(digits);
  double value = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(value)) return Status::invalidArgument("Number overflows DOUBLE: " + text);
  return NumericLiteral{value, SqlType::doubleType(), formatDouble(value)};
}

std::string formatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed).ptr;
    std::string out(buffer, end);
    if (out.find('.') == std::string::npos) out += ".0";
    return out;
  }
  // Java's computerized scientific notation: 1.0E10, 1.5E-5.
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific).ptr;
  std::string out(buffer, end);
  size_t e = out.find('e');
  std::string mantissa = out.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  int exponent = std::atoi(out.c_str() + e + 1);
  return mantissa + "E" + std::to_string(exponent);
}

}  // namespace runnel::sql
