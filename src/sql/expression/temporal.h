#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sql/value.h"

// DATE, TIME and TIMESTAMP to and from the ISO-8601 text ksqlDB's CAST reads and writes
// (UTC, milliseconds).
namespace runnel::sql::expression {

constexpr int64_t kMillisPerDay = 86'400'000;

std::string formatDate(Date date);                 // 2022-04-28
std::string formatTime(Time time);                 // 21:44:47, 21:44:47.943
std::string formatTimestamp(Timestamp timestamp);  // 2022-04-28T21:44:47.943

std::optional<Date> parseDate(std::string_view text);
std::optional<Time> parseTime(std::string_view text);
// 2022-04-28, 2022-04-28T21:44, 2022-04-28T21:44:47.943, with an optional Z or +hh:mm.
std::optional<Timestamp> parseTimestamp(std::string_view text);

}  // namespace runnel::sql::expression
