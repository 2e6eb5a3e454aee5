#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace date {
class time_zone;
}

namespace runnel::sql::functions {

// A time zone as Java's ZoneId: a region of the tz database (/usr/share/zoneinfo, through
// Howard Hinnant's date library) or a fixed offset ("Z", "+05:30", "UTC", "GMT-8").
class TimeZone {
 public:
  static TimeZone utc();
  // ZoneId.of(id); fails with "Unknown time-zone ID: X" / "Invalid ID for offset-based ZoneId: X".
  static Result<TimeZone> of(std::string_view id);
  // Zone text as a parsed timestamp carries it: a ZoneId, or one of the abbreviations
  // Java's parser knows ("PST" is America/Los_Angeles, with its daylight saving time).
  static Result<TimeZone> fromText(std::string_view text);

  struct Offset {
    int seconds = 0;
    std::string abbreviation;  // "PDT", "BST"; a fixed offset's id
  };
  // The offset in force at an instant.
  Offset at(int64_t utc_seconds) const;
  // The instant of a wall-clock time, as java.time resolves it: in a gap (spring forward)
  // the time moves forward by the gap's length; in an overlap the earlier offset wins.
  int64_t toUtcSeconds(int64_t local_seconds) const;
  const std::string& id() const { return id_; }

 private:
  TimeZone(const date::time_zone* zone, int fixed_offset_seconds, std::string id)
      : zone_(zone), fixed_offset_seconds_(fixed_offset_seconds), id_(std::move(id)) {}

  const date::time_zone* zone_;  // nullptr: a fixed offset
  int fixed_offset_seconds_;
  std::string id_;
};

}  // namespace runnel::sql::functions
