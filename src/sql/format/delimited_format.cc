// DELIMITED: one line of delimiter-separated fields, one per column, as ksqlDB reads and
// writes them with Apache Commons CSV (CSVFormat.DEFAULT with the chosen delimiter). An
// empty field is NULL; primitives only. Numbers, DATE (days), TIME (millis of the day)
// and TIMESTAMP (epoch millis) are written as Java prints them, BYTES as base64.
#include <fmt/format.h>

#include "sql/format/base64.h"
#include "sql/format/decimal_text.h"
#include "sql/format/formats.h"
#include "sql/format/java_text.h"

namespace runnel::sql {
namespace {

bool isLineEnd(char c) { return c == '\n' || c == '\r'; }

// Splits the first record of `text` into fields. Quoted fields ("a,b", with "" for a
// quote) are unescaped into `scratch`, which the caller reserved at text.size() so that
// the views into it stay valid.
Status splitFields(std::string_view text, char delimiter, std::string& scratch,
                   std::vector<std::string_view>& fields) {
  size_t pos = 0;
  size_t n = text.size();
  while (pos < n && isLineEnd(text[pos])) ++pos;  // empty lines are skipped
  if (pos == n) return Status::invalidArgument("No fields in record");
  while (true) {
    if (text[pos] == '"') {
      size_t start = scratch.size();
      ++pos;
      while (true) {
        if (pos == n)
          return Status::invalidArgument("EOF reached before encapsulated token finished");
        char c = text[pos++];
        if (c != '"') {
          scratch.push_back(c);
        } else if (pos < n && text[pos] == '"') {
          scratch.push_back('"');
          ++pos;
        } else {
          break;
        }
      }
      fields.emplace_back(scratch.data() + start, scratch.size() - start);
      // Only whitespace may sit between the closing quote and the delimiter.
      while (pos < n && text[pos] != delimiter && !isLineEnd(text[pos])) {
        if (!std::isspace(static_cast<unsigned char>(text[pos]))) {
          return Status::invalidArgument("invalid char between encapsulated token and delimiter");
        }
        ++pos;
      }
    } else {
      size_t start = pos;
      while (pos < n && text[pos] != delimiter && !isLineEnd(text[pos])) ++pos;
      fields.push_back(text.substr(start, pos - start));
    }
    if (pos == n || isLineEnd(text[pos])) return Status::ok();
    ++pos;  // the delimiter; a delimiter at the end leaves one empty field
    if (pos == n) {
      fields.emplace_back();
      return Status::ok();
    }
  }
}

Status notANumber(std::string_view field) {
  return Status::invalidArgument(fmt::format("For input string: \"{}\"", field));
}

Status readField(std::string_view field, const SqlType& type, Value& out) {
  if (field.empty()) {
    out = Value();
    return Status::ok();
  }
  switch (type.kind) {
    case TypeKind::kBoolean:
      out = field.size() == 4 && (field[0] | 0x20) == 't' && (field[1] | 0x20) == 'r' &&
            (field[2] | 0x20) == 'u' && (field[3] | 0x20) == 'e';
      return Status::ok();
    case TypeKind::kInt:
    case TypeKind::kDate:
    case TypeKind::kTime: {
      int32_t v;
      if (!parseJavaInt(field, v)) return notANumber(field);
      out = type.kind == TypeKind::kInt    ? Value(v)
            : type.kind == TypeKind::kDate ? Value(Date{v})
                                           : Value(Time{v});
      return Status::ok();
    }
    case TypeKind::kBigint:
    case TypeKind::kTimestamp: {
      int64_t v;
      if (!parseJavaLong(field, v)) return notANumber(field);
      out = type.kind == TypeKind::kBigint ? Value(v) : Value(Timestamp{v});
      return Status::ok();
    }
    case TypeKind::kDouble: {
      double v;
      if (!parseJavaDouble(field, v)) return notANumber(field);
      out = v;
      return Status::ok();
    }
    case TypeKind::kDecimal: {
      Decimal v;
      RUNNEL_RETURN_IF_ERROR(parseDecimal(field, type, v));
      out = v;
      return Status::ok();
    }
    case TypeKind::kBytes: {
      Bytes v;
      RUNNEL_RETURN_IF_ERROR(decodeBase64(field, v.data));
      out = std::move(v);
      return Status::ok();
    }
    default:
      assignText(out, field);
      return Status::ok();
  }
}

// Commons CSV 1.4's QuoteMode.MINIMAL as ksqlDB uses it: the first field of a record is
// quoted unless it starts with an ASCII letter or digit; any field starting at or below
// '#', containing a quote, the delimiter or a line break, or ending in whitespace.
bool needsQuotes(std::string_view text, bool first, char delimiter) {
  if (text.empty()) return first;
  auto c = static_cast<unsigned char>(text[0]);
  bool alphanumeric = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  if ((first && !alphanumeric) || c <= '#') return true;
  for (char ch : text) {
    if (ch == '"' || ch == delimiter || isLineEnd(ch)) return true;
  }
  return static_cast<unsigned char>(text.back()) <= ' ';
}

void appendField(std::string_view text, bool first, char delimiter, std::string& out) {
  if (!needsQuotes(text, first, delimiter)) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (size_t from = 0;;) {
    size_t quote = text.find('"', from);
    out.append(text.substr(
        from, quote == std::string_view::npos ? std::string_view::npos : quote + 1 - from));
    if (quote == std::string_view::npos) break;
    out.push_back('"');
    from = quote + 1;
  }
  out.push_back('"');
}

// The field's text before quoting; strings and BYTES are the only texts that can be long.
std::string_view fieldText(const Value& value, std::string& buffer) {
  buffer.clear();
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          buffer.append(v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
          fmt::format_to(std::back_inserter(buffer), "{}", v);
        } else if constexpr (std::is_same_v<T, double>) {
          appendJavaDouble(v, buffer);
        } else if constexpr (std::is_same_v<T, Decimal>) {
          appendDecimal(v, buffer);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          appendBase64(v.data, buffer);
        } else if constexpr (std::is_same_v<T, Date>) {
          fmt::format_to(std::back_inserter(buffer), "{}", v.days);
        } else if constexpr (std::is_same_v<T, Time> || std::is_same_v<T, Timestamp>) {
          fmt::format_to(std::back_inserter(buffer), "{}", v.millis);
        }
      },
      value.storage());
  if (const auto* text = std::get_if<std::string>(&value.storage())) return *text;
  return buffer;
}

class DelimitedFormat final : public RowFormat {
 public:
  DelimitedFormat(std::vector<Column> columns, bool is_key, char delimiter)
      : columns_(std::move(columns)), is_key_(is_key), delimiter_(delimiter) {}

  Status read(std::optional<std::string_view> bytes, std::vector<Value>& out) const override {
    if (!bytes) {
      out.assign(columns_.size(), Value());
      return Status::ok();
    }
    thread_local std::string scratch;
    thread_local std::vector<std::string_view> fields;
    scratch.clear();
    scratch.reserve(bytes->size());
    fields.clear();
    RUNNEL_RETURN_IF_ERROR(splitFields(*bytes, delimiter_, scratch, fields));
    if (fields.size() != columns_.size()) {
      return Status::invalidArgument(
          fmt::format("Column count mismatch on deserialization. expected: {}, got: {}",
                      columns_.size(), fields.size()));
    }
    out.resize(columns_.size());
    for (size_t i = 0; i < columns_.size(); ++i) {
      RUNNEL_RETURN_IF_ERROR(readField(fields[i], *columns_[i].type, out[i]));
    }
    return Status::ok();
  }

  bool write(const std::vector<Value>& values, std::string& out) const override {
    // A single NULL key column is a null key, as for KAFKA and JSON keys.
    if (is_key_ && values.size() == 1 && values[0].isNull()) return false;
    thread_local std::string buffer;
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out.push_back(delimiter_);
      if (values[i].isNull()) continue;  // NULL: an empty field, never quoted
      appendField(fieldText(values[i], buffer), i == 0, delimiter_, out);
    }
    return true;
  }

 private:
  std::vector<Column> columns_;
  bool is_key_;
  char delimiter_;
};

}  // namespace

Result<std::shared_ptr<const RowFormat>> makeDelimitedFormat(const std::vector<Column>& columns,
                                                             bool is_key, char delimiter) {
  for (const Column& column : columns) {
    // KsqlDelimitedSerdeFactory's message names the column.
    if (!column.type->isPrimitive()) {
      return Status::invalidArgument(unsupportedType("DELIMITED", column.type->kind).message() +
                                     ", column: `" + column.name + "`");
    }
  }
  return std::shared_ptr<const RowFormat>(
      std::make_shared<DelimitedFormat>(columns, is_key, delimiter));
}

}  // namespace runnel::sql
