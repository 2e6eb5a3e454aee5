#pragma once

#include <cstdint>
#include <string>

namespace runnel::sql {

// DATE, TIME and TIMESTAMP as ksqlDB's REST API prints them (java.time's ISO text, UTC).

// LocalDate.toString(): "2021-02-08"; years beyond 9999 get a '+', before year 0 a '-'.
void appendIsoDate(int32_t days_since_epoch, std::string& out);
// LocalTime.toString(): "10:00", "10:00:05", "10:00:05.100" (seconds and millis only
// when not zero).
void appendIsoTime(int64_t millis_of_day, std::string& out);
// "2021-02-08T10:00:00.000", always with millis.
void appendIsoTimestamp(int64_t epoch_millis, std::string& out);

}  // namespace runnel::sql
