// Values as the REST API shows and takes them.
#include "common/json_reader.h"
#include "common/json_writer.h"
#include "sql/format/json_values.h"
#include "sql/row_format.h"

namespace runnel::sql {

void appendRestJson(const Value& value, const SqlType& type, std::string& out) {
  json::Writer writer(out);
  writeJsonValue(writer, value, type, JsonStyle::kRest);
}

Result<Value> valueFromJson(std::string_view json, const SqlType& type) {
  // Its own parser: the caller may be in the middle of a document of the thread's parser.
  json::Parser parser;
  RUNNEL_ASSIGN_OR_RETURN(json::Value root, parser.parse(json));
  Value out;
  RUNNEL_RETURN_IF_ERROR(readJsonValue(root, type, out));
  return out;
}

}  // namespace runnel::sql
