#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_reader.h"
#include "common/result.h"

namespace runnel::cli {

enum class OutputFormat : unsigned char { kTabular, kJson };

// Prints what the SQL server answers as the ksql CLI does: entities of /ksql as boxes and
// tables, push-query rows as they stream in.
class SqlPrinter {
 public:
  SqlPrinter(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}
  void setFormat(OutputFormat format) { format_ = format; }

  // The JSON array of entities /ksql returned.
  Status printEntities(std::string_view body);
  // The error body of a failed request (statement_error / generic_error).
  void printError(std::string_view body);

  // A push query's rows: header (column names), rows (JSON arrays of values), end.
  void startRows(const std::vector<std::string>& columns);
  void printRow(std::string_view row_json);
  void endRows(std::string_view message);

  // A plain table: header, rows, with ksql's borders.
  void printTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

 private:
  // DESCRIBE FUNCTION's and EXPLAIN's entities, laid out as the ksql CLI prints them.
  void printFunction(const json::Object& function);
  void printQueryDescription(const json::Object& query);

  std::ostream& out_;
  OutputFormat format_;
  std::vector<size_t> widths_;
};

}  // namespace runnel::cli
