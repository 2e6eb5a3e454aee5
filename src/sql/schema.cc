#include "sql/schema.h"

namespace runnel::sql {

const Column* LogicalSchema::find(const std::string& name) const {
  for (const auto& column : key) {
    if (column.name == name) return &column;
  }
  for (const auto& column : value) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

std::vector<Column> LogicalSchema::valueColumnsInRecord() const {
  std::vector<Column> out;
  for (const auto& column : value) {
    if (column.ns == ColumnNamespace::kValue) out.push_back(column);
  }
  return out;
}

std::string LogicalSchema::toString(bool with_backquotes) const {
  std::string out;
  auto append = [&](const Column& column, const char* suffix) {
    if (!out.empty()) out += ", ";
    out += with_backquotes ? "`" + column.name + "`" : column.name;
    out += " " + column.type->toString() + suffix;
  };
  for (const auto& column : key) append(column, " KEY");
  for (const auto& column : value) {
    if (column.ns != ColumnNamespace::kHeader) {
      append(column, "");
    } else if (column.header_key.empty()) {
      append(column, " HEADERS");
    } else {
      append(column, (" HEADER('" + column.header_key + "')").c_str());
    }
  }
  return out;
}

}  // namespace runnel::sql
