#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/functions.h"
#include "sql/types.h"

namespace runnel::sql {

class MetaStore;
class SqlEnvironment;
struct GenericRow;
struct Statement;

// Receives a push query's rows. tombstone: a table's row was deleted (the row holds the
// selected key columns, the rest NULL), as ksqlDB's push queries report deletes.
using RowCallback = std::function<void(const GenericRow& row, bool tombstone)>;

// What a caller keeps between statements: SET properties and DEFINE variables.
struct Session {
  std::map<std::string, std::string> properties;
  std::map<std::string, std::string> variables;
};

// A stream or table as SHOW STREAMS / SHOW TABLES list it.
struct SourceSummary {
  std::string name;
  std::string type;  // "STREAM" or "TABLE"
  std::string topic;
  std::string key_format;
  std::string value_format;
  bool windowed = false;
};

// A persistent query as SHOW QUERIES lists it.
struct QuerySummary {
  std::string id;
  std::string statement_text;
  std::string sink;
  std::string sink_topic;
  std::string state;  // "RUNNING" or "PAUSED"
};

struct FieldDescription {
  std::string name;
  std::string type;  // as ksqlDB prints it: "INTEGER", "STRUCT<...>"
  std::string key;   // "KEY", "PRIMARY KEY", or empty for a value column
};

// DESCRIBE [EXTENDED]: a source's columns and where it lives.
struct SourceDescription {
  SourceSummary summary;
  std::vector<FieldDescription> fields;
  std::string statement_text;
  std::string timestamp_column;
  std::vector<std::string> read_queries;
  std::vector<std::string> write_queries;
  int32_t partitions = 0;
  int16_t replicas = 0;
  bool extended = false;
};

// EXPLAIN: a persistent query, running or planned without running, or a push query, as
// ksqlDB's QueryDescription.
struct QueryDescription {
  std::string id;
  std::string statement_text;
  std::string query_type;  // "PERSISTENT" or "PUSH"
  std::vector<FieldDescription> fields;  // what the query writes
  std::vector<std::string> sources;
  std::vector<std::string> sinks;
  std::string topology;        // the streams topology, as Topology::describe() prints it
  std::string execution_plan;  // " > [ SINK ] | Schema: ... | Logger: ..." as ksqlDB prints plans
  std::map<std::string, std::string> overridden_properties;
  std::string state;  // "RUNNING" for a running query; empty for a planned one
};

// The outcome of one statement, for the REST API, the CLI and the test runner. `kind`
// says which of the members carry it, as ksqlDB's REST entities (@type) do.
struct StatementResult {
  enum class Kind : unsigned char {
    kStatus,       // currentStatus: message (and query_id)
    kStreams,      // sources
    kTables,       // sources
    kQueries,      // queries
    kTopics,       // names
    kProperties,   // properties
    kVariables,    // properties
    kTypes,        // properties: name -> type text
    kFunctions,    // properties: name -> "SCALAR" / "AGGREGATE"
    kDescription,  // description
    kFunctionDescription,  // function
    kQueryDescription,     // query_description
  };
  std::string statement_text;
  std::string message;   // "Stream created", "Created query with ID CSAS_S1_0", ...
  std::string query_id;  // the persistent query started, if any
  Kind kind = Kind::kStatus;
  std::vector<SourceSummary> sources;
  std::vector<QuerySummary> queries;
  std::vector<std::string> names;
  std::map<std::string, std::string> properties;
  std::optional<SourceDescription> description;
  std::optional<FunctionDescription> function;
  std::optional<QueryDescription> query_description;
  // Whether the statement changed the catalog (CREATE, DROP, INSERT INTO ... SELECT,
  // TERMINATE, PAUSE, RESUME, ALTER, types), so that the server logs it for replay.
  bool changes_catalog = false;
};

// Runs ksqlDB statements: keeps the catalog, compiles queries onto the streams library
// and runs them in `environment`. Statements run one at a time (callers serialize).
class Engine {
 public:
  // `config`: the server's ksql.* properties (ksql.service.id,
  // ksql.persistence.default.format.key, ksql.streams.* ...).
  Engine(SqlEnvironment& environment, std::map<std::string, std::string> config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // One statement (its text, with or without the `;`).
  Result<StatementResult> execute(std::string_view statement, Session& session);
  // Each statement of a script in order, stopping at the first that fails; the error
  // names the statement.
  Result<std::vector<StatementResult>> executeScript(std::string_view script, Session& session);

  // A push query (SELECT ... EMIT CHANGES): its id, columns and LIMIT. Rows arrive at
  // `on_row` on a stream thread until stopPushQuery.
  struct PushQuery {
    std::string id;
    std::vector<std::string> column_names;
    std::vector<SqlTypePtr> column_types;
    std::optional<int64_t> limit;
  };
  Result<PushQuery> startPushQuery(std::string_view statement, Session& session,
                                   RowCallback on_row);
  Result<PushQuery> startPushQuery(const Statement& statement, Session& session,
                                   RowCallback on_row);

  // A pull query (SELECT without EMIT CHANGES): the rows a queryable table holds now, read
  // from its store by key or by a scan, or the records a stream's topic holds now.
  struct PullQueryResult {
    std::string id;
    std::vector<std::string> column_names;
    std::vector<SqlTypePtr> column_types;
    std::vector<bool> key_columns;  // marked KEY in the header's schema
    std::vector<GenericRow> rows;
    // A stream's pull query ends as a push query does: "Query Completed" or "Limit Reached".
    std::string final_message;
  };
  Result<PullQueryResult> executePullQuery(const Statement& statement, Session& session);

  // POST /inserts-stream: the stream its "target" names (upper-cased unless quoted, as
  // ksqlDB reads identifiers), or ksqlDB's error for an unknown stream or a table.
  Result<std::string> insertsStreamTarget(std::string_view target) const;
  // One row for that stream: a JSON object whose members name its columns ignoring case
  // (missing columns are NULL), produced in the stream's formats as INSERT VALUES does.
  Status insertJsonRow(const std::string& stream, std::string_view row_json);

  // Substitutes the session's variables and parses one statement, so that a caller can
  // tell a push query from a pull query before running it.
  Result<Statement> prepare(std::string_view statement, const Session& session) const;
  Status stopPushQuery(const std::string& id);

  const MetaStore& metaStore() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::sql
