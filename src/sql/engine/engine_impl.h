#pragma once

#include <map>
#include <string>

#include "sql/ast.h"
#include "sql/engine.h"
#include "sql/engine/environment.h"
#include "sql/engine/metastore.h"
#include "sql/engine/query_plan.h"
#include "sql/functions.h"

namespace runnel::sql {

// The engine's state and its statement handlers, one file per family: engine.cc
// (dispatch and session statements), engine_ddl.cc (sources and types),
// engine_queries.cc (persistent queries and INSERT VALUES), engine_pull.cc (pull
// queries), engine_show.cc (SHOW, DESCRIBE).
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
  Result<StatementResult> createAsSelect(const CreateAsSelect& create, const Statement& statement, Session& session);
  Result<StatementResult> insertInto(const InsertInto& insert, const Statement& statement, Session& session);
  Result<StatementResult> insertValues(const InsertValues& insert, Session& session);
  Result<StatementResult> terminate(const Terminate& terminate);
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
