#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "sql/expression/decimal.h"
#include "sql/expression/node.h"
#include "sql/expression/temporal.h"

namespace runnel::sql {
namespace expression {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

template <class Int>
Value parseInteger(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  Int value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return Value(value);
}

Value parseDouble(std::string_view text) {
  std::string trimmed(trim(text));
  if (trimmed.empty()) return {};
  char* end = nullptr;
  double value = std::strtod(trimmed.c_str(), &end);
  if (end != trimmed.c_str() + trimmed.size()) return {};
  return Value(value);
}

// ksqlDB accepts any non-empty prefix of true/yes/false/no, in any case.
Value parseBoolean(std::string_view text) {
  std::string lower;
  for (char c : trim(text)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty()) return {};
  auto prefixOf = [&](std::string_view word) { return word.substr(0, lower.size()) == lower; };
  if (prefixOf("true") || prefixOf("yes")) return Value(true);
  if (prefixOf("false") || prefixOf("no")) return Value(false);
  return {};
}

// Java's (int) / (long) of a double: truncation, saturating, NaN to 0.
template <class Int>
Int javaNarrow(double value) {
  if (std::isnan(value)) return 0;
  if (value >= static_cast<double>(std::numeric_limits<Int>::max())) return std::numeric_limits<Int>::max();
  if (value <= static_cast<double>(std::numeric_limits<Int>::min())) return std::numeric_limits<Int>::min();
  return static_cast<Int>(value);
}

// BigDecimal.longValue(): truncated, then the low 64 bits.
int64_t decimalToLong(const Decimal& value) {
  __int128 truncated = value.scale > 0 ? value.unscaled / powerOfTen(std::min(value.scale, kMaxDecimalPrecision))
                                       : value.unscaled;
  return static_cast<int64_t>(truncated);
}

Value toDecimal(const Value& value, const SqlType& from, const SqlType& to) {
  std::optional<Decimal> decimal;
  switch (from.kind) {
    case TypeKind::kInt: decimal = Decimal{value.asInt(), 0}; break;
    case TypeKind::kBigint: decimal = Decimal{value.asBigint(), 0}; break;
    case TypeKind::kDouble: decimal = decimalFromDouble(value.asDouble()); break;
    case TypeKind::kDecimal: decimal = value.as<Decimal>(); break;
    case TypeKind::kString: decimal = parseDecimal(value.asString()); break;
    default: return {};
  }
  if (!decimal) return {};
  auto fitted = fitDecimal(*decimal, to.precision, to.scale);
  return fitted ? Value(*fitted) : Value();
}

double toDouble(const Value& value, TypeKind from) {
  switch (from) {
    case TypeKind::kInt: return value.asInt();
    case TypeKind::kBigint: return static_cast<double>(value.asBigint());
    case TypeKind::kDecimal: return decimalToDouble(value.as<Decimal>());
    default: return value.asDouble();
  }
}

int64_t toLong(const Value& value, TypeKind from) {
  switch (from) {
    case TypeKind::kInt: return value.asInt();
    case TypeKind::kBigint: return value.asBigint();
    case TypeKind::kDecimal: return decimalToLong(value.as<Decimal>());
    default: return javaNarrow<int64_t>(value.asDouble());
  }
}

// Java's toString of the value ksqlDB would hold: List, Map and Connect Struct layouts.
std::string javaString(const Value& value, const SqlType& type) {
  if (value.isNull()) return "null";
  switch (type.kind) {
    case TypeKind::kString: return value.asString();
    case TypeKind::kArray: {
      std::string out = "[";
      for (const Value& item : value.asArray().items) {
        if (out.size() > 1) out += ", ";
        out += javaString(item, *type.element);
      }
      return out + "]";
    }
    case TypeKind::kMap: {
      std::string out = "{";
      for (const auto& [key, item] : value.asMap().entries) {
        if (out.size() > 1) out += ", ";
        out += javaString(key, *type.key) + "=" + javaString(item, *type.element);
      }
      return out + "}";
    }
    case TypeKind::kStruct: {
      std::string out = "Struct{";
      const auto& fields = value.asStruct().fields;
      bool first = true;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].isNull()) continue;  // Connect's Struct.toString skips unset fields
        out += (first ? "" : ",") + type.fields[i].name + "=" + javaString(fields[i], *type.fields[i].type);
        first = false;
      }
      return out + "}";
    }
    default: return castValue(value, type, *SqlType::string()).asString();
  }
}

Value toString(const Value& value, const SqlType& from) {
  switch (from.kind) {
    case TypeKind::kBoolean: return Value(std::string(value.asBool() ? "true" : "false"));
    case TypeKind::kInt: return Value(std::to_string(value.asInt()));
    case TypeKind::kBigint: return Value(std::to_string(value.asBigint()));
    case TypeKind::kDouble: return Value(javaDoubleString(value.asDouble()));
    case TypeKind::kDecimal: return Value(decimalToString(value.as<Decimal>()));
    case TypeKind::kString: return value;
    case TypeKind::kDate: return Value(formatDate(value.as<Date>()));
    case TypeKind::kTime: return Value(formatTime(value.as<Time>()));
    case TypeKind::kTimestamp: return Value(formatTimestamp(value.as<Timestamp>()));
    case TypeKind::kBytes: return {};
    default: return Value(javaString(value, from));
  }
}

Value castArray(const Value& value, const SqlType& from, const SqlType& to) {
  std::vector<Value> items;
  items.reserve(value.asArray().items.size());
  for (const Value& item : value.asArray().items) items.push_back(castValue(item, *from.element, *to.element));
  return Value::array(std::move(items));
}

Value castMap(const Value& value, const SqlType& from, const SqlType& to) {
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(value.asMap().entries.size());
  for (const auto& [key, item] : value.asMap().entries) {
    entries.emplace_back(castValue(key, *from.key, *to.key), castValue(item, *from.element, *to.element));
  }
  return Value::map(std::move(entries));
}

// Fields are matched by name; target fields missing from the source are NULL.
Value castStruct(const Value& value, const SqlType& from, const SqlType& to) {
  std::vector<Value> fields;
  fields.reserve(to.fields.size());
  for (const StructField& target : to.fields) {
    Value field;
    for (size_t i = 0; i < from.fields.size(); ++i) {
      if (from.fields[i].name == target.name) {
        field = castValue(value.asStruct().fields[i], *from.fields[i].type, *target.type);
        break;
      }
    }
    fields.push_back(std::move(field));
  }
  return Value::structOf(std::move(fields));
}

class CastNode final : public CompiledExpression::Node {
 public:
  CastNode(NodePtr operand, SqlTypePtr from, SqlTypePtr to)
      : operand_(std::move(operand)), from_(std::move(from)), to_(std::move(to)) {}
  Value evaluate(std::span<const Value> row) const override {
    return castValue(*OperandValue(operand_, row), *from_, *to_);
  }

 private:
  Operand operand_;
  SqlTypePtr from_;
  SqlTypePtr to_;
};

}  // namespace

bool castSupported(const SqlType& from, const SqlType& to) {
  if (from == to) return true;
  switch (to.kind) {
    case TypeKind::kString: return from.kind != TypeKind::kBytes;
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kDouble:
    case TypeKind::kDecimal: return from.isNumeric() || from.kind == TypeKind::kString;
    case TypeKind::kBoolean: return from.kind == TypeKind::kString;
    case TypeKind::kTime: return from.kind == TypeKind::kString || from.kind == TypeKind::kTimestamp;
    case TypeKind::kDate:
    case TypeKind::kTimestamp:
      return from.kind == TypeKind::kString || from.kind == TypeKind::kDate || from.kind == TypeKind::kTimestamp;
    case TypeKind::kArray: return from.kind == TypeKind::kArray && castSupported(*from.element, *to.element);
    case TypeKind::kMap:
      return from.kind == TypeKind::kMap && castSupported(*from.key, *to.key) &&
             castSupported(*from.element, *to.element);
    case TypeKind::kStruct:
      if (from.kind != TypeKind::kStruct) return false;
      for (const StructField& target : to.fields) {
        for (const StructField& source : from.fields) {
          if (source.name == target.name && !castSupported(*source.type, *target.type)) return false;
        }
      }
      return true;
    default: return false;
  }
}

Typed coerce(Typed operand, const SqlTypePtr& to) {
  if (operand.isNullLiteral()) return {constantNode(Value()), to, operand.expr};
  if (sameType(operand.type, to)) return operand;
  return {std::make_shared<CastNode>(std::move(operand.node), operand.type, to), to, operand.expr};
}

Result<Typed> compileCast(const Expr& expr, Typed operand) {
  if (!operand.isNullLiteral() && !castSupported(*operand.type, *expr.target_type)) {
    return typeError(fmt::format("Cast of {} to {} is not supported", operand.type->toString(),
                                 expr.target_type->toString()));
  }
  Typed cast = coerce(std::move(operand), expr.target_type);
  cast.expr = &expr;
  return cast;
}

}  // namespace expression

Value castValue(const Value& value, const SqlType& from, const SqlType& to) {
  using namespace expression;
  if (value.isNull()) return {};
  if (from == to) return value;
  switch (to.kind) {
    case TypeKind::kString: return toString(value, from);
    case TypeKind::kInt:
      if (from.kind == TypeKind::kString) return parseInteger<int32_t>(value.asString());
      if (from.kind == TypeKind::kDouble) return Value(javaNarrow<int32_t>(value.asDouble()));
      return Value(static_cast<int32_t>(toLong(value, from.kind)));
    case TypeKind::kBigint:
      if (from.kind == TypeKind::kString) return parseInteger<int64_t>(value.asString());
      return Value(toLong(value, from.kind));
    case TypeKind::kDouble:
      if (from.kind == TypeKind::kString) return parseDouble(value.asString());
      return Value(toDouble(value, from.kind));
    case TypeKind::kDecimal: return toDecimal(value, from, to);
    case TypeKind::kBoolean: return from.kind == TypeKind::kString ? parseBoolean(value.asString()) : Value();
    case TypeKind::kDate:
      if (from.kind == TypeKind::kString) {
        auto date = parseDate(trim(value.asString()));
        return date ? Value(*date) : Value();
      }
      if (from.kind == TypeKind::kTimestamp) {
        int64_t millis = value.as<Timestamp>().millis;
        return Value(Date{static_cast<int32_t>(millis / kMillisPerDay - (millis % kMillisPerDay < 0))});
      }
      return {};
    case TypeKind::kTime:
      if (from.kind == TypeKind::kString) {
        auto time = parseTime(trim(value.asString()));
        return time ? Value(*time) : Value();
      }
      if (from.kind == TypeKind::kTimestamp) {
        int64_t millis = value.as<Timestamp>().millis % kMillisPerDay;
        return Value(Time{millis < 0 ? millis + kMillisPerDay : millis});
      }
      return {};
    case TypeKind::kTimestamp:
      if (from.kind == TypeKind::kString) {
        auto timestamp = parseTimestamp(trim(value.asString()));
        return timestamp ? Value(*timestamp) : Value();
      }
      if (from.kind == TypeKind::kDate) return Value(Timestamp{value.as<Date>().days * kMillisPerDay});
      return {};
    case TypeKind::kArray: return from.kind == TypeKind::kArray ? castArray(value, from, to) : Value();
    case TypeKind::kMap: return from.kind == TypeKind::kMap ? castMap(value, from, to) : Value();
    case TypeKind::kStruct: return from.kind == TypeKind::kStruct ? castStruct(value, from, to) : Value();
    default: return {};
  }
}

}  // namespace runnel::sql
