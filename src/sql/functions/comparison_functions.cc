#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sql/expression/decimal.h"
#include "sql/functions/catalog.h"
#include "sql/functions/signature.h"
#include "sql/functions/value_order.h"

// GREATEST and LEAST. ksqlDB declares one variadic overload per type (INT, BIGINT, DOUBLE,
// DECIMAL, STRING, BYTES, DATE, TIME, TIMESTAMP); its resolution over them is reproduced
// here: one type for all arguments, a string literal read as a DATE, TIME or TIMESTAMP,
// mixed numeric types only when a DOUBLE is among them or all are DECIMALs (else several
// overloads fit and the call is ambiguous). NULL arguments are skipped; all NULL gives NULL.
namespace runnel::sql::functions {
namespace {

bool isTemporal(TypeKind kind) {
  return kind == TypeKind::kDate || kind == TypeKind::kTime || kind == TypeKind::kTimestamp;
}

bool isComparable(const SqlType& type) {
  return type.isNumeric() || isTemporal(type.kind) || type.kind == TypeKind::kString ||
         type.kind == TypeKind::kBytes;
}

Result<SqlTypePtr> commonType(const std::string& display_name, std::span<const SqlTypePtr> types) {
  auto rejected = [&] {
    return Status::invalidArgument(fmt::format(
        "Function '{}' does not accept parameters {}.\nValid alternatives are:\n{}(T val, T[] vals)",
        display_name, argumentTypesText(types), display_name));
  };
  SqlTypePtr other;  // the first argument type that is not STRING
  bool has_string = false;
  bool mixed_numeric = false;
  bool has_double = false;
  bool all_decimal = true;
  int scale = 0, digits = 0;  // of a DECIMAL wide enough for every DECIMAL argument
  for (const SqlTypePtr& type : types) {
    if (!type) continue;
    if (!isComparable(*type)) return rejected();
    has_double |= type->kind == TypeKind::kDouble;
    if (type->kind == TypeKind::kDecimal) {
      scale = std::max(scale, type->scale);
      digits = std::max(digits, type->precision - type->scale);
    } else if (type->kind != TypeKind::kString) {
      all_decimal = false;
    }
    if (type->kind == TypeKind::kString) {
      has_string = true;
    } else if (!other) {
      other = type;
    } else if (!sameType(other, type)) {
      if (!other->isNumeric() || !type->isNumeric()) return rejected();
      mixed_numeric = true;
    }
  }
  if (!other) return has_string ? SqlType::string() : SqlType::integer();  // all NULL: ksqlDB's first overload
  if (has_string && !isTemporal(other->kind)) return rejected();
  if (!mixed_numeric) return other;
  if (has_double) return SqlType::doubleType();
  if (all_decimal) return SqlType::decimal(std::min(38, digits + scale), scale);
  return Status::invalidArgument(
      fmt::format("Function '{}' cannot be resolved due to ambiguous method parameters {}.",
                  display_name, argumentTypesText(types)));
}

ScalarFunction extremum(std::string name, std::string display_name, std::string description,
                        bool greatest) {
  ScalarVariant variant;
  variant.params = {resolvedByBind("val"), resolvedByBind("vals")};
  variant.variadic = true;
  variant.return_text = "T";
  variant.bind = [display_name, greatest](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    RUNNEL_ASSIGN_OR_RETURN(SqlTypePtr type, commonType(display_name, types));
    ScalarInvoke invoke = [greatest](std::span<const Value> args) -> Value {
      const Value* best = nullptr;
      for (const Value& arg : args) {
        if (arg.isNull()) continue;
        if (!best || (greatest ? javaLess(*best, arg) : javaLess(arg, *best))) best = &arg;
      }
      return best ? *best : Value::null();
    };
    return BoundScalarFunction{std::vector<SqlTypePtr>(types.size(), type), type, std::move(invoke)};
  };
  return {std::move(name), std::move(display_name), "MATHEMATICAL", std::move(description),
          {std::move(variant)}};
}

}  // namespace

bool javaLess(const Value& a, const Value& b) {
  if (a.is<double>()) {
    const double x = a.asDouble(), y = b.asDouble();
    if (std::isnan(x)) return false;
    return std::isnan(y) || x < y;
  }
  if (a.is<Decimal>()) return expression::compareDecimals(a.as<Decimal>(), b.as<Decimal>()) < 0;
  if (a.is<Bytes>()) {
    const std::string& x = a.as<Bytes>().data;
    const std::string& y = b.as<Bytes>().data;
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), [](char p, char q) {
      return static_cast<signed char>(p) < static_cast<signed char>(q);
    });
  }
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) return !x && b.asBool();
        else if constexpr (std::is_same_v<T, Date>) return x.days < b.as<Date>().days;
        else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, Timestamp>)
          return x.millis < b.as<T>().millis;
        else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                           std::is_same_v<T, std::string>)
          return x < b.as<T>();
        else
          return false;
      },
      a.storage());
}

void registerComparisonFunctions(Catalog& catalog) {
  catalog.addScalar(extremum("GREATEST", "greatest",
                             "Returns the highest non-null value among a variable number of "
                             "comparable columns; NULL when all are NULL.",
                             true));
  catalog.addScalar(extremum("LEAST", "least",
                             "Returns the lowest non-null value among a variable number of "
                             "comparable columns; NULL when all are NULL.",
                             false));
}

}  // namespace runnel::sql::functions
