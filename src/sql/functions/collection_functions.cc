#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "sql/functions/catalog.h"
#include "sql/functions/signature.h"
#include "sql/functions/value_order.h"

// ARRAY_LENGTH, ARRAY_MAX, ARRAY_MIN, ARRAY_SORT, ARRAY_DISTINCT, ARRAY_CONTAINS,
// ARRAY_REMOVE, ARRAY_CONCAT, ARRAY_UNION, ARRAY_INTERSECT, ARRAY_EXCEPT, MAP_KEYS,
// MAP_VALUES, MAP_UNION, AS_MAP, GENERATE_SERIES: generic over the element types, which each variant's bind checks
// (an ARRAY where one is declared, a comparable element where one is compared).
namespace runnel::sql::functions {
namespace {

// The return type for the argument types, or nullptr when they do not fit.
using Resolver = std::function<SqlTypePtr(const std::vector<SqlTypePtr>& types)>;

bool isArray(const SqlTypePtr& type) { return type && type->kind == TypeKind::kArray; }
bool isMap(const SqlTypePtr& type) { return type && type->kind == TypeKind::kMap; }

// ARRAY<T> parameters for display; the bind sees the argument types as they are.
ScalarVariant collectionVariant(const std::string& display_name, std::vector<Param> params,
                                std::string return_text, Resolver resolve, ScalarInvoke invoke,
                                std::vector<SqlTypePtr> (*param_types)(std::vector<SqlTypePtr>) = nullptr) {
  ScalarVariant variant;
  variant.params = std::move(params);
  variant.return_text = std::move(return_text);
  variant.bind = [display_name, resolve = std::move(resolve), invoke = std::move(invoke),
                  param_types](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    SqlTypePtr result = resolve(types);
    if (!result) {
      return Status::invalidArgument(fmt::format("Function '{}' does not accept parameters {}.",
                                                 display_name, argumentTypesText(types)));
    }
    if (param_types) types = param_types(std::move(types));
    return BoundScalarFunction{std::move(types), std::move(result), invoke};
  };
  return variant;
}

bool comparableElement(const SqlTypePtr& array) {
  return isArray(array) && array->element->isPrimitive();
}

// ARRAY_MAX and ARRAY_MIN: NULL elements are skipped; an empty array gives NULL.
ScalarInvoke extremeElement(bool greatest) {
  return [greatest](std::span<const Value> args) -> Value {
    if (args[0].isNull()) return Value::null();
    const Value* best = nullptr;
    for (const Value& item : args[0].asArray().items) {
      if (item.isNull()) continue;
      if (!best || (greatest ? javaLess(*best, item) : javaLess(item, *best))) best = &item;
    }
    return best ? *best : Value::null();
  };
}

// ARRAY_SORT: ascending unless 'DESC' (any case); NULL elements last either way; NULL for
// any other direction.
Value sortArray(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  bool descending = false;
  if (args.size() > 1) {
    std::string direction = args[1].asString();
    for (char& c : direction) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (direction != "ASC" && direction != "DESC") return Value::null();
    descending = direction == "DESC";
  }
  std::vector<Value> items = args[0].asArray().items;
  std::stable_sort(items.begin(), items.end(), [descending](const Value& a, const Value& b) {
    if (a.isNull() || b.isNull()) return !a.isNull() && b.isNull();
    return descending ? javaLess(b, a) : javaLess(a, b);
  });
  return Value::array(std::move(items));
}

// ARRAY_DISTINCT keeps the first of equal elements, in order.
Value distinct(std::span<const Value> args) {
  if (args[0].isNull()) return Value::null();
  std::vector<Value> items;
  for (const Value& item : args[0].asArray().items) {
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
  }
  return Value::array(std::move(items));
}

bool contains(const std::vector<Value>& items, const Value& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// ARRAY_UNION, ARRAY_INTERSECT, ARRAY_EXCEPT: distinct elements in first-seen order; NULL
// when either array is.
enum class SetOperation : unsigned char { kUnion, kIntersect, kExcept };

ScalarInvoke setOperation(SetOperation operation) {
  return [operation](std::span<const Value> args) -> Value {
    if (anyNull(args)) return Value::null();
    const auto& left = args[0].asArray().items;
    const auto& right = args[1].asArray().items;
    std::vector<Value> out;
    auto add = [&](const Value& item) {
      if (!contains(out, item)) out.push_back(item);
    };
    for (const Value& item : left) {
      if (operation == SetOperation::kUnion || (operation == SetOperation::kIntersect) == contains(right, item))
        add(item);
    }
    if (operation == SetOperation::kUnion) {
      for (const Value& item : right) add(item);
    }
    return Value::array(std::move(out));
  };
}

// ARRAY_CONCAT keeps duplicates; a NULL array counts as empty unless both are NULL.
Value concatArrays(std::span<const Value> args) {
  if (args[0].isNull()) return args[1];
  if (args[1].isNull()) return args[0];
  std::vector<Value> items = args[0].asArray().items;
  const auto& right = args[1].asArray().items;
  items.insert(items.end(), right.begin(), right.end());
  return Value::array(std::move(items));
}

// The ARRAY type two arguments share (a NULL literal arrives typed STRING).
SqlTypePtr sharedArray(const std::vector<SqlTypePtr>& types) {
  if (isArray(types[0]) && (sameType(types[0], types[1]) || types[1]->kind == TypeKind::kString))
    return types[0];
  if (isArray(types[1]) && types[0]->kind == TypeKind::kString) return types[1];
  return nullptr;
}

std::vector<SqlTypePtr> bothShared(std::vector<SqlTypePtr> types) {
  SqlTypePtr array = sharedArray(types);
  return {array, array};
}

// GENERATE_SERIES: start to end inclusive, by `step` (1 or -1 towards end when omitted);
// a step of 0 or pointing away from end is an error.
template <class T>
Value series(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const T start = args[0].as<T>();
  const T end = args[1].as<T>();
  const T step = args.size() > 2 ? args[2].as<T>() : (end >= start ? T{1} : T{-1});
  if (step == 0) throw std::invalid_argument("GENERATE_SERIES step cannot be zero");
  if ((end - start > 0 && step < 0) || (end - start < 0 && step > 0))
    throw std::invalid_argument("GENERATE_SERIES step has wrong sign");
  std::vector<Value> items;
  for (__int128 v = start; step > 0 ? v <= end : v >= end; v += step) items.emplace_back(static_cast<T>(v));
  return Value::array(std::move(items));
}

// MAP_UNION: the second map's entries win; a NULL map counts as empty unless both are.
Value unionMaps(std::span<const Value> args) {
  if (args[0].isNull()) return args[1];
  if (args[1].isNull()) return args[0];
  std::vector<std::pair<Value, Value>> entries = args[0].asMap().entries;
  for (const auto& [key, value] : args[1].asMap().entries) {
    auto existing = std::find_if(entries.begin(), entries.end(),
                                 [&](const auto& entry) { return entry.first == key; });
    if (existing != entries.end())
      existing->second = value;
    else
      entries.emplace_back(key, value);
  }
  return Value::map(std::move(entries));
}

// AS_MAP pairs keys with values by position; a key without a value maps to NULL.
Value asMap(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const auto& keys = args[0].asArray().items;
  const auto& values = args[1].asArray().items;
  std::vector<std::pair<Value, Value>> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    Value value = i < values.size() ? values[i] : Value::null();
    auto existing = std::find_if(entries.begin(), entries.end(),
                                 [&](const auto& entry) { return entry.first == keys[i]; });
    if (existing != entries.end())
      existing->second = std::move(value);
    else
      entries.emplace_back(keys[i], std::move(value));
  }
  return Value::map(std::move(entries));
}

ScalarInvoke mapPart(bool keys) {
  return [keys](std::span<const Value> args) -> Value {
    if (args[0].isNull()) return Value::null();
    std::vector<Value> items;
    for (const auto& [key, value] : args[0].asMap().entries) items.push_back(keys ? key : value);
    return Value::array(std::move(items));
  };
}

ScalarFunction collectionFunction(std::string name, std::string display_name, std::string description,
                                  std::vector<ScalarVariant> variants) {
  return {std::move(name), std::move(display_name), "ARRAY", std::move(description),
          std::move(variants)};
}

}  // namespace

void registerCollectionFunctions(Catalog& catalog) {
  const SqlTypePtr str = SqlType::string();
  auto element = [](const std::vector<SqlTypePtr>& types) -> SqlTypePtr {
    return comparableElement(types[0]) ? types[0]->element : nullptr;
  };
  auto same_array = [](const std::vector<SqlTypePtr>& types) -> SqlTypePtr {
    return isArray(types[0]) ? types[0] : nullptr;
  };
  auto sortable = [](const std::vector<SqlTypePtr>& types) -> SqlTypePtr {
    return comparableElement(types[0]) && (types.size() < 2 || types[1]->kind == TypeKind::kString)
               ? types[0]
               : nullptr;
  };

  catalog.addScalar(collectionFunction(
      "ARRAY_LENGTH", "array_length", "Returns the number of elements in an array.",
      {collectionVariant("array_length", {anyType("input")}, "INT",
                         [](const auto& types) { return isArray(types[0]) ? SqlType::integer() : nullptr; },
                         [](std::span<const Value> args) -> Value {
                           if (args[0].isNull()) return Value::null();
                           return static_cast<int32_t>(args[0].asArray().items.size());
                         })}));
  catalog.addScalar(collectionFunction(
      "ARRAY_MAX", "array_max", "Returns the maximum value from within a given array of primitive elements.",
      {collectionVariant("array_max", {anyType("list")}, "T", element, extremeElement(true))}));
  catalog.addScalar(collectionFunction(
      "ARRAY_MIN", "array_min", "Returns the minimum value from within a given array of primitive elements.",
      {collectionVariant("array_min", {anyType("list")}, "T", element, extremeElement(false))}));
  catalog.addScalar(collectionFunction(
      "ARRAY_SORT", "array_sort",
      "Sorts an array of primitive elements, ascending or by the direction 'ASC' or 'DESC'; NULLs last.",
      {collectionVariant("array_sort", {anyType("list")}, "ARRAY<T>", sortable, sortArray),
       collectionVariant("array_sort", {anyType("list"), param("direction", str)}, "ARRAY<T>", sortable,
                         sortArray)}));
  catalog.addScalar(collectionFunction(
      "ARRAY_DISTINCT", "array_distinct", "Returns an array of the distinct values, in their first order.",
      {collectionVariant("array_distinct", {anyType("input")}, "ARRAY<T>", same_array, distinct)}));
  // An array and a value of its element type: the value is converted to the element
  // type, so that 1 finds 1 in an ARRAY<BIGINT>.
  auto element_fits = [](const std::vector<SqlTypePtr>& types) {
    if (!isArray(types[0])) return false;
    const SqlTypePtr& value = types[1];
    const SqlTypePtr& item = types[0]->element;
    return sameType(value, item) || (value->isNumeric() && item->isNumeric()) ||
           value->kind == TypeKind::kString;  // NULL or a literal to convert
  };
  auto value_as_element = [](std::vector<SqlTypePtr> types) {
    types[1] = types[0]->element;
    return types;
  };
  catalog.addScalar(collectionFunction(
      "ARRAY_CONTAINS", "array_contains", "Returns true if the array contains the value.",
      {collectionVariant(
          "array_contains", {anyType("array"), anyType("val")}, "BOOLEAN",
          [element_fits](const auto& types) { return element_fits(types) ? SqlType::boolean() : nullptr; },
          [](std::span<const Value> args) -> Value {
            if (args[0].isNull()) return false;
            return contains(args[0].asArray().items, args[1]);
          },
          value_as_element)}));
  catalog.addScalar(collectionFunction(
      "ARRAY_REMOVE", "array_remove", "Removes every element equal to the value (NULL removes NULLs).",
      {collectionVariant(
          "array_remove", {anyType("array"), anyType("victim")}, "ARRAY<T>",
          [element_fits](const auto& types) { return element_fits(types) ? types[0] : nullptr; },
          [](std::span<const Value> args) -> Value {
            if (args[0].isNull()) return Value::null();
            std::vector<Value> items;
            for (const Value& item : args[0].asArray().items) {
              if (!(item == args[1])) items.push_back(item);
            }
            return Value::array(std::move(items));
          },
          value_as_element)}));
  const SqlTypePtr integer = SqlType::integer();
  const SqlTypePtr bigint = SqlType::bigint();
  catalog.addScalar(collectionFunction(
      "GENERATE_SERIES", "generate_series",
      "Constructs an array of values between start and end (inclusive), by step (1 or -1 when omitted).",
      {fixedVariant({param("start", integer), param("end", integer)}, SqlType::array(integer), series<int32_t>),
       fixedVariant({param("start", integer), param("end", integer), param("step", integer)},
                    SqlType::array(integer), series<int32_t>),
       fixedVariant({param("start", bigint), param("end", bigint)}, SqlType::array(bigint), series<int64_t>),
       fixedVariant({param("start", bigint), param("end", bigint), param("step", bigint)},
                    SqlType::array(bigint), series<int64_t>)}));
  catalog.addScalar(collectionFunction(
      "ARRAY_CONCAT", "array_concat", "Returns an array of all the elements of both arrays, duplicates kept.",
      {collectionVariant("array_concat", {anyType("left"), anyType("right")}, "ARRAY<T>", sharedArray,
                         concatArrays, bothShared)}));
  const std::pair<const char*, SetOperation> set_operations[] = {
      {"ARRAY_UNION", SetOperation::kUnion},
      {"ARRAY_INTERSECT", SetOperation::kIntersect},
      {"ARRAY_EXCEPT", SetOperation::kExcept}};
  const char* set_descriptions[] = {
      "Returns an array of the distinct elements of both arrays.",
      "Returns an array of the distinct elements of the first array that are in the second.",
      "Returns an array of the distinct elements of the first array that are not in the second."};
  for (size_t i = 0; i < 3; ++i) {
    std::string display = set_operations[i].first;
    for (char& c : display) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    catalog.addScalar(collectionFunction(
        set_operations[i].first, display, set_descriptions[i],
        {collectionVariant(display, {anyType("left"), anyType("right")}, "ARRAY<T>", sharedArray,
                           setOperation(set_operations[i].second), bothShared)}));
  }
  catalog.addScalar(collectionFunction(
      "MAP_KEYS", "map_keys", "Returns an array of the keys of a map.",
      {collectionVariant("map_keys", {anyType("input")}, "ARRAY<K>",
                         [](const auto& types) { return isMap(types[0]) ? SqlType::array(types[0]->key) : nullptr; },
                         mapPart(true))}));
  catalog.addScalar(collectionFunction(
      "MAP_VALUES", "map_values", "Returns an array of the values of a map.",
      {collectionVariant("map_values", {anyType("input")}, "ARRAY<V>",
                         [](const auto& types) {
                           return isMap(types[0]) ? SqlType::array(types[0]->element) : nullptr;
                         },
                         mapPart(false))}));
  catalog.addScalar(collectionFunction(
      "MAP_UNION", "map_union", "Returns a new map containing the union of all entries from both input maps.",
      {collectionVariant("map_union", {anyType("map1"), anyType("map2")}, "MAP<VARCHAR, V>",
                         [](const auto& types) -> SqlTypePtr {
                           return isMap(types[0]) && sameType(types[0], types[1]) ? types[0] : nullptr;
                         },
                         unionMaps)}));
  catalog.addScalar(collectionFunction(
      "AS_MAP", "as_map", "Constructs a map from a list of keys and a list of values.",
      {collectionVariant("as_map", {param("keys", SqlType::array(str)), anyType("values")}, "MAP<VARCHAR, T>",
                         [](const auto& types) {
                           return isArray(types[1]) ? SqlType::map(SqlType::string(), types[1]->element) : nullptr;
                         },
                         asMap)}));
}

}  // namespace runnel::sql::functions
