#include "sql/format/java_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace runnel::sql {
namespace {

template <class Int>
bool parseJavaInteger(std::string_view text, Int& out) {
  // from_chars takes a '-' but not a '+', and nothing may follow the digits.
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text[0] == '-') return false;
  }
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool isJavaWhitespace(char c) { return static_cast<unsigned char>(c) <= ' '; }

}  // namespace

bool parseJavaInt(std::string_view text, int32_t& out) { return parseJavaInteger(text, out); }
bool parseJavaLong(std::string_view text, int64_t& out) { return parseJavaInteger(text, out); }

bool parseJavaDouble(std::string_view text, double& out) {
  while (!text.empty() && isJavaWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isJavaWhitespace(text.back())) text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "NaN") {
    out = std::nan("");
    return true;
  }
  if (text == "Infinity") {
    out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (!text.empty() && std::strchr("dDfF", text.back()) != nullptr) text.remove_suffix(1);
  // from_chars would also take "inf", "nan" and hex digits, which Java spells differently.
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.'))
    return false;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), out, std::chars_format::general);
  if (end != text.data() + text.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // Java rounds to zero or infinity where from_chars reports the range.
    out = std::strtod(std::string(text).c_str(), nullptr);
  } else if (ec != std::errc()) {
    return false;
  }
  if (negative) out = -out;
  return true;
}

void appendJavaDouble(double value, std::string& out) {
  if (std::isnan(value)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out.append(value > 0 ? "Infinity" : "-Infinity");
    return;
  }
  if (std::signbit(value)) out.push_back('-');
  double magnitude = std::fabs(value);
  if (magnitude == 0) {
    out.append("0.0");
    return;
  }
  // The shortest digits as d.ddde[+-]x, then laid out as Java does.
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific);
  char* e = std::find(buf, end, 'e');
  std::string_view mantissa(buf, static_cast<size_t>(e - buf));
  // to_chars writes e+07 / e-03 and no terminating NUL.
  const char* exponent_text = e + 1 + (e[1] == '+');
  int exponent = 0;
  std::from_chars(exponent_text, end, exponent);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  if (digits.size() == 1) {
    // Java prints at least two digits, choosing the pair nearest the exact value: 4.9E-324
    // where the shortest is 5e-324. Zeros then trail (2.0) and are dropped here.
    auto [two_end, two_ec] =
        std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific, 1);
    digits.assign({buf[0], buf[2]});
    if (digits[1] == '0') digits.resize(1);
    exponent = 0;
    const char* two_exponent = std::find(buf, two_end, 'e') + 1;
    std::from_chars(two_exponent + (*two_exponent == '+'), two_end, exponent);
  }
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      auto integer_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() < integer_digits) digits.append(integer_digits - digits.size(), '0');
      out.append(digits, 0, integer_digits).push_back('.');
      out.append(digits.size() > integer_digits ? digits.substr(integer_digits) : "0");
    } else {
      out.append("0.").append(static_cast<size_t>(-exponent - 1), '0').append(digits);
    }
    return;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  out.append(digits.size() > 1 ? std::string_view(digits).substr(1) : "0");
  out.push_back('E');
  out.append(std::to_string(exponent));
}

void appendShortestDouble(double value, std::string& out) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
  if (std::isfinite(value) && std::memchr(buf, '.', end - buf) == nullptr &&
      std::memchr(buf, 'e', end - buf) == nullptr) {
    out.append(".0");
  }
}

}  // namespace runnel::sql
