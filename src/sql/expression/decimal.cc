#include "sql/expression/decimal.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace runnel::sql::expression {
namespace {

__int128 absolute(__int128 v) { return v < 0 ? -v : v; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

namespace {
constexpr auto kPowersOfTen = [] {
  std::array<__int128, kMaxDecimalPrecision + 1> powers{};
  powers[0] = 1;
  for (size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}();
}  // namespace

__int128 powerOfTen(int n) { return kPowersOfTen[static_cast<size_t>(n)]; }

int digitCount(__int128 unscaled) {
  __int128 v = absolute(unscaled);
  int digits = 1;
  while (digits <= kMaxDecimalPrecision && v >= powerOfTen(digits)) ++digits;
  return digits;
}

std::string decimalToString(const Decimal& value) {
  __int128 v = absolute(value.unscaled);
  std::string digits;  // least significant first
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  size_t scale = value.scale > 0 ? static_cast<size_t>(value.scale) : 0;
  if (digits.size() <= scale) digits.append(scale - digits.size() + 1, '0');
  std::reverse(digits.begin(), digits.end());
  if (value.scale < 0) digits.append(static_cast<size_t>(-value.scale), '0');
  std::string out = value.unscaled < 0 ? "-" : "";
  out += std::string_view(digits).substr(0, digits.size() - scale);
  if (scale > 0) out.append(".").append(std::string_view(digits).substr(digits.size() - scale));
  return out;
}

std::optional<Decimal> parseDecimal(std::string_view text) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  __int128 unscaled = 0;
  int scale = 0;
  int digits = 0;
  bool after_point = false;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !after_point) {
      after_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (digits > 0 || c != '0') ++digits;
    if (digits > kMaxDecimalPrecision) return std::nullopt;
    unscaled = unscaled * 10 + (c - '0');
    if (after_point) ++scale;
  }
  bool any_digit = i > (after_point ? 1u : 0u);
  if (!any_digit) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    std::string_view exponent_text = text.substr(i + 1);
    if (!exponent_text.empty() && exponent_text[0] == '+') exponent_text.remove_prefix(1);
    int exponent = 0;
    auto [end, error] = std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    if (error != std::errc() || end != exponent_text.data() + exponent_text.size() || exponent_text.empty()) {
      return std::nullopt;
    }
    scale -= exponent;
  }
  if (scale < 0) {  // ksqlDB's decimals never carry a negative scale
    if (digits - scale > kMaxDecimalPrecision) return std::nullopt;
    unscaled *= powerOfTen(-scale);
    scale = 0;
  }
  return Decimal{negative ? -unscaled : unscaled, scale};
}

std::optional<Decimal> rescale(const Decimal& value, int scale) {
  if (scale == value.scale) return value;
  if (scale > value.scale) {
    int shift = scale - value.scale;
    if (shift > kMaxDecimalPrecision || digitCount(value.unscaled) + shift > kMaxDecimalPrecision) {
      return value.unscaled == 0 ? std::optional<Decimal>(Decimal{0, scale}) : std::nullopt;
    }
    return Decimal{value.unscaled * powerOfTen(shift), scale};
  }
  int shift = value.scale - scale;
  if (shift > kMaxDecimalPrecision) return Decimal{0, scale};
  __int128 divisor = powerOfTen(shift);
  __int128 quotient = value.unscaled / divisor;
  __int128 remainder = absolute(value.unscaled % divisor);
  if (remainder * 2 >= divisor) quotient += value.unscaled < 0 ? -1 : 1;  // HALF_UP: away from zero
  return Decimal{quotient, scale};
}

std::optional<Decimal> fitDecimal(const Decimal& value, int precision, int scale) {
  auto result = rescale(value, scale);
  if (!result || absolute(result->unscaled) >= powerOfTen(std::min(precision, kMaxDecimalPrecision))) return std::nullopt;
  return result;
}

double decimalToDouble(const Decimal& value) { return std::strtod(decimalToString(value).c_str(), nullptr); }

std::optional<Decimal> decimalFromDouble(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  return parseDecimal(javaDoubleString(value));
}

std::optional<std::pair<__int128, __int128>> alignScales(const Decimal& a, const Decimal& b, int* scale) {
  *scale = std::max(a.scale, b.scale);
  auto left = rescale(a, *scale);
  auto right = rescale(b, *scale);
  if (!left || !right) return std::nullopt;
  return std::make_pair(left->unscaled, right->unscaled);
}

int compareDecimals(const Decimal& a, const Decimal& b) {
  int scale = 0;
  if (auto aligned = alignScales(a, b, &scale)) {
    return aligned->first < aligned->second ? -1 : (aligned->first > aligned->second ? 1 : 0);
  }
  double x = decimalToDouble(a), y = decimalToDouble(b);  // only past 38 digits
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::string javaDoubleString(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest digits that round-trip, as d.dddde[+-]x, reshaped into Java's layout.
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  bool negative = text[0] == '-';
  if (negative) text.remove_prefix(1);
  size_t e = text.find('e');
  std::string digits(1, text[0]);
  if (e > 1) digits += text.substr(2, e - 2);
  int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  std::string out;
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) {
      out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else {
      if (digits.size() <= static_cast<size_t>(exponent) + 1) digits.append(exponent + 1 - digits.size() + 1, '0');
      out = digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
    }
  } else {
    out = digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" + std::to_string(exponent);
  }
  return negative ? "-" + out : out;
}

}  // namespace runnel::sql::expression
