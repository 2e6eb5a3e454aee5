#include "sql/functions/aggregate_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace runnel::sql::functions {
namespace {

template <class T>
int threeWay(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compareDoubles(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) - std::isnan(b);
  return threeWay(a, b);
}

int compareDecimals(const Decimal& a, const Decimal& b) {
  __int128 x = a.unscaled;
  __int128 y = b.unscaled;
  for (int s = a.scale; s < b.scale; ++s) x *= 10;
  for (int s = b.scale; s < a.scale; ++s) y *= 10;
  return threeWay(x, y);
}

}  // namespace

std::vector<Param> comparableParams(const std::string& name) {
  return {param(name, SqlType::integer()),    param(name, SqlType::bigint()),
          param(name, SqlType::doubleType()), anyDecimal(name),
          param(name, SqlType::string()),     param(name, SqlType::bytes()),
          param(name, SqlType::date()),       param(name, SqlType::time()),
          param(name, SqlType::timestamp())};
}

int compareValues(const Value& a, const Value& b) {
  return std::visit(
      [&](const auto& left) -> int {
        using T = std::decay_t<decltype(left)>;
        const T& right = b.as<T>();
        if constexpr (std::is_same_v<T, double>)
          return compareDoubles(left, right);
        else if constexpr (std::is_same_v<T, Decimal>)
          return compareDecimals(left, right);
        else if constexpr (std::is_same_v<T, Bytes>)
          return threeWay(left.data, right.data);
        else if constexpr (std::is_same_v<T, Date>)
          return threeWay(left.days, right.days);
        else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, Timestamp>)
          return threeWay(left.millis, right.millis);
        else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int32_t> ||
                           std::is_same_v<T, int64_t> || std::is_same_v<T, std::string>) {
          return threeWay(left, right);
        } else {
          return 0;  // NULL and composites are never ordered
        }
      },
      a.storage());
}

bool equalValues(const Value& a, const Value& b) {
  if (a.storage().index() != b.storage().index()) return false;
  auto equalItems = [](const std::vector<Value>& x, const std::vector<Value>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(), equalValues);
  };
  if (a.is<ArrayPtr>()) return equalItems(a.asArray().items, b.asArray().items);
  if (a.is<StructPtr>()) return equalItems(a.asStruct().fields, b.asStruct().fields);
  if (a.is<MapPtr>()) {
    const auto& x = a.asMap().entries;
    const auto& y = b.asMap().entries;
    if (x.size() != y.size()) return false;
    return std::all_of(x.begin(), x.end(), [&](const auto& entry) {
      return std::any_of(y.begin(), y.end(), [&](const auto& other) {
        return equalValues(entry.first, other.first) && equalValues(entry.second, other.second);
      });
    });
  }
  return a == b;
}

std::vector<Value>& mutableItems(Value& aggregate) {
  if (aggregate.is<ArrayPtr>()) {
    ArrayPtr& array = aggregate.as<ArrayPtr>();
    if (array.use_count() == 1) {
      // Sole owner of an array made mutable (make_shared<ArrayValue>): changing it is safe.
      return const_cast<ArrayValue&>(*array).items;
    }
    aggregate = Value::array(array->items);
  } else {
    aggregate = Value::array({});
  }
  return const_cast<ArrayValue&>(*aggregate.as<ArrayPtr>()).items;
}

std::vector<Value>& mutableFields(Value& aggregate, size_t size) {
  if (aggregate.is<StructPtr>()) {
    StructPtr& fields = aggregate.as<StructPtr>();
    if (fields.use_count() == 1) return const_cast<StructValue&>(*fields).fields;
    aggregate = Value::structOf(fields->fields);
  } else {
    aggregate = Value::structOf(std::vector<Value>(size));
  }
  return const_cast<StructValue&>(*aggregate.as<StructPtr>()).fields;
}

Result<int> positiveLiteral(const std::string& function, const Value& literal) {
  const int64_t value = literal.is<int32_t>() ? literal.asInt() : literal.asBigint();
  if (value < 1) {
    return Status::invalidArgument(fmt::format(
        "{}: the number of values must be a positive integer, got {}", function, value));
  }
  return static_cast<int>(value);
}

}  // namespace runnel::sql::functions
