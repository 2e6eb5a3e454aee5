#include <fmt/format.h>

#include <algorithm>

#include "sql/format/formats.h"

namespace runnel::sql {
namespace {

constexpr std::string_view kDelimiterProperty = "delimiter";

bool containsMap(const SqlType& type) {
  switch (type.kind) {
    case TypeKind::kMap:
      return true;
    case TypeKind::kArray:
      return containsMap(*type.element);
    case TypeKind::kStruct:
      return std::any_of(type.fields.begin(), type.fields.end(),
                         [](const StructField& f) { return containsMap(*f.type); });
    default:
      return false;
  }
}

bool hasNonStringMapKey(const SqlType& type) {
  switch (type.kind) {
    case TypeKind::kMap:
      return type.key->kind != TypeKind::kString || hasNonStringMapKey(*type.element);
    case TypeKind::kArray:
      return hasNonStringMapKey(*type.element);
    case TypeKind::kStruct:
      return std::any_of(type.fields.begin(), type.fields.end(),
                         [](const StructField& f) { return hasNonStringMapKey(*f.type); });
    default:
      return false;
  }
}

// Map keys are refused in every key format: equal maps can serialize differently, so
// equal keys would land in different partitions.
Status checkKeyColumns(const std::vector<Column>& columns) {
  for (const Column& column : columns) {
    if (containsMap(*column.type)) {
      return Status::invalidArgument(fmt::format(
          "Map keys, including types that contain maps, are not supported as they may lead to "
          "unexpected behavior "
          "due to inconsistent serialization. Key column name: `{}`. Column type: {}. See "
          "https://github.com/confluentinc/ksql/issues/6621 for more.",
          column.name, backquotedTypeText(*column.type)));
    }
  }
  return Status::ok();
}

// VALUE_DELIMITER / KEY_DELIMITER: one character, or TAB or SPACE by name.
Result<char> parseDelimiter(const std::string& text, bool is_key) {
  std::string_view invalid = is_key ? "Configuration KEY_DELIMITER is invalid: "
                                    : "Configuration VALUE_DELIMITER is invalid: ";
  bool blank = std::all_of(text.begin(), text.end(),
                           [](char c) { return static_cast<unsigned char>(c) <= ' '; });
  if (blank) {
    return Status::invalidArgument(
        fmt::format("{}Delimiter cannot be empty, if you meant to have a tab or space for "
                    "delimiter, please use the special values "
                    "'TAB' or 'SPACE'\nExample valid value: ';'",
                    invalid));
  }
  if (text.size() == 1) return text[0];
  if (text == "TAB") return '\t';
  if (text == "SPACE") return ' ';
  return Status::invalidArgument(
      fmt::format("{}Invalid delimiter value: '{}'. Delimiter must be a single character or "
                  "TAB,SPACE\nExample valid value: ';'",
                  invalid, text));
}

std::string upperCased(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return out;
}

}  // namespace

std::string_view baseTypeName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBoolean:
      return "BOOLEAN";
    case TypeKind::kInt:
      return "INTEGER";
    case TypeKind::kBigint:
      return "BIGINT";
    case TypeKind::kDouble:
      return "DOUBLE";
    case TypeKind::kDecimal:
      return "DECIMAL";
    case TypeKind::kString:
      return "STRING";
    case TypeKind::kBytes:
      return "BYTES";
    case TypeKind::kDate:
      return "DATE";
    case TypeKind::kTime:
      return "TIME";
    case TypeKind::kTimestamp:
      return "TIMESTAMP";
    case TypeKind::kArray:
      return "ARRAY";
    case TypeKind::kMap:
      return "MAP";
    case TypeKind::kStruct:
      return "STRUCT";
  }
  return "?";
}

std::string backquotedTypeText(const SqlType& type) {
  switch (type.kind) {
    case TypeKind::kArray:
      return "ARRAY<" + backquotedTypeText(*type.element) + ">";
    case TypeKind::kMap:
      return "MAP<" + backquotedTypeText(*type.key) + ", " + backquotedTypeText(*type.element) +
             ">";
    case TypeKind::kStruct: {
      std::string out = "STRUCT<";
      for (const StructField& field : type.fields) {
        if (out.size() > 7) out.append(", ");
        out.append(fmt::format("`{}` {}", field.name, backquotedTypeText(*field.type)));
      }
      return out + ">";
    }
    default:
      return type.toString();
  }
}

Status unsupportedType(std::string_view format, TypeKind kind) {
  return Status::invalidArgument(
      fmt::format("The '{}' format does not support type '{}'", format, baseTypeName(kind)));
}

std::string columnListText(const std::vector<Column>& columns, bool is_key) {
  std::string out = "[";
  for (const Column& column : columns) {
    if (out.size() > 1) out.append(", ");
    out.append(fmt::format("`{}` {}", column.name, backquotedTypeText(*column.type)));
    if (is_key || column.ns == ColumnNamespace::kKey) out.append(" KEY");
  }
  out.push_back(']');
  return out;
}

bool isSupportedFormat(const std::string& name) {
  std::string upper = upperCased(name);
  return upper == "KAFKA" || upper == "JSON" || upper == "DELIMITED" || upper == "NONE";
}

Result<std::shared_ptr<const RowFormat>> makeRowFormat(const FormatInfo& format,
                                                       const std::vector<Column>& columns,
                                                       bool is_key, bool wrap_single_value) {
  std::string name = upperCased(format.name);
  if (!isSupportedFormat(name)) return Status::invalidArgument("Unknown format: " + format.name);
  std::optional<std::string> delimiter;
  for (const auto& [key, value] : format.properties) {
    if (key == kDelimiterProperty) delimiter = value;
  }
  if (delimiter && name != "DELIMITED") {
    return Status::invalidArgument(
        fmt::format("{} does not support the following configs: [{}]", name, kDelimiterProperty));
  }
  char delimiter_char = ',';
  if (delimiter) {
    RUNNEL_ASSIGN_OR_RETURN(delimiter_char, parseDelimiter(*delimiter, is_key));
  }
  if (is_key) RUNNEL_RETURN_IF_ERROR(checkKeyColumns(columns));

  // Without columns every format reads nothing and writes null records, as NONE does.
  if (name == "NONE" || columns.empty()) return makeNoneFormat(columns, is_key);
  if (name == "KAFKA") return makeKafkaFormat(columns, is_key);
  if (name == "DELIMITED") return makeDelimitedFormat(columns, is_key, delimiter_char);
  for (const Column& column : columns) {
    if (hasNonStringMapKey(*column.type))
      return Status::invalidArgument("JSON only supports MAP types with STRING keys");
  }
  bool unwrapped = columns.size() == 1 && (is_key || !wrap_single_value);
  return makeJsonFormat(columns, unwrapped);
}

}  // namespace runnel::sql
