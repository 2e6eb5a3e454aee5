#include "sql/functions/time_zone.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace runnel::sql::functions {
namespace {

std::optional<int> twoDigits(std::string_view text, size_t at) {
  if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
      !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
    return std::nullopt;
  }
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

// ZoneOffset.of: +h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss (and '-'), within 18 hours.
std::optional<int> parseOffset(std::string_view text) {
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  std::string_view rest = text.substr(1);
  int hours = 0, minutes = 0, seconds = 0;
  if (rest.size() == 1 && std::isdigit(static_cast<unsigned char>(rest[0]))) {
    hours = rest[0] - '0';
  } else {
    auto h = twoDigits(rest, 0);
    if (!h) return std::nullopt;
    hours = *h;
    const bool colon = rest.size() > 2 && rest[2] == ':';
    const size_t width = colon ? 3 : 2;
    if (rest.size() == 2) {
    } else if (rest.size() == 2 + width || rest.size() == 2 + 2 * width) {
      auto m = twoDigits(rest, 2 + (colon ? 1 : 0));
      if (!m) return std::nullopt;
      minutes = *m;
      if (rest.size() == 2 + 2 * width) {
        if (colon && rest[5] != ':') return std::nullopt;
        auto s = twoDigits(rest, 2 + width + (colon ? 1 : 0));
        if (!s) return std::nullopt;
        seconds = *s;
      }
    } else {
      return std::nullopt;
    }
  }
  if (hours > 18 || minutes > 59 || seconds > 59) return std::nullopt;
  const int total = hours * 3600 + minutes * 60 + seconds;
  if (total > 18 * 3600) return std::nullopt;
  return sign * total;
}

std::string offsetId(int seconds) {
  if (seconds == 0) return "Z";
  const int magnitude = seconds < 0 ? -seconds : seconds;
  std::string id =
      fmt::format("{}{:02}:{:02}", seconds < 0 ? '-' : '+', magnitude / 3600, magnitude / 60 % 60);
  if (magnitude % 60 != 0) id += fmt::format(":{:02}", magnitude % 60);
  return id;
}

// The abbreviations java.time's zone-text parser maps to regions (those in common use).
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kAbbreviations{{
    {"PST", "America/Los_Angeles"}, {"PDT", "America/Los_Angeles"}, {"MST", "America/Denver"},
    {"MDT", "America/Denver"},      {"CST", "America/Chicago"},     {"CDT", "America/Chicago"},
    {"EST", "America/New_York"},    {"EDT", "America/New_York"},    {"AKST", "America/Anchorage"},
    {"AKDT", "America/Anchorage"},  {"HST", "Pacific/Honolulu"},    {"BST", "Europe/London"},
    {"CET", "Europe/Paris"},        {"CEST", "Europe/Paris"},       {"EET", "Europe/Athens"},
    {"EEST", "Europe/Athens"},      {"IST", "Asia/Kolkata"},        {"JST", "Asia/Tokyo"},
    {"AEST", "Australia/Sydney"},   {"AEDT", "Australia/Sydney"},   {"WET", "Europe/Lisbon"},
    {"WEST", "Europe/Lisbon"},
}};

}  // namespace

TimeZone TimeZone::utc() { return TimeZone(nullptr, 0, "Z"); }

Result<TimeZone> TimeZone::of(std::string_view id) {
  if (id == "Z") return utc();
  if (!id.empty() && (id[0] == '+' || id[0] == '-')) {
    auto offset = parseOffset(id);
    if (!offset)
      return Status::invalidArgument(fmt::format("Invalid ID for offset-based ZoneId: {}", id));
    return TimeZone(nullptr, *offset, offsetId(*offset));
  }
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (id.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = id.substr(prefix.size());
    if (rest.empty()) return TimeZone(nullptr, 0, std::string(id));
    if (rest[0] != '+' && rest[0] != '-') break;  // e.g. "UTC/..." is not an offset form
    auto offset = parseOffset(rest);
    if (!offset)
      return Status::invalidArgument(fmt::format("Invalid ID for offset-based ZoneId: {}", id));
    return TimeZone(nullptr, *offset,
                    *offset == 0 ? std::string(prefix) : std::string(prefix) + offsetId(*offset));
  }
  try {
    const date::time_zone* zone = date::locate_zone(id);
    return TimeZone(zone, 0, std::string(id));
  } catch (const std::exception&) {
    return Status::invalidArgument(fmt::format("Unknown time-zone ID: {}", id));
  }
}

Result<TimeZone> TimeZone::fromText(std::string_view text) {
  for (const auto& [abbreviation, region] : kAbbreviations) {
    if (text == abbreviation) return of(region);
  }
  return of(text);
}

TimeZone::Offset TimeZone::at(int64_t utc_seconds) const {
  if (!zone_) return {fixed_offset_seconds_, id_};
  date::sys_info info = zone_->get_info(date::sys_seconds{std::chrono::seconds{utc_seconds}});
  return {static_cast<int>(info.offset.count()), std::move(info.abbrev)};
}

int64_t TimeZone::toUtcSeconds(int64_t local_seconds) const {
  if (!zone_) return local_seconds - fixed_offset_seconds_;
  const date::local_seconds local{std::chrono::seconds{local_seconds}};
  // Unique: its offset. Ambiguous: `first` is the earlier offset. Nonexistent: `first` is
  // the offset before the gap, which moves the time forward by the gap, as java.time does.
  return local_seconds - zone_->get_info(local).first.offset.count();
}

}  // namespace runnel::sql::functions
