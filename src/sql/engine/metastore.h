#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sql/row_format.h"
#include "sql/schema.h"

namespace runnel::sql {

struct Materialization;

// A stream or table the catalog knows: its columns, where its records live and how they
// are encoded.
struct DataSource {
  std::string name;
  bool is_table = false;
  bool is_source = false;  // CREATE SOURCE STREAM|TABLE: read-only
  LogicalSchema schema;
  std::string topic;
  FormatInfo key_format;
  FormatInfo value_format;
  bool wrap_single_value = true;
  std::string timestamp_column;  // TIMESTAMP='col', empty: the record's timestamp
  std::string timestamp_format;  // TIMESTAMP_FORMAT for a STRING timestamp column
  std::string statement_text;    // the statement that created it
  std::string created_by_query;  // the CSAS/CTAS/CST query id, empty for CREATE STREAM|TABLE
  // Where pull queries read the table: CREATE SOURCE TABLE and CTAS tables are kept in
  // a store (ksqlDB materializes them); null for streams and plain CREATE TABLE.
  std::shared_ptr<const Materialization> materialization;
  bool isQueryable() const { return materialization != nullptr; }
};

// A persistent query: CSAS, CTAS or INSERT INTO.
struct QueryInfo {
  std::string id;
  std::string statement_text;
  std::string sink;
  std::vector<std::string> sources;
  bool paused = false;
  // What EXPLAIN shows of it.
  LogicalSchema schema;  // what it writes
  std::string topology;
  std::string execution_plan;
  std::map<std::string, std::string> overridden_properties;
};

// The catalog: sources, named types and persistent queries. Not thread-safe; the engine
// serializes statements.
class MetaStore {
 public:
  const DataSource* source(const std::string& name) const;
  void putSource(DataSource source) { sources_[source.name] = std::move(source); }
  void removeSource(const std::string& name) { sources_.erase(name); }
  const std::map<std::string, DataSource>& sources() const { return sources_; }

  SqlTypePtr type(const std::string& name) const;
  void putType(const std::string& name, SqlTypePtr type) { types_[name] = std::move(type); }
  bool removeType(const std::string& name) { return types_.erase(name) > 0; }
  const std::map<std::string, SqlTypePtr>& types() const { return types_; }

  const QueryInfo* query(const std::string& id) const;
  QueryInfo* mutableQuery(const std::string& id);
  void putQuery(QueryInfo query) { queries_[query.id] = std::move(query); }
  void removeQuery(const std::string& id) { queries_.erase(id); }
  const std::map<std::string, QueryInfo>& queries() const { return queries_; }
  // The queries that read or write `source`.
  std::vector<std::string> queriesReading(const std::string& source) const;
  std::vector<std::string> queriesWriting(const std::string& source) const;

 private:
  std::map<std::string, DataSource> sources_;
  std::map<std::string, SqlTypePtr> types_;
  std::map<std::string, QueryInfo> queries_;
};

}  // namespace runnel::sql
