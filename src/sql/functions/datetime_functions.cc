#include <chrono>
#include <optional>

#include "sql/functions/catalog.h"
#include "sql/functions/java_time_format.h"
#include "sql/functions/memo.h"
#include "sql/functions/time_zone.h"

// TIMESTAMPTOSTRING, STRINGTOTIMESTAMP, FORMAT_TIMESTAMP, PARSE_TIMESTAMP, UNIX_TIMESTAMP,
// and their DATE and TIME kin: FORMAT_DATE, PARSE_DATE, DATETOSTRING, STRINGTODATE
// (days as an INT), FORMAT_TIME, PARSE_TIME; those read and print in UTC. CONVERT_TZ.
// Patterns and zones are compiled once per thread (memo.h). A bad pattern, zone or text
// gives NULL, as ksqlDB's function errors do.
namespace runnel::sql::functions {
namespace {

const JavaTimeFormat* patternOf(const Value& pattern) {
  return memoized<JavaTimeFormat>(
      pattern.asString(), [](const std::string& text) { return JavaTimeFormat::compile(text); });
}

// The zone argument, or UTC for the variants without one.
const TimeZone* zoneOf(std::span<const Value> args, size_t index) {
  static const TimeZone utc = TimeZone::utc();
  if (args.size() <= index) return &utc;
  return memoized<TimeZone>(args[index].asString(),
                            [](const std::string& id) { return TimeZone::of(id); });
}

constexpr int64_t kMillisPerDay = 86'400'000;

int64_t millisOf(const Value& value) {
  if (value.is<Timestamp>()) return value.as<Timestamp>().millis;
  if (value.is<Time>()) return value.as<Time>().millis;
  if (value.is<Date>()) return value.as<Date>().days * kMillisPerDay;
  if (value.is<int32_t>()) return value.asInt() * kMillisPerDay;  // DATETOSTRING's days
  return value.asBigint();
}

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

Value format(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const JavaTimeFormat* pattern = patternOf(args[1]);
  const TimeZone* zone = zoneOf(args, 2);
  if (!pattern || !zone) return Value::null();
  return pattern->format(millisOf(args[0]), *zone);
}

template <class Out>
Value parse(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const JavaTimeFormat* pattern = patternOf(args[1]);
  const TimeZone* zone = zoneOf(args, 2);
  if (!pattern || !zone) return Value::null();
  auto millis = pattern->parse(args[0].asString(), *zone);
  if (!millis.isOk()) return Value::null();
  if constexpr (std::is_same_v<Out, Date>) {
    return Date{static_cast<int32_t>(floorDiv(*millis, kMillisPerDay))};
  } else if constexpr (std::is_same_v<Out, int32_t>) {
    return static_cast<int32_t>(floorDiv(*millis, kMillisPerDay));
  } else if constexpr (std::is_same_v<Out, Time>) {
    return Time{*millis - floorDiv(*millis, kMillisPerDay) * kMillisPerDay};
  } else {
    return Out{*millis};
  }
}

// CONVERT_TZ: the timestamp moved by the difference of the two zones' offsets at that
// instant, as ksqlDB's (java.util.TimeZone.getOffset).
Value convertTz(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const TimeZone* from = zoneOf(args, 1);
  const TimeZone* to = zoneOf(args, 2);
  if (!from || !to) return Value::null();
  const int64_t millis = args[0].as<Timestamp>().millis;
  const int64_t seconds = floorDiv(millis, 1000);
  return Timestamp{millis + (to->at(seconds).seconds - from->at(seconds).seconds) * int64_t{1000}};
}

std::vector<ScalarVariant> withOptionalZone(std::vector<Param> params, SqlTypePtr return_type,
                                            ScalarInvoke invoke) {
  std::vector<ScalarVariant> variants;
  variants.push_back(fixedVariant(params, return_type, invoke));
  params.push_back(param("timeZone", SqlType::string()));
  variants.push_back(fixedVariant(std::move(params), std::move(return_type), std::move(invoke)));
  return variants;
}

}  // namespace

void registerDateTimeFunctions(Catalog& catalog) {
  const SqlTypePtr str = SqlType::string();
  const SqlTypePtr bigint = SqlType::bigint();
  const SqlTypePtr timestamp = SqlType::timestamp();
  auto add = [&](std::string name, std::string display_name, std::string description,
                 std::vector<ScalarVariant> variants) {
    catalog.addScalar({std::move(name), std::move(display_name), "DATE / TIME",
                       std::move(description), std::move(variants)});
  };

  add("TIMESTAMPTOSTRING", "timestamptostring",
      "Converts a BIGINT millisecond timestamp value into the string representation of the "
      "timestamp in the given "
      "format (java.time.format.DateTimeFormatter), in UTC or the given time zone.",
      withOptionalZone({param("epochMilli", bigint), param("formatPattern", str)}, str, format));
  add("STRINGTOTIMESTAMP", "stringtotimestamp",
      "Converts a string value in the given format into the BIGINT value that represents the "
      "millisecond timestamp, "
      "reading it in UTC or the given time zone unless the text has its own.",
      withOptionalZone({param("formattedTimestamp", str), param("formatPattern", str)}, bigint,
                       parse<int64_t>));
  add("FORMAT_TIMESTAMP", "format_timestamp",
      "Converts a TIMESTAMP value into the string representation of the timestamp in the given "
      "format, in UTC or the "
      "given time zone.",
      withOptionalZone({param("timestamp", timestamp), param("formatPattern", str)}, str, format));
  add("PARSE_TIMESTAMP", "parse_timestamp",
      "Converts a string value in the given format into a TIMESTAMP, reading it in UTC or the "
      "given time zone unless "
      "the text has its own.",
      withOptionalZone({param("formattedTimestamp", str), param("formatPattern", str)}, timestamp,
                       parse<Timestamp>));
  const SqlTypePtr date = SqlType::date();
  const SqlTypePtr time = SqlType::time();
  const SqlTypePtr integer = SqlType::integer();
  add("FORMAT_DATE", "format_date",
      "Converts a DATE value to a string in the given format (java.time.format.DateTimeFormatter).",
      {fixedVariant({param("date", date), param("formatPattern", str)}, str, format)});
  add("PARSE_DATE", "parse_date", "Converts a string in the given format to a DATE.",
      {fixedVariant({param("formattedDate", str), param("formatPattern", str)}, date, parse<Date>)});
  add("DATETOSTRING", "datetostring",
      "Converts an INT number of days since the epoch to a string in the given format.",
      {fixedVariant({param("epochDays", integer), param("formatPattern", str)}, str, format)});
  add("STRINGTODATE", "stringtodate",
      "Converts a string in the given format to the INT number of days since the epoch.",
      {fixedVariant({param("formattedDate", str), param("formatPattern", str)}, integer, parse<int32_t>)});
  add("FORMAT_TIME", "format_time", "Converts a TIME value to a string in the given format.",
      {fixedVariant({param("time", time), param("formatPattern", str)}, str, format)});
  add("PARSE_TIME", "parse_time", "Converts a string in the given format to a TIME.",
      {fixedVariant({param("formattedTime", str), param("formatPattern", str)}, time, parse<Time>)});
  add("CONVERT_TZ", "convert_tz", "Converts a TIMESTAMP from one time zone to another.",
      {fixedVariant({param("timestamp", timestamp), param("fromTimeZone", str), param("toTimeZone", str)},
                    timestamp, convertTz)});
  add("UNIX_DATE", "unix_date", "Gets the number of days since the epoch: today (UTC), or of the DATE given.",
      {fixedVariant({}, integer,
                    [](std::span<const Value>) -> Value {
                      const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count();
                      return static_cast<int32_t>(floorDiv(now, kMillisPerDay));
                    }),
       fixedVariant({param("date", date)}, integer, [](std::span<const Value> args) -> Value {
         if (args[0].isNull()) return Value::null();
         return args[0].as<Date>().days;
       })});
  add("UNIX_TIMESTAMP", "unix_timestamp",
      "Gets the Unix timestamp in milliseconds: now, or of the TIMESTAMP given.",
      {fixedVariant({}, bigint,
                    [](std::span<const Value>) -> Value {
                      return std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                          .count();
                    }),
       fixedVariant({param("timestamp", timestamp)}, bigint,
                    [](std::span<const Value> args) -> Value {
                      if (args[0].isNull()) return Value::null();
                      return args[0].as<Timestamp>().millis;
                    })});
}

}  // namespace runnel::sql::functions
