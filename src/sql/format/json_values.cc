#include "sql/format/json_values.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "sql/format/base64.h"
#include "sql/format/decimal_text.h"
#include "sql/format/formats.h"
#include "sql/format/java_text.h"
#include "sql/format/temporal_text.h"

namespace runnel::sql {
namespace {

// A failed coercion: ksqlDB's message, and the path to the value, built from the inside
// out as the recursion unwinds.
struct CoercionError {
  std::string message;
  std::string path;

  void under(std::string_view step) { path.insert(0, step); }
  Status status() const { return Status::invalidArgument(message + ", path: $" + path); }
};

// The class of the Jackson node ksqlDB would have read (floats are BigDecimals there).
std::string_view jacksonNode(json::Value json) {
  switch (json.type()) {
    case json::Type::kNull:
      return "NullNode";
    case json::Type::kBool:
      return "BooleanNode";
    case json::Type::kInt64: {
      int64_t v = json.getInt64().value();
      return v == static_cast<int32_t>(v) ? "IntNode" : "LongNode";
    }
    case json::Type::kUint64:
      return "BigIntegerNode";
    case json::Type::kDouble:
      return "DecimalNode";
    case json::Type::kString:
      return "TextNode";
    case json::Type::kArray:
      return "ArrayNode";
    case json::Type::kObject:
      return "ObjectNode";
  }
  return "?";
}

// What ksqlDB names the type in a failed conversion.
std::string requiredType(const SqlType& type) {
  return type.isPrimitive() && type.kind != TypeKind::kDecimal
             ? std::string(baseTypeName(type.kind))
             : type.toString(false);
}

bool cannotConvert(json::Value json, const SqlType& type, CoercionError& err) {
  err.message = fmt::format("Can't convert type. sourceType: {}, requiredType: {}",
                            jacksonNode(json), requiredType(type));
  return false;
}

bool cannotCoerceString(const SqlType& type, CoercionError& err) {
  err.message = fmt::format("Can't coerce string to type. targetType: {}", requiredType(type));
  return false;
}

bool failed(const Status& status, CoercionError& err) {
  err.message = status.message();
  return false;
}

// Java's narrowing of a JSON number to int/long (NumericNode.intValue()/asLong()):
// fractions are truncated and out-of-range values keep their low-order bits.
uint64_t lowBits(double value) {
  double truncated = std::trunc(value);
  if (std::fabs(truncated) < 9.2e18) return static_cast<uint64_t>(static_cast<int64_t>(truncated));
  if (!std::isfinite(truncated)) return 0;
  double wrapped = std::fmod(truncated, 18446744073709551616.0);
  if (wrapped < 0) wrapped += 18446744073709551616.0;
  return static_cast<uint64_t>(wrapped);
}

uint64_t numberBits(json::Value json) {
  switch (json.type()) {
    case json::Type::kInt64:
      return static_cast<uint64_t>(json.getInt64().value());
    case json::Type::kUint64:
      return json.getUint64().value();
    default:
      return lowBits(json.getDouble().value());
  }
}

bool isNumber(json::Type type) {
  return type == json::Type::kInt64 || type == json::Type::kUint64 || type == json::Type::kDouble;
}

// A JSON number's text as Jackson's node prints it.
void appendNumberText(json::Value json, std::string& out) {
  char buf[24];
  switch (json.type()) {
    case json::Type::kInt64: {
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, json.getInt64().value());
      out.append(buf, end);
      return;
    }
    case json::Type::kUint64: {
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, json.getUint64().value());
      out.append(buf, end);
      return;
    }
    default:
      appendShortestDouble(json.getDouble().value(), out);
  }
}

bool readValue(json::Value json, const SqlType& type, Value& out, CoercionError& err);

// Writes a parsed document back as compact JSON (an object read as a STRING).
void writeJsonDocument(json::Writer& writer, json::Value json) {
  switch (json.type()) {
    case json::Type::kNull:
      writer.writeNull();
      return;
    case json::Type::kBool:
      writer.writeBool(json.getBool().value());
      return;
    case json::Type::kInt64:
      writer.writeInt64(json.getInt64().value());
      return;
    case json::Type::kUint64:
      writer.writeUint64(json.getUint64().value());
      return;
    case json::Type::kDouble:
      writer.writeDouble(json.getDouble().value());
      return;
    case json::Type::kString:
      writer.writeString(json.getString().value());
      return;
    case json::Type::kArray:
      writer.startArray();
      // The Array is kept by value: value() of a temporary Result would dangle in the loop.
      for (json::Array array = json.getArray().value(); json::Value item : array)
        writeJsonDocument(writer, item);
      writer.endArray();
      return;
    case json::Type::kObject:
      writer.startObject();
      for (json::Object object = json.getObject().value(); auto [key, member] : object) {
        writer.writeKey(key);
        writeJsonDocument(writer, member);
      }
      writer.endObject();
      return;
  }
}

// An integral SQL value from a number (narrowed as Java does) or a numeric string.
template <class Int, class Wrap>
bool readIntegral(json::Value json, const SqlType& type, bool (*parse)(std::string_view, Int&),
                  Value& out, CoercionError& err, Wrap wrap) {
  json::Type kind = json.type();
  if (isNumber(kind)) {
    out = wrap(static_cast<Int>(numberBits(json)));
    return true;
  }
  if (kind == json::Type::kString) {
    Int parsed;
    if (!parse(json.getString().value(), parsed)) return cannotCoerceString(type, err);
    out = wrap(parsed);
    return true;
  }
  return cannotConvert(json, type, err);
}

bool readString(json::Value json, Value& out) {
  switch (json.type()) {
    case json::Type::kString:
      assignText(out, json.getString().value());
      return true;
    case json::Type::kBool:
      out = std::string(json.getBool().value() ? "true" : "false");
      return true;
    case json::Type::kArray: {
      // ksqlDB joins the elements, each read as a STRING, Java-list style: "[a, b, null]".
      std::string text = "[";
      for (json::Array array = json.getArray().value(); json::Value item : array) {
        if (text.size() > 1) text.append(", ");
        if (item.isNull()) {
          text.append("null");
          continue;
        }
        Value element;
        readString(item, element);
        text.append(element.asString());
      }
      text.push_back(']');
      out = std::move(text);
      return true;
    }
    case json::Type::kObject: {
      std::string text;
      json::Writer writer(text);
      writeJsonDocument(writer, json);
      out = std::move(text);
      return true;
    }
    default: {
      std::string text;
      appendNumberText(json, text);
      out = std::move(text);
      return true;
    }
  }
}

bool readDecimal(json::Value json, const SqlType& type, Value& out, CoercionError& err) {
  Decimal decimal;
  Status status;
  if (isNumber(json.type())) {
    std::string text;
    appendNumberText(json, text);
    status = parseDecimal(text, type, decimal);
  } else if (json.type() == json::Type::kString) {
    status = parseDecimal(json.getString().value(), type, decimal);
  } else {
    return cannotConvert(json, type, err);
  }
  if (!status.isOk()) return failed(status, err);
  out = decimal;
  return true;
}

bool readArray(json::Value json, const SqlType& type, Value& out, CoercionError& err) {
  if (json.type() != json::Type::kArray) return cannotConvert(json, type, err);
  json::Array array = json.getArray().value();
  std::vector<Value> items(array.size());
  size_t index = 0;
  for (json::Value item : array) {
    if (!readValue(item, *type.element, items[index], err)) {
      err.under(fmt::format("[{}]", index));
      return false;
    }
    ++index;
  }
  out = Value::array(std::move(items));
  return true;
}

bool readMap(json::Value json, const SqlType& type, Value& out, CoercionError& err) {
  if (json.type() != json::Type::kObject) return cannotConvert(json, type, err);
  json::Object object = json.getObject().value();
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(object.size());
  // A repeated key keeps its first place and its last value, as a Java map would.
  std::unordered_map<std::string_view, size_t> positions;
  for (auto [key, member] : object) {
    Value value;
    if (!readValue(member, *type.element, value, err)) {
      err.under(fmt::format(".{}.value", key));
      return false;
    }
    auto [it, inserted] = positions.emplace(key, entries.size());
    if (inserted) {
      entries.emplace_back(Value(std::string(key)), std::move(value));
    } else {
      entries[it->second].second = std::move(value);
    }
  }
  out = Value::map(std::move(entries));
  return true;
}

char asciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// `key` upper-cased (ASCII) equals `name`; same sizes.
bool upperCaseEquals(std::string_view key, std::string_view name) {
  for (size_t i = 0; i < key.size(); ++i) {
    if (asciiUpper(key[i]) != name[i]) return false;
  }
  return true;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (asciiUpper(a[i]) != asciiUpper(b[i])) return false;
  }
  return true;
}

template <class Field>
bool namesDifferOnlyInCase(const std::vector<Field>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    for (size_t j = i + 1; j < fields.size(); ++j) {
      if (equalsIgnoringCase(fields[i].name, fields[j].name)) return true;
    }
  }
  return false;
}

// Reads the members of `object` into one value per field (Column or StructField: a name
// and a type). A field takes the member of its exact name, else one whose upper-cased name
// equals it (how unquoted, upper-cased SQL names meet lower-case JSON); with repeats, the
// last one; no member reads as NULL.
template <class Field>
bool readFields(json::Object object, const std::vector<Field>& fields, Value* out,
                CoercionError& err) {
  struct Match {
    json::Value exact;
    json::Value upper;
    bool has_exact = false;
    bool has_upper = false;
  };
  constexpr size_t kInline = 16;
  std::array<Match, kInline> inline_matches;
  std::vector<Match> heap_matches;
  Match* matches = inline_matches.data();
  if (fields.size() > kInline) {
    heap_matches.resize(fields.size());
    matches = heap_matches.data();
  }
  // Members usually come in the fields' order, so the search starts after the last field
  // matched. Unless two field names differ only in case, a member matches one field at
  // most and the search can stop there.
  bool may_match_twice = namesDifferOnlyInCase(fields);
  size_t next = 0;
  for (auto [key, member] : object) {
    for (size_t step = 0; step < fields.size(); ++step) {
      size_t i = next + step < fields.size() ? next + step : next + step - fields.size();
      const std::string& name = fields[i].name;
      if (key.size() != name.size()) continue;
      if (key == name) {
        matches[i].exact = member;
        matches[i].has_exact = true;
      } else if (upperCaseEquals(key, name)) {
        matches[i].upper = member;
        matches[i].has_upper = true;
      } else {
        continue;
      }
      if (!may_match_twice) {
        next = i + 1 == fields.size() ? 0 : i + 1;
        break;
      }
    }
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const Match& match = matches[i];
    if (!match.has_exact && !match.has_upper) {
      out[i] = Value();
      continue;
    }
    if (!readValue(match.has_exact ? match.exact : match.upper, *fields[i].type, out[i], err)) {
      err.under("." + fields[i].name);
      return false;
    }
  }
  return true;
}

bool readStruct(json::Value json, const SqlType& type, Value& out, CoercionError& err) {
  if (json.type() != json::Type::kObject) return cannotConvert(json, type, err);
  std::vector<Value> fields(type.fields.size());
  if (!readFields(json.getObject().value(), type.fields, fields.data(), err)) return false;
  out = Value::structOf(std::move(fields));
  return true;
}

bool readValue(json::Value json, const SqlType& type, Value& out, CoercionError& err) {
  json::Type kind = json.type();
  if (kind == json::Type::kNull) {
    out = Value();
    return true;
  }
  switch (type.kind) {
    case TypeKind::kBoolean:
      if (kind != json::Type::kBool) return cannotConvert(json, type, err);
      out = json.getBool().value();
      return true;
    case TypeKind::kInt:
      return readIntegral<int32_t>(json, type, parseJavaInt, out, err,
                                   [](int32_t v) { return Value(v); });
    case TypeKind::kBigint:
      return readIntegral<int64_t>(json, type, parseJavaLong, out, err,
                                   [](int64_t v) { return Value(v); });
    case TypeKind::kDate:
      return readIntegral<int32_t>(json, type, parseJavaInt, out, err,
                                   [](int32_t v) { return Value(Date{v}); });
    case TypeKind::kTime:
      return readIntegral<int32_t>(json, type, parseJavaInt, out, err,
                                   [](int32_t v) { return Value(Time{v}); });
    case TypeKind::kTimestamp:
      return readIntegral<int64_t>(json, type, parseJavaLong, out, err,
                                   [](int64_t v) { return Value(Timestamp{v}); });
    case TypeKind::kDouble: {
      if (isNumber(kind)) {
        out = json.getDouble().value();
        return true;
      }
      if (kind != json::Type::kString) return cannotConvert(json, type, err);
      double parsed;
      if (!parseJavaDouble(json.getString().value(), parsed)) return cannotCoerceString(type, err);
      out = parsed;
      return true;
    }
    case TypeKind::kDecimal:
      return readDecimal(json, type, out, err);
    case TypeKind::kString:
      return readString(json, out);
    case TypeKind::kBytes: {
      if (kind != json::Type::kString) return cannotConvert(json, type, err);
      Bytes bytes;
      Status status = decodeBase64(json.getString().value(), bytes.data);
      if (!status.isOk()) return failed(status, err);
      out = std::move(bytes);
      return true;
    }
    case TypeKind::kArray:
      return readArray(json, type, out, err);
    case TypeKind::kMap:
      return readMap(json, type, out, err);
    case TypeKind::kStruct:
      return readStruct(json, type, out, err);
  }
  return cannotConvert(json, type, err);
}

void writeTemporal(json::Writer& writer, const Value& value, JsonStyle style) {
  std::string text;
  if (const auto* date = std::get_if<Date>(&value.storage())) {
    if (style == JsonStyle::kRecord) return writer.writeInt64(date->days);
    appendIsoDate(date->days, text);
  } else if (const auto* time = std::get_if<Time>(&value.storage())) {
    if (style == JsonStyle::kRecord) return writer.writeInt64(time->millis);
    appendIsoTime(time->millis, text);
  } else {
    int64_t millis = value.as<Timestamp>().millis;
    if (style == JsonStyle::kRecord) return writer.writeInt64(millis);
    appendIsoTimestamp(millis, text);
  }
  writer.writeString(text);
}

// A map key as a JSON member name: strings as they are, other keys as their JSON text.
std::string mapKeyText(const Value& key, const SqlType& type, JsonStyle style) {
  if (key.is<std::string>()) return key.asString();
  std::string text;
  json::Writer writer(text);
  writeJsonValue(writer, key, type, style);
  if (text.size() >= 2 && text.front() == '"') return text.substr(1, text.size() - 2);
  return text;
}

}  // namespace

Status readJsonValue(json::Value json, const SqlType& type, Value& out) {
  CoercionError err;
  if (!readValue(json, type, out, err)) return err.status();
  return Status::ok();
}

Status readJsonColumns(json::Value json, const std::vector<Column>& columns,
                       std::string_view record_type, std::vector<Value>& out) {
  out.resize(columns.size());
  if (json.type() != json::Type::kObject) {
    return Status::invalidArgument(
        fmt::format("Can't convert type. sourceType: {}, requiredType: {}, path: $",
                    jacksonNode(json), record_type));
  }
  CoercionError err;
  if (!readFields(json.getObject().value(), columns, out.data(), err)) return err.status();
  return Status::ok();
}

void writeJsonValue(json::Writer& writer, const Value& value, const SqlType& type,
                    JsonStyle style) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          writer.writeNull();
        } else if constexpr (std::is_same_v<T, bool>) {
          writer.writeBool(v);
        } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
          writer.writeInt64(v);
        } else if constexpr (std::is_same_v<T, double>) {
          writer.writeDouble(v);
        } else if constexpr (std::is_same_v<T, Decimal>) {
          std::string text;
          appendDecimal(v, text);
          writer.writeRaw(text);
        } else if constexpr (std::is_same_v<T, std::string>) {
          writer.writeString(v);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          std::string text;
          appendBase64(v.data, text);
          writer.writeString(text);
        } else if constexpr (std::is_same_v<T, Date> || std::is_same_v<T, Time> ||
                             std::is_same_v<T, Timestamp>) {
          writeTemporal(writer, value, style);
        } else if constexpr (std::is_same_v<T, ArrayPtr>) {
          writer.startArray();
          for (const Value& item : v->items) writeJsonValue(writer, item, *type.element, style);
          writer.endArray();
        } else if constexpr (std::is_same_v<T, MapPtr>) {
          writer.startObject();
          for (const auto& [key, item] : v->entries) {
            writer.writeKey(mapKeyText(key, *type.key, style));
            writeJsonValue(writer, item, *type.element, style);
          }
          writer.endObject();
        } else {
          writer.startObject();
          size_t count = std::min(v->fields.size(), type.fields.size());
          for (size_t i = 0; i < count; ++i) {
            writer.writeKey(type.fields[i].name);
            writeJsonValue(writer, v->fields[i], *type.fields[i].type, style);
          }
          writer.endObject();
        }
      },
      value.storage());
}

}  // namespace runnel::sql
