#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "sql/functions/catalog.h"

// ABS, CEIL, FLOOR, ROUND, TRUNC, SIGN and the DOUBLE functions of java.lang.Math (LN,
// LOG, EXP, SQRT, CBRT, POWER, the trigonometric ones...). ROUND rounds half towards positive infinity, as ksqlDB's does
// (BigDecimal HALF_UP for positive values, HALF_DOWN for negative ones): ROUND(-1.5) = -1.
namespace runnel::sql::functions {
namespace {

__int128 pow10(int exponent) {
  __int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

__int128 floorDiv(__int128 a, __int128 b) {
  __int128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// `unscaled` with its last `drop` digits rounded away, half towards +infinity, or cut
// off (towards zero) when `truncate`.
__int128 roundAway(__int128 unscaled, int drop, bool truncate = false) {
  if (drop <= 0) return unscaled;
  if (drop > 38) return 0;  // |value| < 10^38 <= half of 10^drop
  const __int128 unit = pow10(drop);
  if (truncate) return unscaled / unit;
  const __int128 quotient = floorDiv(unscaled, unit);
  const __int128 remainder = unscaled - quotient * unit;
  return remainder >= unit - remainder ? quotient + 1 : quotient;
}

// A DECIMAL rounded (or truncated) to `places` fraction digits, keeping its scale.
Decimal roundDecimal(const Decimal& value, int places, bool truncate) {
  const int drop = value.scale - places;
  if (drop <= 0) return value;
  if (drop > 38) return Decimal{0, value.scale};
  return Decimal{roundAway(value.unscaled, drop, truncate) * pow10(drop), value.scale};
}

// Java's Math.round: floor(x + 0.5), without the error of adding 0.5 to large values;
// NaN is 0 and out-of-range values saturate.
int64_t javaRound(double value) {
  if (std::isnan(value)) return 0;
  double floor = std::floor(value);
  if (value - floor >= 0.5) floor += 1;
  if (floor >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (floor <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(floor);
}

// ksqlDB's ROUND(DOUBLE, places): BigDecimal.valueOf(x) (the shortest decimal text of x)
// rounded to `places`, read back as a double; TRUNC's when `truncate` (RoundingMode.DOWN).
double roundDouble(double value, int places, bool truncate) {
  char text[64];
  auto [end, ec] =
      std::to_chars(text, text + sizeof text, std::abs(value), std::chars_format::scientific);
  std::string digits;  // d.ddde±X -> "dddd"
  const char* p = text;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') digits += *p;
  }
  int exponent = 0;
  const char* exponent_text =
      p + 1 < end && p[1] == '+' ? p + 2 : p + 1;  // from_chars takes no '+'
  std::from_chars(exponent_text, end, exponent);
  const int kept = exponent + places + 1;  // digits at or above the 10^-places place
  if (kept >= static_cast<int>(digits.size())) return value;
  if (kept < 0) return 0.0;  // BigDecimal has no negative zero
  const char first_dropped = digits[kept];
  const bool rest_nonzero = digits.find_first_not_of('0', kept + 1) != std::string::npos;
  const bool round_up = truncate ? false
                        : value >= 0
                            ? first_dropped >= '5'
                            : (first_dropped > '5' || (first_dropped == '5' && rest_nonzero));
  std::string result = digits.substr(0, kept);
  if (round_up) {
    int i = static_cast<int>(result.size()) - 1;
    for (; i >= 0 && result[i] == '9'; --i) result[i] = '0';
    if (i < 0)
      result.insert(result.begin(), '1');
    else
      ++result[i];
  }
  if (result.empty()) result = "0";
  result += "e" + std::to_string(-places);
  const double magnitude = std::strtod(result.c_str(), nullptr);
  return value < 0 && magnitude != 0 ? -magnitude : magnitude;
}

template <class T>
T absolute(T value) {
  // Two's-complement wrap for the minimum, as Java's Math.abs, without signed overflow.
  using U = std::make_unsigned_t<T>;
  return value < 0 ? static_cast<T>(U(0) - static_cast<U>(value)) : value;
}

// A unary function over the four numeric types; the DECIMAL variant keeps its type.
ScalarFunction numericUnary(std::string name, std::string display_name, std::string description,
                            ScalarInvoke on_int, ScalarInvoke on_bigint, ScalarInvoke on_double,
                            ScalarInvoke on_decimal) {
  ScalarVariant decimal;
  decimal.params = {anyDecimal("val")};
  decimal.return_text = "DECIMAL";
  decimal.bind = [on_decimal](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    SqlTypePtr type = types[0];
    return BoundScalarFunction{std::move(types), std::move(type), on_decimal};
  };
  return {std::move(name),
          std::move(display_name),
          "MATHEMATICAL",
          std::move(description),
          {fixedVariant({param("val", SqlType::integer())}, SqlType::integer(), std::move(on_int)),
           fixedVariant({param("val", SqlType::bigint())}, SqlType::bigint(), std::move(on_bigint)),
           fixedVariant({param("val", SqlType::doubleType())}, SqlType::doubleType(),
                        std::move(on_double)),
           std::move(decimal)}};
}

template <class T, class F>
ScalarInvoke unary(F f) {
  return [f](std::span<const Value> args) -> Value {
    if (args[0].isNull()) return Value::null();
    return f(args[0].as<T>());
  };
}

Value identity(std::span<const Value> args) { return args[0]; }

// FLOOR and CEIL of a DECIMAL: whole numbers, at the input's scale.
Decimal integralDecimal(const Decimal& value, bool ceiling) {
  const __int128 unit = pow10(value.scale);
  __int128 whole = floorDiv(value.unscaled, unit);
  if (ceiling && whole * unit != value.unscaled) ++whole;
  return Decimal{whole * unit, value.scale};
}

ScalarVariant decimalRound(bool with_places, bool truncate) {
  ScalarVariant variant;
  variant.params = {anyDecimal("val")};
  if (with_places) variant.params.push_back(param("decimalPlaces", SqlType::integer()));
  variant.return_text = "DECIMAL";
  variant.bind = [with_places, truncate](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    const SqlType& input = *types[0];
    // Rounding can carry into a new integer digit (9.5 -> 10); truncating cannot.
    const int carry = truncate ? 0 : 1;
    SqlTypePtr result =
        with_places ? SqlType::decimal(std::min(38, input.precision + carry), input.scale)
                    : SqlType::decimal(std::clamp(input.precision - input.scale + carry, 1, 38), 0);
    ScalarInvoke invoke = [with_places, truncate](std::span<const Value> args) -> Value {
      if (anyNull(args)) return Value::null();
      const Decimal& value = args[0].as<Decimal>();
      if (with_places) return roundDecimal(value, args[1].asInt(), truncate);
      return Decimal{roundAway(value.unscaled, value.scale, truncate), 0};
    };
    return BoundScalarFunction{std::move(types), std::move(result), std::move(invoke)};
  };
  return variant;
}

// Math.toRadians as ksqlDB's results show it (Java 8's: divide, then multiply by pi).
double toRadians(double degrees) { return degrees / 180.0 * M_PI; }

// ksqlDB's GEO_DISTANCE: the haversine great-circle distance on a sphere of radius 6371 km
// (3959 miles); coordinates out of range or unknown units are errors.
Value geoDistance(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const double lat1 = args[0].asDouble(), lon1 = args[1].asDouble();
  const double lat2 = args[2].asDouble(), lon2 = args[3].asDouble();
  if (std::abs(lat1) > 90 || std::abs(lat2) > 90 || std::abs(lon1) > 180 || std::abs(lon2) > 180)
    throw std::invalid_argument("valid latitude values for GeoDistance function are in the range of -90 to 90");
  double radius = 6371;
  if (args.size() > 4) {
    std::string units = args[4].asString();
    for (char& c : units) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (units == "mi" || units == "miles")
      radius = 3959;
    else if (units != "km" && units != "kilometers")
      throw std::invalid_argument("GeoDistance function units parameter must be one of [KM, KILOMETERS, MI, MILES]");
  }
  auto haversin = [](double radians) { return std::pow(std::sin(radians / 2), 2); };
  const double a = haversin(toRadians(lat2 - lat1)) +
                   haversin(toRadians(lon2 - lon1)) * std::cos(toRadians(lat1)) * std::cos(toRadians(lat2));
  return 2 * std::asin(std::sqrt(a)) * radius;
}

}  // namespace

void registerMathFunctions(Catalog& catalog) {
  catalog.addScalar(numericUnary(
      "ABS", "abs", "Returns the absolute value of its argument.",
      unary<int32_t>(absolute<int32_t>), unary<int64_t>(absolute<int64_t>),
      unary<double>([](double v) { return std::fabs(v); }), unary<Decimal>([](const Decimal& v) {
        return Decimal{v.unscaled < 0 ? -v.unscaled : v.unscaled, v.scale};
      })));
  catalog.addScalar(numericUnary(
      "CEIL", "ceil",
      "Returns the smallest integer value that is greater than or equal to its argument.", identity,
      identity, unary<double>([](double v) { return std::ceil(v); }),
      unary<Decimal>([](const Decimal& v) { return integralDecimal(v, true); })));
  catalog.addScalar(
      numericUnary("FLOOR", "floor",
                   "Returns the largest integer value that is less than or equal to its argument.",
                   identity, identity, unary<double>([](double v) { return std::floor(v); }),
                   unary<Decimal>([](const Decimal& v) { return integralDecimal(v, false); })));

  const SqlTypePtr integer = SqlType::integer();
  const SqlTypePtr bigint = SqlType::bigint();
  const SqlTypePtr dbl = SqlType::doubleType();
  catalog.addScalar(
      ScalarFunction{"ROUND",
                     "round",
                     "MATHEMATICAL",
                     "Round a value to the number of decimal places given (0 when omitted), half "
                     "towards positive infinity.",
                     {fixedVariant({param("val", integer)}, integer, identity),
                      fixedVariant({param("val", bigint)}, bigint, identity),
                      fixedVariant({param("val", dbl)}, bigint,
                                   unary<double>([](double v) { return javaRound(v); })),
                      fixedVariant({param("val", dbl), param("decimalPlaces", integer)}, dbl,
                                   [](std::span<const Value> args) -> Value {
                                     if (anyNull(args)) return Value::null();
                                     const double value = args[0].asDouble();
                                     // BigDecimal has no NaN or infinity: ksqlDB fails, which is
                                     // NULL here.
                                     if (!std::isfinite(value)) return Value::null();
                                     return roundDouble(value, args[1].asInt(), false);
                                   }),
                      decimalRound(false, false), decimalRound(true, false)}});
  catalog.addScalar(ScalarFunction{
      "TRUNC",
      "trunc",
      "MATHEMATICAL",
      "Truncates a value to the number of decimal places given (0 when omitted), towards zero.",
      {fixedVariant({param("val", integer)}, integer, identity),
       fixedVariant({param("val", bigint)}, bigint, identity),
       fixedVariant({param("val", dbl)}, bigint, unary<double>([](double v) -> Value {
                      // Java's (long) cast: NaN is 0, out-of-range values saturate.
                      if (std::isnan(v)) return int64_t{0};
                      if (v >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
                      if (v <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
                      return static_cast<int64_t>(std::trunc(v));
                    })),
       fixedVariant({param("val", dbl), param("decimalPlaces", integer)}, dbl,
                    [](std::span<const Value> args) -> Value {
                      if (anyNull(args)) return Value::null();
                      const double value = args[0].asDouble();
                      if (!std::isfinite(value)) return Value::null();  // as ROUND's
                      return roundDouble(value, args[1].asInt(), true);
                    }),
       decimalRound(false, true), decimalRound(true, true)}});

  auto sign = [](auto v) -> Value { return static_cast<int32_t>((v > 0) - (v < 0)); };
  catalog.addScalar(ScalarFunction{
      "SIGN",
      "sign",
      "MATHEMATICAL",
      "Returns the sign of its argument: -1, 0 or 1 (0 for NaN).",
      {fixedVariant({param("val", integer)}, integer, unary<int32_t>(sign)),
       fixedVariant({param("val", bigint)}, integer, unary<int64_t>(sign)),
       fixedVariant({param("val", dbl)}, integer, unary<double>(sign)),
       fixedVariant({anyDecimal("val")}, integer, unary<Decimal>([](const Decimal& v) -> Value {
                      return static_cast<int32_t>((v.unscaled > 0) - (v.unscaled < 0));
                    }))}});

  // java.lang.Math over DOUBLE; INT, BIGINT and DECIMAL arguments widen to DOUBLE.
  auto doubleFunction = [&](std::string name, std::string description, double (*f)(double)) {
    std::string display = name;
    for (char& c : display) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    catalog.addScalar(ScalarFunction{std::move(name), std::move(display), "MATHEMATICAL",
                                     std::move(description),
                                     {fixedVariant({param("value", dbl)}, dbl, unary<double>(f))}});
  };
  doubleFunction("LN", "Returns the natural logarithm of its argument.", [](double v) { return std::log(v); });
  doubleFunction("EXP", "Returns e raised to the power of its argument.", [](double v) { return std::exp(v); });
  doubleFunction("SQRT", "Returns the square root of its argument.", [](double v) { return std::sqrt(v); });
  doubleFunction("CBRT", "Returns the cube root of its argument.", [](double v) { return std::cbrt(v); });
  doubleFunction("SIN", "Returns the sine of its argument, in radians.", [](double v) { return std::sin(v); });
  doubleFunction("COS", "Returns the cosine of its argument, in radians.", [](double v) { return std::cos(v); });
  doubleFunction("TAN", "Returns the tangent of its argument, in radians.", [](double v) { return std::tan(v); });
  doubleFunction("COT", "Returns the cotangent of its argument, in radians.",
                 [](double v) { return 1.0 / std::tan(v); });
  doubleFunction("SINH", "Returns the hyperbolic sine of its argument.", [](double v) { return std::sinh(v); });
  doubleFunction("COSH", "Returns the hyperbolic cosine of its argument.", [](double v) { return std::cosh(v); });
  doubleFunction("TANH", "Returns the hyperbolic tangent of its argument.", [](double v) { return std::tanh(v); });
  doubleFunction("ASIN", "Returns the inverse (arc) sine of its argument, in radians; NaN outside [-1, 1].",
                 [](double v) { return std::asin(v); });
  doubleFunction("ACOS", "Returns the inverse (arc) cosine of its argument, in radians; NaN outside [-1, 1].",
                 [](double v) { return std::acos(v); });
  doubleFunction("ATAN", "Returns the inverse (arc) tangent of its argument, in radians.",
                 [](double v) { return std::atan(v); });
  doubleFunction("DEGREES", "Converts radians to degrees.", [](double v) { return v * (180.0 / M_PI); });
  doubleFunction("RADIANS", "Converts degrees to radians.", [](double v) { return toRadians(v); });

  auto binaryDouble = [](double (*f)(double, double)) {
    return [f](std::span<const Value> args) -> Value {
      if (anyNull(args)) return Value::null();
      return f(args[0].asDouble(), args[1].asDouble());
    };
  };
  catalog.addScalar(ScalarFunction{
      "ATAN2",
      "atan2",
      "MATHEMATICAL",
      "Returns the inverse (arc) tangent of y / x, in radians.",
      {fixedVariant({param("y", dbl), param("x", dbl)}, dbl,
                    binaryDouble([](double y, double x) { return std::atan2(y, x); }))}});
  catalog.addScalar(ScalarFunction{
      "POWER",
      "power",
      "MATHEMATICAL",
      "Returns the base raised to the power of the exponent.",
      {fixedVariant({param("base", dbl), param("exponent", dbl)}, dbl,
                    binaryDouble([](double b, double e) { return std::pow(b, e); }))}});
  catalog.addScalar(ScalarFunction{
      "LOG",
      "log",
      "MATHEMATICAL",
      "Returns the natural logarithm of a value, or its logarithm in the given base; NaN for a "
      "base that is not positive or is 1.",
      {fixedVariant({param("value", dbl)}, dbl, unary<double>([](double v) { return std::log(v); })),
       fixedVariant({param("base", dbl), param("value", dbl)}, dbl,
                    binaryDouble([](double base, double value) {
                      if (base <= 0 || base == 1) return std::numeric_limits<double>::quiet_NaN();
                      return std::log(value) / std::log(base);
                    }))}});
  std::vector<Param> coordinates = {param("lat1", dbl), param("lon1", dbl), param("lat2", dbl),
                                    param("lon2", dbl)};
  std::vector<Param> with_units = coordinates;
  with_units.push_back(param("units", SqlType::string()));
  catalog.addScalar(ScalarFunction{
      "GEO_DISTANCE",
      "geo_distance",
      "MATHEMATICAL",
      "Computes the great-circle distance between two lat-long points, in KM (default) or MILES.",
      {fixedVariant(std::move(coordinates), dbl, geoDistance),
       fixedVariant(std::move(with_units), dbl, geoDistance)}});
  catalog.addScalar(ScalarFunction{"PI",
                                   "pi",
                                   "MATHEMATICAL",
                                   "Returns an approximate value of pi.",
                                   {fixedVariant({}, dbl, [](std::span<const Value>) -> Value { return M_PI; })}});
  catalog.addScalar(ScalarFunction{"RANDOM",
                                   "random",
                                   "MATHEMATICAL",
                                   "Returns a random DOUBLE value between 0.0 and 1.0.",
                                   {fixedVariant({}, dbl, [](std::span<const Value>) -> Value {
                                     thread_local std::mt19937_64 engine{std::random_device{}()};
                                     return Value(std::uniform_real_distribution<double>(0.0, 1.0)(engine));
                                   })}});
}

}  // namespace runnel::sql::functions
