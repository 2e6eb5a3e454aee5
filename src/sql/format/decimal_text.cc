#include "sql/format/decimal_text.h"

#include <fmt/format.h>

namespace runnel::sql {
namespace {

constexpr int kMaxDigits = 38;

// A parsed decimal before it is fitted: the significant digits without leading zeros
// (empty for zero) and the BigDecimal scale (value = digits * 10^-scale).
struct DecimalText {
  bool negative = false;
  std::string_view integer_part;
  std::string_view fraction_part;
  int64_t exponent = 0;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool splitDecimal(std::string_view text, DecimalText& out) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) out.negative = text[i++] == '-';
  size_t start = i;
  while (i < text.size() && isDigit(text[i])) ++i;
  out.integer_part = text.substr(start, i - start);
  if (i < text.size() && text[i] == '.') {
    start = ++i;
    while (i < text.size() && isDigit(text[i])) ++i;
    out.fraction_part = text.substr(start, i - start);
  }
  if (out.integer_part.empty() && out.fraction_part.empty()) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative_exponent = text[i++] == '-';
    if (i == text.size()) return false;
    for (; i < text.size() && isDigit(text[i]); ++i) {
      out.exponent = out.exponent * 10 + (text[i] - '0');
      if (out.exponent > 1'000'000'000) return false;
    }
    if (negative_exponent) out.exponent = -out.exponent;
  }
  return i == text.size();
}

// BigDecimal.toPlainString() of digits * 10^-scale (digits without leading zeros; empty
// for zero).
void appendPlain(bool negative, std::string_view digits, int64_t scale, std::string& out) {
  if (negative && !digits.empty()) out.push_back('-');
  if (digits.empty()) digits = "0";
  if (scale <= 0) {
    out.append(digits);
    if (digits != "0") out.append(static_cast<size_t>(-scale), '0');
    return;
  }
  auto fraction_digits = static_cast<size_t>(scale);
  if (digits.size() > fraction_digits) {
    out.append(digits.substr(0, digits.size() - fraction_digits)).push_back('.');
    out.append(digits.substr(digits.size() - fraction_digits));
  } else {
    out.append("0.").append(fraction_digits - digits.size(), '0').append(digits);
  }
}

std::string plainText(bool negative, std::string_view digits, int64_t scale) {
  std::string out;
  appendPlain(negative, digits, scale, out);
  return out;
}

}  // namespace

Status parseDecimal(std::string_view text, const SqlType& type, Decimal& out) {
  DecimalText parts;
  if (!splitDecimal(text, parts)) {
    return Status::invalidArgument(fmt::format("Invalid decimal value: \"{}\"", text));
  }
  // All digits with the point removed, leading zeros dropped: value = digits * 10^-scale.
  std::string digits;
  digits.reserve(parts.integer_part.size() + parts.fraction_part.size());
  for (std::string_view part : {parts.integer_part, parts.fraction_part}) {
    for (char c : part) {
      if (!digits.empty() || c != '0') digits.push_back(c);
    }
  }
  int64_t scale = static_cast<int64_t>(parts.fraction_part.size()) - parts.exponent;

  int64_t integer_digits = static_cast<int64_t>(digits.size()) - scale;
  if (!digits.empty() && integer_digits > type.precision - type.scale) {
    return Status::invalidArgument(
        fmt::format("Numeric field overflow: A field with precision {} and scale {} must round to "
                    "an absolute value less than "
                    "10^{}. Got {}",
                    type.precision, type.scale, type.precision - type.scale,
                    plainText(parts.negative, digits, scale)));
  }
  if (scale > type.scale) {
    auto dropped = static_cast<size_t>(
        std::min<int64_t>(scale - type.scale, static_cast<int64_t>(digits.size()) + 1));
    bool exact = dropped <= digits.size() &&
                 digits.find_first_not_of('0', digits.size() - dropped) == std::string::npos;
    if (!digits.empty() && !exact) {
      return Status::invalidArgument(fmt::format(
          "Cannot fit decimal '{}' into DECIMAL({}, {}) without rounding. (Requires {},{})",
          plainText(parts.negative, digits, scale), type.precision, type.scale,
          std::max<size_t>(digits.size(), 1), scale));
    }
    digits.resize(digits.empty() ? 0 : digits.size() - dropped);
  } else if (!digits.empty()) {
    digits.append(static_cast<size_t>(type.scale - scale), '0');
  }
  if (digits.size() > kMaxDigits)
    return Status::invalidArgument("Invalid decimal value: too many digits");
  __int128 unscaled = 0;
  for (char c : digits) unscaled = unscaled * 10 + (c - '0');
  out.unscaled = parts.negative ? -unscaled : unscaled;
  out.scale = type.scale;
  return Status::ok();
}

void appendDecimal(const Decimal& value, std::string& out) {
  char buf[48];
  char* end = buf + sizeof buf;
  char* begin = end;
  unsigned __int128 magnitude = value.unscaled < 0 ? -static_cast<unsigned __int128>(value.unscaled)
                                                   : static_cast<unsigned __int128>(value.unscaled);
  for (; magnitude != 0; magnitude /= 10)
    *--begin = static_cast<char>('0' + static_cast<int>(magnitude % 10));
  appendPlain(value.unscaled < 0, std::string_view(begin, static_cast<size_t>(end - begin)),
              value.scale, out);
}

}  // namespace runnel::sql
