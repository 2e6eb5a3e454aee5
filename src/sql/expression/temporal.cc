#include "sql/expression/temporal.h"

#include <fmt/format.h>

#include <charconv>

namespace runnel::sql::expression {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Reads exactly `width` digits from the front of `text`.
std::optional<int> takeDigits(std::string_view& text, size_t width) {
  if (text.size() < width) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  text.remove_prefix(width);
  return value;
}

bool take(std::string_view& text, char c) {
  if (text.empty() || text[0] != c) return false;
  text.remove_prefix(1);
  return true;
}

std::optional<int64_t> takeDate(std::string_view& text) {
  auto year = takeDigits(text, 4);
  if (!year || !take(text, '-')) return std::nullopt;
  auto month = takeDigits(text, 2);
  if (!month || !take(text, '-')) return std::nullopt;
  auto day = takeDigits(text, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  int64_t days = daysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  if (civilFromDays(days).day != static_cast<unsigned>(*day)) return std::nullopt;  // 02-30
  return days;
}

// HH:mm[:ss[.fraction]] as milliseconds of the day.
std::optional<int64_t> takeTime(std::string_view& text) {
  auto hour = takeDigits(text, 2);
  if (!hour || !take(text, ':')) return std::nullopt;
  auto minute = takeDigits(text, 2);
  if (!minute || *hour > 23 || *minute > 59) return std::nullopt;
  int64_t millis = (*hour * 60 + *minute) * 60'000LL;
  if (take(text, ':')) {
    auto second = takeDigits(text, 2);
    if (!second || *second > 59) return std::nullopt;
    millis += *second * 1000LL;
    if (take(text, '.')) {
      int scale = 100;
      size_t digits = 0;
      while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        millis += (text[digits] - '0') * scale;
        scale /= 10;
        ++digits;
      }
      if (digits == 0) return std::nullopt;
      text.remove_prefix(digits);
    }
  }
  return millis;
}

}  // namespace

std::string formatDate(Date date) {
  Civil civil = civilFromDays(date.days);
  return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
}

std::string formatTime(Time time) {
  int64_t ms = time.millis;
  std::string out = fmt::format("{:02}:{:02}:{:02}", ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60);
  if (ms % 1000 != 0) out += fmt::format(".{:03}", ms % 1000);
  return out;
}

std::string formatTimestamp(Timestamp timestamp) {
  int64_t days = floorDiv(timestamp.millis, kMillisPerDay);
  int64_t ms = timestamp.millis - days * kMillisPerDay;
  return fmt::format("{}T{:02}:{:02}:{:02}.{:03}", formatDate(Date{static_cast<int32_t>(days)}), ms / 3'600'000,
                     ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
}

std::optional<Date> parseDate(std::string_view text) {
  auto days = takeDate(text);
  if (!days || !text.empty()) return std::nullopt;
  return Date{static_cast<int32_t>(*days)};
}

std::optional<Time> parseTime(std::string_view text) {
  auto millis = takeTime(text);
  if (!millis || !text.empty()) return std::nullopt;
  return Time{*millis};
}

std::optional<Timestamp> parseTimestamp(std::string_view text) {
  auto days = takeDate(text);
  if (!days) return std::nullopt;
  int64_t millis = *days * kMillisPerDay;
  if (take(text, 'T')) {
    auto time = takeTime(text);
    if (!time) return std::nullopt;
    millis += *time;
  }
  if (take(text, 'Z')) return text.empty() ? std::optional<Timestamp>(Timestamp{millis}) : std::nullopt;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    int sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
    auto hours = takeDigits(text, 2);
    if (!hours) return std::nullopt;
    take(text, ':');
    auto minutes = text.empty() ? std::optional<int>(0) : takeDigits(text, 2);
    if (!minutes) return std::nullopt;
    millis -= sign * (*hours * 60 + *minutes) * 60'000LL;
  }
  if (!text.empty()) return std::nullopt;
  return Timestamp{millis};
}

}  // namespace runnel::sql::expression
