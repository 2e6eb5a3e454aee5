#include <fmt/format.h>

#include "sql/engine/engine_impl.h"

namespace runnel::sql {
namespace {

SourceSummary summaryOf(const DataSource& source) {
  return {source.name, source.is_table ? "TABLE" : "STREAM", source.topic, source.key_format.name,
          source.value_format.name, false};
}

}  // namespace

std::vector<FieldDescription> describeFields(const LogicalSchema& schema, bool is_table) {
  std::vector<FieldDescription> fields;
  for (const auto& column : schema.key) {
    fields.push_back({column.name, column.type->toString(), is_table ? "PRIMARY KEY" : "KEY"});
  }
  for (const auto& column : schema.value) fields.push_back({column.name, column.type->toString(), {}});
  return fields;
}

Result<StatementResult> Engine::Impl::show(const Show& show, const Statement& statement, const Session& session) {
  StatementResult result;
  result.statement_text = statement.text;
  switch (show.what) {
    case ShowWhat::kStreams:
    case ShowWhat::kTables: {
      bool tables = show.what == ShowWhat::kTables;
      result.kind = tables ? StatementResult::Kind::kTables : StatementResult::Kind::kStreams;
      for (const auto& [name, source] : metastore_.sources()) {
        if (source.is_table == tables) result.sources.push_back(summaryOf(source));
      }
      break;
    }
    case ShowWhat::kQueries:
      result.kind = StatementResult::Kind::kQueries;
      for (const auto& [id, query] : metastore_.queries()) {
        const DataSource* sink = metastore_.source(query.sink);
        result.queries.push_back({id, query.statement_text, query.sink, sink ? sink->topic : "",
                                  query.paused ? "PAUSED" : "RUNNING"});
      }
      break;
    case ShowWhat::kTopics:
      result.kind = StatementResult::Kind::kTopics;
      for (auto& topic : environment_.listTopics()) {
        if (show.all || topic.rfind("_", 0) != 0) result.names.push_back(std::move(topic));
      }
      break;
    case ShowWhat::kProperties:
      result.kind = StatementResult::Kind::kProperties;
      result.properties = config_;
      for (const auto& [name, value] : session.properties) result.properties[name] = value;
      break;
    case ShowWhat::kVariables:
      result.kind = StatementResult::Kind::kVariables;
      result.properties = session.variables;
      break;
    case ShowWhat::kTypes:
      result.kind = StatementResult::Kind::kTypes;
      for (const auto& [name, type] : metastore_.types()) result.properties[name] = type->toString();
      break;
    case ShowWhat::kFunctions:
      result.kind = StatementResult::Kind::kFunctions;
      for (const auto& function : functions_.list()) result.properties[function.name] = function.type;
      break;
    case ShowWhat::kConnectors:
      return Status::unsupported("Connectors are not supported.");
  }
  return result;
}

Result<StatementResult> Engine::Impl::describe(const Describe& describe, const Statement& statement) {
  if (describe.all_streams || describe.all_tables) {
    return Status::unsupported("DESCRIBE STREAMS / DESCRIBE TABLES is not supported yet.");
  }
  const DataSource* source = metastore_.source(describe.name);
  if (source == nullptr) {
    return Status::notFound(fmt::format("Could not find STREAM/TABLE '{}' in the Metastore", describe.name));
  }
  SourceDescription description;
  description.summary = summaryOf(*source);
  description.extended = describe.extended;
  description.statement_text = source->statement_text;
  description.timestamp_column = source->timestamp_column;
  description.fields = describeFields(source->schema, source->is_table);
  description.read_queries = metastore_.queriesReading(source->name);
  description.write_queries = metastore_.queriesWriting(source->name);
  if (auto topic = environment_.describeTopic(source->topic)) {
    description.partitions = topic->partitions;
    description.replicas = topic->replicas;
  }
  StatementResult result;
  result.statement_text = statement.text;
  result.kind = StatementResult::Kind::kDescription;
  result.description = std::move(description);
  return result;
}

Result<StatementResult> Engine::Impl::describeFunction(const DescribeFunction& describe, const Statement& statement) {
  RUNNEL_ASSIGN_OR_RETURN(auto function, functions_.describe(describe.name));
  StatementResult result;
  result.statement_text = statement.text;
  result.kind = StatementResult::Kind::kFunctionDescription;
  result.function = std::move(function);
  return result;
}

}  // namespace runnel::sql
