// JSON: a record is an object with a member per column, named as the column is; a single
// unwrapped column (a key's, or a value's with WRAP_SINGLE_VALUE=false) is the bare value.
#include <fmt/format.h>

#include "sql/format/formats.h"
#include "sql/format/json_values.h"

namespace runnel::sql {
namespace {

// The record's type as ksqlDB names it when the record is not an object.
std::string recordTypeText(const std::vector<Column>& columns) {
  std::vector<StructField> fields;
  fields.reserve(columns.size());
  for (const Column& column : columns) fields.push_back({column.name, column.type});
  return SqlType::structType(std::move(fields))->toString(false);
}

class JsonFormat final : public RowFormat {
 public:
  JsonFormat(std::vector<Column> columns, bool unwrapped)
      : columns_(std::move(columns)),
        unwrapped_(unwrapped),
        record_type_(recordTypeText(columns_)) {}

  Status read(std::optional<std::string_view> bytes, std::vector<Value>& out) const override {
    if (!bytes) {
      out.assign(columns_.size(), Value());
      return Status::ok();
    }
    RUNNEL_ASSIGN_OR_RETURN(json::Value root, json::threadParser().parse(*bytes));
    if (unwrapped_) {
      out.resize(1);
      return readJsonValue(root, *columns_[0].type, out[0]);
    }
    return readJsonColumns(root, columns_, record_type_, out);
  }

  bool write(const std::vector<Value>& values, std::string& out) const override {
    json::Writer writer(out);
    if (unwrapped_) {
      if (values[0].isNull()) return false;
      writeJsonValue(writer, values[0], *columns_[0].type, JsonStyle::kRecord);
      return true;
    }
    // A key of several columns that are all NULL is still an object of nulls, as ksqlDB
    // writes it ({"ID":null,"AGE":null}).
    writer.startObject();
    for (size_t i = 0; i < columns_.size(); ++i) {
      writer.writeKey(columns_[i].name);
      writeJsonValue(writer, values[i], *columns_[i].type, JsonStyle::kRecord);
    }
    writer.endObject();
    return true;
  }

 private:
  std::vector<Column> columns_;
  bool unwrapped_;
  std::string record_type_;
};

}  // namespace

std::shared_ptr<const RowFormat> makeJsonFormat(const std::vector<Column>& columns,
                                                bool unwrapped) {
  return std::make_shared<JsonFormat>(columns, unwrapped);
}

}  // namespace runnel::sql
