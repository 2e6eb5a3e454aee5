#include "sql/engine/source_definition.h"

#include <fmt/format.h>

namespace runnel::sql {
namespace {

std::string columnText(const Column& column) {
  return fmt::format("`{}` {}{}", column.name, column.type->toString(), column.ns == ColumnNamespace::kKey ? " KEY" : "");
}

}  // namespace

std::string persistenceText(const std::vector<Column>& columns) {
  std::string out;
  for (const auto& column : columns) out += (out.empty() ? "" : ", ") + columnText(column);
  return "[" + out + "]";
}

Status checkFormatName(const std::string& name) {
  if (isSupportedFormat(name)) return Status::ok();
  if (name == "AVRO" || name == "PROTOBUF" || name == "PROTOBUF_NOSR" || name == "JSON_SR") {
    return Status::unsupported(fmt::format("The '{}' format is not supported yet.", name));
  }
  return Status::invalidArgument(fmt::format("Unknown format: {}", name));
}

Status checkFormatsFit(const DataSource& source, bool wrap_given) {
  RUNNEL_RETURN_IF_ERROR(checkFormatName(source.key_format.name));
  RUNNEL_RETURN_IF_ERROR(checkFormatName(source.value_format.name));
  auto key = makeRowFormat(source.key_format, source.schema.key, true);
  if (!key.isOk()) {
    return Status::invalidArgument(fmt::format(
        "Key format does not support schema.\nformat: {}\nschema: Persistence{{columns={}, features=[]}}\nreason: {}",
        source.key_format.name, persistenceText(source.schema.key), key.status().message()));
  }
  auto value_columns = source.schema.valueColumnsInRecord();
  const std::string& value_format = source.value_format.name;
  if (wrap_given && source.wrap_single_value && (value_format == "DELIMITED" || value_format == "KAFKA")) {
    return Status::invalidArgument(
        fmt::format("Format '{}' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", value_format));
  }
  if (wrap_given && value_columns.size() != 1) {
    return Status::invalidArgument("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  }
  auto value = makeRowFormat(source.value_format, value_columns, false, source.wrap_single_value);
  if (!value.isOk()) return value.status();
  return Status::ok();
}

Status applyTimestampProperties(const WithClause& with, DataSource& source) {
  auto column_name = with.string("TIMESTAMP");
  if (!column_name) return Status::ok();
  std::string name = *column_name;
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const Column* column = source.schema.find(name);
  if (column == nullptr) {
    return Status::invalidArgument(
        fmt::format("The TIMESTAMP column set in the WITH clause does not exist in the schema: '{}'", name));
  }
  auto format = with.string("TIMESTAMP_FORMAT");
  TypeKind kind = column->type->kind;
  if (kind == TypeKind::kString && !format) {
    return Status::invalidArgument("A String timestamp field has been specified without also specifying the "
                                   "TIMESTAMP_FORMAT property.");
  }
  if (kind != TypeKind::kBigint && kind != TypeKind::kTimestamp && kind != TypeKind::kString) {
    return Status::invalidArgument(fmt::format(
        "Timestamp column, `{}`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.",
        name));
  }
  source.timestamp_column = name;
  source.timestamp_format = format.value_or("");
  return Status::ok();
}

}  // namespace runnel::sql
