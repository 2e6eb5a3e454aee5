#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/row_format.h"

namespace runnel::sql {

// The formats behind makeRowFormat (make_row_format.cc checks the options and the
// columns' types common to all of them first). Each checks what only it knows.
Result<std::shared_ptr<const RowFormat>> makeKafkaFormat(const std::vector<Column>& columns,
                                                         bool is_key);
// unwrapped: a single column written as the bare value (keys, or WRAP_SINGLE_VALUE=false).
std::shared_ptr<const RowFormat> makeJsonFormat(const std::vector<Column>& columns, bool unwrapped);
Result<std::shared_ptr<const RowFormat>> makeDelimitedFormat(const std::vector<Column>& columns,
                                                             bool is_key, char delimiter);
Result<std::shared_ptr<const RowFormat>> makeNoneFormat(const std::vector<Column>& columns,
                                                        bool is_key);

// ksqlDB's name of a type's kind in format errors: "INTEGER", "DECIMAL", "ARRAY".
std::string_view baseTypeName(TypeKind kind);
// A type as ksqlDB prints it in format errors: struct fields always in backquotes
// ("STRUCT<`F` MAP<STRING, STRING>>").
std::string backquotedTypeText(const SqlType& type);
// "The '<format>' format does not support type '<kind>'".
Status unsupportedType(std::string_view format, TypeKind kind);
// The columns as ksqlDB lists them in format errors: "[`V0` INTEGER, `K` STRING KEY]".
std::string columnListText(const std::vector<Column>& columns, bool is_key);
// Sets `out` to the STRING `text`, reusing the buffer of the string it holds: rows are
// read into the same vector record after record, so strings stop allocating.
inline void assignText(Value& out, std::string_view text) {
  if (auto* held = std::get_if<std::string>(&out.storage())) {
    held->assign(text);
  } else {
    out = std::string(text);
  }
}

}  // namespace runnel::sql
