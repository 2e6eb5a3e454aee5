#include "server/query_framing.h"

#include <fmt/format.h>

#include "common/json_writer.h"
#include "sql/row_format.h"

namespace runnel::server {
namespace {

std::string schemaText(const QueryColumns& columns) {
  std::string out;
  for (size_t i = 0; i < columns.names.size(); ++i) {
    if (i > 0) out += ", ";
    bool key = i < columns.keys.size() && columns.keys[i];
    out += fmt::format("`{}` {}{}", columns.names[i], columns.types[i]->toString(), key ? " KEY" : "");
  }
  return out;
}

}  // namespace

std::string frameHeader(const QueryColumns& columns, PushFraming framing) {
  std::string out;
  json::Writer writer(out);
  if (framing == PushFraming::kQuery) {
    out += "[";
    writer.startObject();
    writer.writeKey("header");
    writer.startObject();
    writer.writeKey("queryId");
    writer.writeString(columns.id);
    writer.writeKey("schema");
    writer.writeString(schemaText(columns));
    writer.endObject();
    writer.endObject();
    out += ",\n";
    return out;
  }
  if (framing == PushFraming::kJsonArray) out += "[";
  json::Writer metadata(out);
  metadata.startObject();
  metadata.writeKey("queryId");
  metadata.writeString(columns.id);
  metadata.writeKey("columnNames");
  metadata.startArray();
  for (const auto& name : columns.names) metadata.writeString(name);
  metadata.endArray();
  metadata.writeKey("columnTypes");
  metadata.startArray();
  for (const auto& type : columns.types) metadata.writeString(type->toString());
  metadata.endArray();
  metadata.endObject();
  out += framing == PushFraming::kJsonArray ? ",\n" : "\n";
  return out;
}

std::string frameRow(const sql::GenericRow& row, const std::vector<sql::SqlTypePtr>& types, PushFraming framing,
                     bool tombstone) {
  std::string out;
  if (framing == PushFraming::kQuery) out += R"({"row":{"columns":)";
  out += "[";
  for (size_t i = 0; i < row.values.size() && i < types.size(); ++i) {
    if (i > 0) out += ",";
    sql::appendRestJson(row.values[i], *types[i], out);
  }
  out += "]";
  if (framing == PushFraming::kQuery) out += tombstone ? R"(,"tombstone":true}})" : "}}";
  out += framing == PushFraming::kDelimited ? "\n" : ",\n";
  return out;
}

std::string frameEnd(std::string_view final_message, PushFraming framing) {
  if (framing == PushFraming::kDelimited) return {};
  if (framing == PushFraming::kJsonArray || final_message.empty()) return "]";
  return fmt::format(R"({{"finalMessage":"{}"}}])", final_message);
}

}  // namespace runnel::server
