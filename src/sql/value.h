#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace runnel::sql {

class Value;

// DECIMAL: an unscaled integer and a scale (value = unscaled * 10^-scale); the precision
// lives in the column's type. 38 digits fit in 128 bits, as ksqlDB's maximum precision.
struct Decimal {
  __int128 unscaled = 0;
  int32_t scale = 0;
  bool operator==(const Decimal&) const = default;
};
// DATE: days since 1970-01-01. TIME: milliseconds since midnight. TIMESTAMP: milliseconds
// since the epoch, UTC. Distinct types so that the variant tells them apart.
struct Date {
  int32_t days = 0;
  bool operator==(const Date&) const = default;
};
struct Time {
  int64_t millis = 0;
  bool operator==(const Time&) const = default;
};
struct Timestamp {
  int64_t millis = 0;
  bool operator==(const Timestamp&) const = default;
};
// BYTES, kept apart from STRING.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};
// Composite values are shared, immutable once built: copying a row copies pointers.
struct ArrayValue {
  std::vector<Value> items;
};
struct MapValue {
  std::vector<std::pair<Value, Value>> entries;  // insertion order; keys unique
};
// Field values in the order of the STRUCT type's fields.
struct StructValue {
  std::vector<Value> fields;
};
using ArrayPtr = std::shared_ptr<const ArrayValue>;
using MapPtr = std::shared_ptr<const MapValue>;
using StructPtr = std::shared_ptr<const StructValue>;

// One SQL value of any type, or NULL. What a value means (INT vs BIGINT, which DECIMAL)
// comes from the schema of the column or expression that holds it.
class Value {
 public:
  using Storage = std::variant<std::monostate, bool, int32_t, int64_t, double, Decimal, std::string, Bytes, Date, Time,
                               Timestamp, ArrayPtr, MapPtr, StructPtr>;

  Value() = default;
  template <class T, class = std::enable_if_t<std::is_constructible_v<Storage, T&&> &&
                                              !std::is_same_v<std::decay_t<T>, Value>>>
  Value(T&& v) : storage_(std::forward<T>(v)) {}  // NOLINT: implicit, as a variant's
  Value(const char* s) : storage_(std::string(s)) {}

  static Value null() { return {}; }
  static Value array(std::vector<Value> items) {
    return Value(ArrayPtr(std::make_shared<ArrayValue>(ArrayValue{std::move(items)})));
  }
  static Value map(std::vector<std::pair<Value, Value>> entries) {
    return Value(MapPtr(std::make_shared<MapValue>(MapValue{std::move(entries)})));
  }
  static Value structOf(std::vector<Value> fields) {
    return Value(StructPtr(std::make_shared<StructValue>(StructValue{std::move(fields)})));
  }

  bool isNull() const { return std::holds_alternative<std::monostate>(storage_); }
  template <class T>
  bool is() const {
    return std::holds_alternative<T>(storage_);
  }
  template <class T>
  const T& as() const {
    return std::get<T>(storage_);
  }
  template <class T>
  T& as() {
    return std::get<T>(storage_);
  }
  bool asBool() const { return as<bool>(); }
  int32_t asInt() const { return as<int32_t>(); }
  int64_t asBigint() const { return as<int64_t>(); }
  double asDouble() const { return as<double>(); }
  const std::string& asString() const { return as<std::string>(); }
  const ArrayValue& asArray() const { return *as<ArrayPtr>(); }
  const MapValue& asMap() const { return *as<MapPtr>(); }
  const StructValue& asStruct() const { return *as<StructPtr>(); }

  const Storage& storage() const { return storage_; }
  Storage& storage() { return storage_; }

  // Deep equality (arrays, maps and structs by content); NULL == NULL here, which is
  // what grouping and test comparison need (SQL's `=` is the expression layer's).
  friend bool operator==(const Value& a, const Value& b);

 private:
  Storage storage_;
};

// A row's columns by position, as the source's or query's schema orders them: the value
// columns of a record value, or the key columns of a record key.
struct GenericRow {
  std::vector<Value> values;
  bool operator==(const GenericRow&) const = default;
};
struct GenericKey {
  std::vector<Value> values;
  bool operator==(const GenericKey&) const = default;
};

}  // namespace runnel::sql
