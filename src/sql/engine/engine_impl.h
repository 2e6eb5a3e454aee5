#pragma once

#include <map>
#include <string>

#include "sql/ast.h"
#include "sql/engine.h"
#include "sql/engine/environment.h"
#include "sql/engine/metastore.h"
#include "sql/engine/query_plan.h"
#include "sql/functions.h"
#include "streams/topology.h"

namespace runnel::sql {

// A persistent query planned but not started: what CSAS, CTAS and INSERT INTO start and
// EXPLAIN describes.
struct PlannedQuery {
  std::string id;
  std::shared_ptr<const QueryPlan> plan;
  DataSource sink;  // the source CSAS/CTAS creates; the target of INSERT INTO
  streams::Topology topology;
};

// Columns as DESCRIBE and EXPLAIN list them.
std::vector<FieldDescription> describeFields(const LogicalSchema& schema, bool is_table);

// The engine's state and its statement handlers, one file per family: engine.cc
// (dispatch and session statements), engine_ddl.cc (sources and types),
// engine_queries.cc (persistent queries and INSERT VALUES), engine_pull.cc (pull
// queries), engine_show.cc (SHOW, DESCRIBE), engine_explain.cc (EXPLAIN, PAUSE, RESUME).
class Engine::Impl {
 public:
  Impl(SqlEnvironment& environment, std::map<std::string, std::string> config)
      : environment_(environment), config_(std::move(config)), functions_(FunctionRegistry::builtin()) {}

  // Substitutes the session's variables and parses, with the catalog's named types.
  Result<Statement> parse(std::string_view statement, const Session& session) const;
  Result<StatementResult> execute(const Statement& statement, Session& session);
  Result<StatementResult> dispatch(const Statement& statement, Session& session);

  Result<StatementResult> createSource(const CreateSource& create, const Statement& statement, Session& session);
  Status materializeSourceTable(DataSource& table, const Session& session);
  Result<StatementResult> createType(const CreateType& create);
  Result<StatementResult> dropType(const DropType& drop);
  Result<StatementResult> dropSource(const DropSource& drop);
  Result<StatementResult> alterSource(const AlterSource& alter, const Statement& statement, const Session& session);
  Result<StatementResult> createAsSelect(const CreateAsSelect& create, const Statement& statement, Session& session);
  Result<PlannedQuery> planCreateAsSelect(const CreateAsSelect& create, const Statement& statement,
                                          const Session& session) const;
  Result<StatementResult> insertInto(const InsertInto& insert, const Statement& statement, Session& session);
  Result<PlannedQuery> planInsertInto(const InsertInto& insert, const Session& session) const;
  // The catalog's record of `planned` (or of a planned push query, without a sink).
  QueryInfo queryInfoOf(const PlannedQuery& planned, const std::string& statement_text, const Session& session) const;
  Result<StatementResult> insertValues(const InsertValues& insert, Session& session);
  Status produceRow(const DataSource& target, const GenericKey& key, const GenericRow& row, int64_t timestamp);
  Result<std::string> insertsStreamTarget(std::string_view target) const;
  Status insertJsonRow(const std::string& stream, std::string_view row_json);
  Result<StatementResult> terminate(const Terminate& terminate);
  Result<StatementResult> pauseResume(const PauseResume& statement);
  Result<StatementResult> explain(const Explain& explain, const Statement& statement, Session& session);
  Result<QueryDescription> explainStatement(const std::string& text, Session& session);
  QueryDescription describeQuery(const QueryInfo& query, std::string state) const;
  Result<StatementResult> describeFunction(const DescribeFunction& describe, const Statement& statement);
  Result<Engine::PushQuery> startPushQuery(const Query& query, Session& session,
                                           RowCallback on_row);
  Result<Engine::PullQueryResult> pullQuery(const Query& query, const Session& session);
  Status pullFromStream(const QueryPlan& plan, std::optional<int64_t> limit, Engine::PullQueryResult& result);
  Result<StatementResult> show(const Show& show, const Statement& statement, const Session& session);
  Result<StatementResult> describe(const Describe& describe, const Statement& statement);

  // A property as the session, then the server configuration, set it.
  std::string property(const Session& session, const std::string& name, const std::string& fallback = {}) const;
  std::map<std::string, std::string> streamsConfig(const Session& session) const;
  PlanOptions planOptions(const Session& session) const;

  SqlEnvironment& environment_;
  std::map<std::string, std::string> config_;
  const FunctionRegistry& functions_;
  MetaStore metastore_;
  int next_query_number_ = 0;
};

}  // namespace runnel::sql
