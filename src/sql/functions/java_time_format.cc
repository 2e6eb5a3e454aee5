#include "sql/functions/java_time_format.h"

#include <date/date.h>
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <optional>

namespace runnel::sql::functions {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr std::array<std::string_view, 12> kMonths{"January",   "February", "March",    "April",
                                                   "May",       "June",     "July",     "August",
                                                   "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};
constexpr std::string_view kSupportedLetters = "GyuDMLdHhkKmsSaEzZXxV";

int64_t floorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

void appendPadded(std::string& out, int64_t value, int width) {
  if (value < 0) {
    out += '-';
    value = -value;
  }
  fmt::format_to(std::back_inserter(out), "{:0{}}", value, width);
}

// "+05:30" style offsets. `colons`: separate the parts; `always_minutes`: print :00
// minutes; seconds only when non-zero and `with_seconds`.
void appendOffset(std::string& out, int seconds, bool colons, bool always_minutes,
                  bool with_seconds) {
  const int magnitude = seconds < 0 ? -seconds : seconds;
  out += seconds < 0 ? '-' : '+';
  appendPadded(out, magnitude / 3600, 2);
  const int minutes = magnitude / 60 % 60;
  if (always_minutes || minutes != 0 || (with_seconds && magnitude % 60 != 0)) {
    if (colons) out += ':';
    appendPadded(out, minutes, 2);
  }
  if (with_seconds && magnitude % 60 != 0) {
    if (colons) out += ':';
    appendPadded(out, magnitude % 60, 2);
  }
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// The index of the longest name `text` starts with (full names before their 3-letter
// short forms), advancing `pos`; nullopt when none matches.
template <size_t N>
std::optional<int> matchName(std::string_view text, size_t& pos,
                             const std::array<std::string_view, N>& names, bool full) {
  for (size_t i = 0; i < N; ++i) {
    std::string_view name = full ? names[i] : names[i].substr(0, 3);
    if (startsWithIgnoreCase(text.substr(pos), name)) {
      pos += name.size();
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> readDigits(std::string_view text, size_t& pos, int min_width,
                                  int max_width) {
  int64_t value = 0;
  int width = 0;
  while (width < max_width && pos + width < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[pos + width]))) {
    value = value * 10 + (text[pos + width] - '0');
    ++width;
  }
  if (width < min_width) return std::nullopt;
  pos += width;
  return value;
}

// An offset as X, x and Z parse it: "Z" (X only), "+HH", "+HHMM", "+HH:MM", "+HH:MM:SS";
// Z's long form "GMT+08:00" too.
std::optional<int> readOffset(std::string_view text, size_t& pos, bool allow_z) {
  if (allow_z && pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
    return 0;
  }
  if (text.substr(pos, 3) == "GMT") {
    pos += 3;
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return 0;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
  const int sign = text[pos++] == '-' ? -1 : 1;
  auto hours = readDigits(text, pos, 2, 2);
  if (!hours) return std::nullopt;
  int seconds = static_cast<int>(*hours) * 3600;
  for (int unit : {60, 1}) {
    size_t at = pos + (pos < text.size() && text[pos] == ':' ? 1 : 0);
    auto part = readDigits(text, at, 2, 2);
    if (!part) break;
    pos = at;
    seconds += static_cast<int>(*part) * unit;
  }
  return sign * seconds;
}

// The most digits a numeric field reads: fixed for counts of two and more, except years
// ("yyyy" is at least four digits) and day-of-year; S..S is always fixed.
int maxWidth(char letter, int count) {
  switch (letter) {
    case 'S':
      return count;
    case 'y':
    case 'u':
      return count == 2 ? 2 : 10;
    case 'D':
      return std::max(count, 3);
    default:
      return std::max(count, 2);
  }
}

}  // namespace

struct JavaTimeFormat::ParsedFields {
  std::optional<int64_t> year;
  int month = 1;
  int day = 1;
  std::optional<int> day_of_year;
  std::optional<int> hour;    // H, or k with 24 as 0
  std::optional<int> hour12;  // h (1-12, 12 as 0) or K (0-11)
  bool pm = false;
  int minute = 0;
  int second = 0;
  int millis = 0;
  std::optional<int> offset_seconds;
  std::optional<TimeZone> zone;
};

namespace {

Status unparseable(std::string_view text, size_t pos) {
  return Status::invalidArgument(
      fmt::format("Text '{}' could not be parsed at index {}", text, pos));
}

}  // namespace

bool JavaTimeFormat::isNumeric(const Token& token) {
  switch (token.letter) {
    case 'y':
    case 'u':
    case 'D':
    case 'd':
    case 'H':
    case 'h':
    case 'k':
    case 'K':
    case 'm':
    case 's':
    case 'S':
      return true;
    case 'M':
    case 'L':
      return token.count <= 2;
    default:
      return false;
  }
}

Result<JavaTimeFormat> JavaTimeFormat::compile(std::string_view pattern) {
  std::vector<Token> tokens;
  // A '[' token's count is the index of its ']' token.
  std::vector<size_t> open_sections;
  auto closeSection = [&] {
    tokens[open_sections.back()].count = static_cast<int>(tokens.size());
    open_sections.pop_back();
    tokens.push_back(Token{']', 0, {}});
  };
  auto literal = [&](std::string_view text) {
    if (tokens.empty() || tokens.back().letter != 0) tokens.push_back(Token{});
    tokens.back().literal += text;
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal("'");
        i += 2;
        continue;
      }
      std::string text;
      size_t j = i + 1;
      for (;; ++j) {
        if (j >= pattern.size())
          return Status::invalidArgument(
              fmt::format("Pattern ends with an incomplete string literal: {}", pattern));
        if (pattern[j] != '\'') {
          text += pattern[j];
        } else if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
          text += '\'';
          ++j;
        } else {
          break;
        }
      }
      literal(text);
      i = j + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      if (kSupportedLetters.find(c) == std::string_view::npos) {
        return Status::invalidArgument(fmt::format("Unknown pattern letter: {}", c));
      }
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      tokens.push_back(Token{c, static_cast<int>(j - i), {}});
      i = j;
    } else if (c == '[') {
      open_sections.push_back(tokens.size());
      tokens.push_back(Token{'[', 0, {}});
      ++i;
    } else if (c == ']') {
      if (open_sections.empty()) {
        return Status::invalidArgument(
            fmt::format("Pattern invalid as it contains ] without previous [: {}", pattern));
      }
      closeSection();
      ++i;
    } else if (c == '{' || c == '}' || c == '#') {
      return Status::invalidArgument(fmt::format("Pattern includes reserved character: '{}'", c));
    } else {
      literal(std::string_view(&pattern[i], 1));
      ++i;
    }
  }
  while (!open_sections.empty()) closeSection();  // a section left open ends with the pattern
  return JavaTimeFormat(std::move(tokens));
}

std::string JavaTimeFormat::format(int64_t utc_millis, const TimeZone& zone) const {
  const TimeZone::Offset offset = zone.at(floorDiv(utc_millis, 1000));
  const int64_t local_millis = utc_millis + int64_t{offset.seconds} * 1000;
  const int64_t day = floorDiv(local_millis, kMillisPerDay);
  const int64_t millis_of_day = local_millis - day * kMillisPerDay;
  const date::sys_days days{date::days{day}};
  const date::year_month_day ymd{days};
  const int year = static_cast<int>(ymd.year());
  const int month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  const int hour = static_cast<int>(millis_of_day / 3'600'000);

  std::string out;
  for (const Token& token : tokens_) {
    const int n = token.count;
    switch (token.letter) {
      case 0:
        out += token.literal;
        break;
      case '[':
      case ']':
        break;  // every field is known when formatting: optional sections print
      case 'G':
        out += year > 0 ? "AD" : "BC";
        break;
      case 'y':
      case 'u':
        if (n == 2)
          appendPadded(out, ((year % 100) + 100) % 100, 2);
        else
          appendPadded(out, year, n);
        break;
      case 'D':
        appendPadded(out, (days - date::sys_days{ymd.year() / 1 / 1}).count() + 1, n);
        break;
      case 'M':
      case 'L':
        if (n >= 4)
          out += kMonths[month - 1];
        else if (n == 3)
          out += kMonths[month - 1].substr(0, 3);
        else
          appendPadded(out, month, n);
        break;
      case 'd':
        appendPadded(out, static_cast<unsigned>(ymd.day()), n);
        break;
      case 'E': {
        std::string_view name = kWeekdays[date::weekday{days}.c_encoding()];
        out += n >= 4 ? name : name.substr(0, 3);
        break;
      }
      case 'a':
        out += hour < 12 ? "AM" : "PM";
        break;
      case 'H':
        appendPadded(out, hour, n);
        break;
      case 'k':
        appendPadded(out, hour == 0 ? 24 : hour, n);
        break;
      case 'K':
        appendPadded(out, hour % 12, n);
        break;
      case 'h':
        appendPadded(out, hour % 12 == 0 ? 12 : hour % 12, n);
        break;
      case 'm':
        appendPadded(out, millis_of_day / 60'000 % 60, n);
        break;
      case 's':
        appendPadded(out, millis_of_day / 1000 % 60, n);
        break;
      case 'S': {
        // The first n digits of the nine-digit nano-of-second.
        std::string nanos = fmt::format("{:03}000000", millis_of_day % 1000);
        out += n <= 9 ? nanos.substr(0, n) : nanos + std::string(n - 9, '0');
        break;
      }
      case 'z':
        out += offset.abbreviation;
        break;
      case 'V':
        out += zone.id();
        break;
      case 'Z':
        if (n == 4) {
          out += "GMT";
          if (offset.seconds != 0) appendOffset(out, offset.seconds, true, true, true);
        } else if (n == 5 && offset.seconds == 0) {
          out += 'Z';
        } else {
          appendOffset(out, offset.seconds, n == 5, true, n == 5);
        }
        break;
      case 'X':
      case 'x':
        if (token.letter == 'X' && offset.seconds == 0) {
          out += 'Z';
        } else {
          // 1: +HH[mm]; 2: +HHmm; 3: +HH:mm; 4: +HHmm[ss]; 5: +HH:mm[:ss].
          appendOffset(out, offset.seconds, n == 3 || n == 5, n >= 2, n >= 4);
        }
        break;
    }
  }
  return out;
}

Status JavaTimeFormat::parseTokens(std::string_view text, size_t& pos, size_t begin, size_t end,
                                   ParsedFields& fields) const {
  for (size_t t = begin; t < end; ++t) {
    const Token& token = tokens_[t];
    const size_t start = pos;
    if (token.letter == '[') {
      // An optional section: parsed if it can be, else skipped with nothing consumed.
      const size_t close = token.count;
      const ParsedFields before = fields;
      if (!parseTokens(text, pos, t + 1, close, fields).isOk()) {
        fields = before;
        pos = start;
      }
      t = close;
      continue;
    }
    if (token.letter == 0) {
      if (!startsWithIgnoreCase(text.substr(pos), token.literal)) return unparseable(text, pos);
      pos += token.literal.size();
      continue;
    }
    const int n = token.count;
    if (isNumeric(token)) {
      // Fixed width for counts of 2 and more (years: at least n digits); a field followed
      // directly by another number takes exactly its minimum width.
      const bool adjacent = t + 1 < tokens_.size() && isNumeric(tokens_[t + 1]);
      auto value = readDigits(text, pos, n, adjacent ? n : maxWidth(token.letter, n));
      if (!value) return unparseable(text, start);
      const int v = static_cast<int>(*value);
      switch (token.letter) {
        case 'y':
        case 'u':
          fields.year = n == 2 ? 2000 + *value : *value;
          break;
        case 'D':
          fields.day_of_year = v;
          break;
        case 'M':
        case 'L':
          fields.month = v;
          break;
        case 'd':
          fields.day = v;
          break;
        case 'H':
          fields.hour = v;
          break;
        case 'k':
          fields.hour = v == 24 ? 0 : v;
          break;
        case 'h':
          fields.hour12 = v == 12 ? 0 : v;
          break;
        case 'K':
          fields.hour12 = v;
          break;
        case 'm':
          fields.minute = v;
          break;
        case 's':
          fields.second = v;
          break;
        case 'S': {
          int64_t millis = *value;
          for (int digits = n; digits < 3; ++digits) millis *= 10;
          for (int digits = n; digits > 3; --digits) millis /= 10;
          fields.millis = static_cast<int>(millis);
          break;
        }
      }
      continue;
    }
    switch (token.letter) {
      case 'M':
      case 'L': {
        auto month = matchName(text, pos, kMonths, n >= 4);
        if (!month) return unparseable(text, start);
        fields.month = *month + 1;
        break;
      }
      case 'E':
        if (!matchName(text, pos, kWeekdays, n >= 4)) return unparseable(text, start);
        break;
      case 'a':
        if (startsWithIgnoreCase(text.substr(pos), "AM") ||
            startsWithIgnoreCase(text.substr(pos), "PM")) {
          fields.pm = std::toupper(static_cast<unsigned char>(text[pos])) == 'P';
          pos += 2;
        } else {
          return unparseable(text, start);
        }
        break;
      case 'G':
        if (text.substr(pos, 2) != "AD") return unparseable(text, start);
        pos += 2;
        break;
      case 'z':
      case 'V': {
        while (pos < text.size() &&
               (std::isalnum(static_cast<unsigned char>(text[pos])) ||
                std::string_view("/_+-:").find(text[pos]) != std::string_view::npos)) {
          ++pos;
        }
        auto parsed = TimeZone::fromText(text.substr(start, pos - start));
        if (!parsed.isOk()) return unparseable(text, start);
        fields.zone = std::move(parsed).value();
        break;
      }
      case 'Z':
      case 'X':
      case 'x': {
        auto offset = readOffset(text, pos, token.letter != 'x');
        if (!offset) return unparseable(text, start);
        fields.offset_seconds = offset;
        break;
      }
    }
  }
  return Status::ok();
}

Result<int64_t> JavaTimeFormat::parse(std::string_view text, const TimeZone& zone) const {
  ParsedFields fields;
  size_t pos = 0;
  RUNNEL_RETURN_IF_ERROR(parseTokens(text, pos, 0, tokens_.size(), fields));
  if (pos != text.size()) {
    return Status::invalidArgument(
        fmt::format("Text '{}' could not be parsed, unparsed text found at index {}", text, pos));
  }

  const int hour = fields.hour ? *fields.hour : fields.hour12.value_or(0) + (fields.pm ? 12 : 0);
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > 31 || hour > 23 ||
      fields.minute > 59 || fields.second > 59) {
    return Status::invalidArgument(
        fmt::format("Text '{}' could not be parsed: a field is out of range", text));
  }
  const date::year year{static_cast<int>(fields.year.value_or(1970))};
  date::sys_days days;
  if (fields.day_of_year) {
    if (*fields.day_of_year < 1 || *fields.day_of_year > (year.is_leap() ? 366 : 365)) {
      return Status::invalidArgument(
          fmt::format("Text '{}' could not be parsed: invalid day of year", text));
    }
    days = date::sys_days{year / 1 / 1} + date::days{*fields.day_of_year - 1};
  } else {
    // java.time's SMART resolver: a day past the month's end is its last day (Feb 30 -> 28/29).
    const date::year_month_day_last last{year / date::month{static_cast<unsigned>(fields.month)} /
                                         date::last};
    const unsigned day =
        std::min(static_cast<unsigned>(fields.day), static_cast<unsigned>(last.day()));
    days = date::sys_days{year / date::month{static_cast<unsigned>(fields.month)} / date::day{day}};
  }
  const int64_t local_seconds = int64_t{days.time_since_epoch().count()} * 86'400 + hour * 3600 +
                                fields.minute * 60 + fields.second;
  int64_t utc_seconds = 0;
  if (fields.offset_seconds)
    utc_seconds = local_seconds - *fields.offset_seconds;
  else if (fields.zone)
    utc_seconds = fields.zone->toUtcSeconds(local_seconds);
  else
    utc_seconds = zone.toUtcSeconds(local_seconds);
  return utc_seconds * 1000 + fields.millis;
}

}  // namespace runnel::sql::functions
