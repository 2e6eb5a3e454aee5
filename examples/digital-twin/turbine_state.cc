#include "turbine_state.h"

#include <chrono>

namespace runnel::examples::twin {

namespace {

// Reads exactly `digits` decimal digits at `pos` and moves past them.
std::optional<int> readNumber(std::string_view text, size_t& pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t end = pos + digits; pos < end; ++pos) {
    if (text[pos] < '0' || text[pos] > '9') return std::nullopt;
    value = value * 10 + (text[pos] - '0');
  }
  return value;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<int64_t> parseInstantMs(std::string_view text) {
  using namespace std::chrono;
  size_t pos = 0;
  auto y = readNumber(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  auto mo = readNumber(text, pos, 2);
  if (!mo || !expect(text, pos, '-')) return std::nullopt;
  auto d = readNumber(text, pos, 2);
  if (!d || !expect(text, pos, 'T')) return std::nullopt;
  auto h = readNumber(text, pos, 2);
  if (!h || !expect(text, pos, ':')) return std::nullopt;
  auto mi = readNumber(text, pos, 2);
  if (!mi || !expect(text, pos, ':')) return std::nullopt;
  auto s = readNumber(text, pos, 2);
  if (!s) return std::nullopt;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    // Digits beyond milliseconds are truncated, as Instant.toEpochMilli does.
    int64_t scale = 100;
    size_t digits = 0;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
    }
    if (digits == 0) return std::nullopt;
  }
  if (!expect(text, pos, 'Z') || pos != text.size()) return std::nullopt;

  year_month_day date{year(*y), month(unsigned(*mo)), day(unsigned(*d))};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  auto instant = sys_days(date) + hours(*h) + minutes(*mi) + seconds(*s) + milliseconds(millis);
  return duration_cast<milliseconds>(instant.time_since_epoch()).count();
}

}  // namespace runnel::examples::twin
