#include <fmt/format.h>

#include "sql/engine/engine_impl.h"
#include "sql/engine/query_topology.h"

namespace runnel::sql {
namespace {

struct PlanStep {
  const char* op;
  std::string schema;
  std::string logger;
};

// ksqlDB's plan summary (its PlanSummary): the sink first, each step's input on the next
// line, two tabs deeper.
std::string planText(const std::string& query_id, const std::vector<PlanStep>& top_down) {
  std::string out;
  for (size_t depth = 0; depth < top_down.size(); ++depth) {
    const PlanStep& step = top_down[depth];
    out += fmt::format("{} > [ {} ] | Schema: {} | Logger: {}.{}\n", std::string(2 * depth, '\t'), step.op,
                       step.schema, query_id, step.logger);
  }
  return out;
}

// The steps of `plan` as ksqlDB names them; `sink` empty for a push query.
std::vector<PlanStep> stepsOf(const QueryPlan& plan, const std::string& sink) {
  std::string input = plan.source->schema.toString(false);
  std::string output = plan.output.toString(false);
  std::vector<PlanStep> steps;
  if (!sink.empty()) steps.push_back({"SINK", output, sink});
  steps.push_back({"PROJECT", output, "Project"});
  if (plan.aggregate) {
    steps.push_back({"AGGREGATE", output, "Aggregate.Aggregate"});
    steps.push_back({"GROUP_BY", input, "Aggregate.GroupBy"});
  } else if (plan.rekey) {
    steps.push_back({"REKEY", input, "PartitionBy"});
  }
  if (plan.where) steps.push_back({"FILTER", input, "WhereFilter"});
  steps.push_back({"SOURCE", input, "KsqlTopic.Source"});
  return steps;
}

}  // namespace

QueryInfo Engine::Impl::queryInfoOf(const PlannedQuery& planned, const std::string& statement_text,
                                    const Session& session) const {
  QueryInfo info;
  info.id = planned.id;
  info.statement_text = statement_text;
  info.sink = planned.sink.name;
  info.sources = {planned.plan->source->name};
  info.schema = planned.plan->output;
  info.topology = planned.topology.describe();
  info.execution_plan = planText(planned.id, stepsOf(*planned.plan, planned.sink.name));
  info.overridden_properties = session.properties;
  return info;
}

QueryDescription Engine::Impl::describeQuery(const QueryInfo& query, std::string state) const {
  QueryDescription description;
  description.id = query.id;
  description.statement_text = query.statement_text;
  description.query_type = query.sink.empty() ? "PUSH" : "PERSISTENT";
  const DataSource* sink = metastore_.source(query.sink);
  description.fields = describeFields(query.schema, sink != nullptr && sink->is_table);
  description.sources = query.sources;
  if (!query.sink.empty()) description.sinks = {query.sink};
  description.topology = query.topology;
  description.execution_plan = query.execution_plan;
  description.overridden_properties = query.overridden_properties;
  description.state = std::move(state);
  return description;
}

Result<StatementResult> Engine::Impl::explain(const Explain& explain, const Statement& statement, Session& session) {
  StatementResult result;
  result.statement_text = statement.text;
  result.kind = StatementResult::Kind::kQueryDescription;
  if (!explain.query_id.empty()) {
    const QueryInfo* query = metastore_.query(explain.query_id);
    if (query == nullptr) {
      return Status::notFound(fmt::format(
          "Query with id:{} does not exist, use SHOW QUERIES to view the full set of queries.", explain.query_id));
    }
    // As ksqlDB, a paused query's streams still run: its state stays RUNNING here.
    result.query_description = describeQuery(*query, "RUNNING");
    return result;
  }
  RUNNEL_ASSIGN_OR_RETURN(result.query_description, explainStatement(explain.statement_text, session));
  return result;
}

// Plans the statement as running it would, and starts nothing.
Result<QueryDescription> Engine::Impl::explainStatement(const std::string& text, Session& session) {
  RUNNEL_ASSIGN_OR_RETURN(auto statement, parse(text, session));
  Result<PlannedQuery> planned = Status::invalidArgument("The provided statement does not run a ksql query");
  if (const auto* create = std::get_if<CreateAsSelect>(&statement.body)) {
    planned = planCreateAsSelect(*create, statement, session);
  } else if (const auto* insert = std::get_if<InsertInto>(&statement.body)) {
    planned = planInsertInto(*insert, session);
  } else if (const auto* select = std::get_if<SelectStatement>(&statement.body)) {
    RUNNEL_ASSIGN_OR_RETURN(auto plan, planQuery(select->query, metastore_, functions_, "", {QueryKind::kPush, false}));
    auto shared = std::make_shared<const QueryPlan>(std::move(plan));
    RUNNEL_ASSIGN_OR_RETURN(auto topology, buildPushTopology(shared, [](const GenericRow&, bool) {}));
    planned = PlannedQuery{fmt::format("transient_{}_{}", shared->source->name, next_query_number_), shared, {},
                           std::move(topology)};
  }
  if (!planned.isOk()) return planned.status();
  return describeQuery(queryInfoOf(*planned, statement.text, session), "");
}

Result<StatementResult> Engine::Impl::pauseResume(const PauseResume& statement) {
  std::vector<QueryInfo*> queries;
  if (statement.all) {
    for (const auto& [id, query] : metastore_.queries()) queries.push_back(metastore_.mutableQuery(id));
  } else {
    QueryInfo* query = metastore_.mutableQuery(statement.query_id);
    if (query == nullptr) return Status::notFound(fmt::format("Unknown queryId: {}", statement.query_id));
    queries.push_back(query);
  }
  for (QueryInfo* query : queries) {
    RUNNEL_RETURN_IF_ERROR(statement.pause ? environment_.pauseQuery(query->id) : environment_.resumeQuery(query->id));
    query->paused = statement.pause;
  }
  return StatementResult{{}, statement.pause ? "Query paused." : "Query resumed.", {}};
}

}  // namespace runnel::sql
