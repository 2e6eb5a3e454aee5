#include "sql/format/temporal_text.h"

#include <fmt/format.h>

namespace runnel::sql {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's days_from_civil inverse (proleptic Gregorian, as java.time).
CivilDate civilFromDays(int64_t days) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  auto doe = static_cast<unsigned>(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned day = doy - (153 * mp + 2) / 5 + 1;
  unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void appendDate(int64_t days, std::string& out) {
  CivilDate date = civilFromDays(days);
  if (date.year > 9999) out.push_back('+');
  if (date.year < 0) {
    fmt::format_to(std::back_inserter(out), "-{:04}", -date.year);
  } else {
    fmt::format_to(std::back_inserter(out), "{:04}", date.year);
  }
  fmt::format_to(std::back_inserter(out), "-{:02}-{:02}", date.month, date.day);
}

}  // namespace

void appendIsoDate(int32_t days_since_epoch, std::string& out) {
  appendDate(days_since_epoch, out);
}

void appendIsoTime(int64_t millis_of_day, std::string& out) {
  int64_t millis = ((millis_of_day % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
  int64_t seconds = millis / 1000;
  fmt::format_to(std::back_inserter(out), "{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
  if (millis % 60'000 == 0) return;
  fmt::format_to(std::back_inserter(out), ":{:02}", seconds % 60);
  if (millis % 1000 != 0) fmt::format_to(std::back_inserter(out), ".{:03}", millis % 1000);
}

void appendIsoTimestamp(int64_t epoch_millis, std::string& out) {
  int64_t days = floorDiv(epoch_millis, kMillisPerDay);
  int64_t millis = epoch_millis - days * kMillisPerDay;
  appendDate(days, out);
  int64_t seconds = millis / 1000;
  fmt::format_to(std::back_inserter(out), "T{:02}:{:02}:{:02}.{:03}", seconds / 3600,
                 seconds / 60 % 60, seconds % 60, millis % 1000);
}

}  // namespace runnel::sql
