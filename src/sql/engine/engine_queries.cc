#include <fmt/format.h>

#include <chrono>
#include <random>

#include "sql/engine/engine_impl.h"
#include "sql/engine/materialization.h"
#include "sql/engine/query_plan.h"
#include "sql/engine/query_topology.h"
#include "sql/engine/source_definition.h"
#include "sql/engine/with_clause.h"
#include "common/json_reader.h"
#include "sql/expression.h"
#include "sql/format/json_values.h"
#include "streams/topology.h"

namespace runnel::sql {
namespace {

std::string schemaMismatch(const LogicalSchema& result, const LogicalSchema& sink) {
  return fmt::format("Incompatible schema between results and sink.\nResult schema is {}\nSink schema is {}",
                     result.toString(), sink.toString());
}

std::string upperCase(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool sameIgnoringCase(const std::string& a, const std::string& b) { return upperCase(a) == upperCase(b); }

int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PlanOptions Engine::Impl::planOptions(const Session& session) const {
  return {QueryKind::kPersistent, property(session, "ksql.new.query.planner.enabled", "false") == "true"};
}

Result<PlannedQuery> Engine::Impl::planCreateAsSelect(const CreateAsSelect& create, const Statement& statement,
                                                     const Session& session) const {
  const char* kind = create.is_table ? "table" : "stream";
  if (const DataSource* existing = metastore_.source(create.name)) {
    if (!create.or_replace || existing->is_table != create.is_table) {
      return Status::alreadyExists(fmt::format("Cannot add {} '{}': A {} with the same name already exists", kind,
                                               create.name, existing->is_table ? "table" : "stream"));
    }
  }
  if (create.query.limit) {
    return Status::invalidArgument(fmt::format("CREATE {} AS SELECT statements don't support LIMIT clause.",
                                               create.is_table ? "TABLE" : "STREAM"));
  }
  RUNNEL_ASSIGN_OR_RETURN(auto with, WithClause::of(create.properties, createAsSelectProperties()));
  RUNNEL_ASSIGN_OR_RETURN(auto planned, planQuery(create.query, metastore_, functions_, create.name, planOptions(session)));
  auto plan = std::make_shared<const QueryPlan>(std::move(planned));
  if (plan->output_is_table != create.is_table) {
    return Status::invalidArgument(fmt::format(
        "Invalid result type. Your SELECT query produces a {}. Please use CREATE {} AS SELECT statement instead.",
        plan->output_is_table ? "TABLE" : "STREAM", plan->output_is_table ? "TABLE" : "STREAM"));
  }
  const DataSource& input = *plan->source;
  DataSource sink;
  sink.name = create.name;
  sink.is_table = create.is_table;
  sink.schema = plan->output;
  sink.statement_text = statement.text;
  RUNNEL_RETURN_IF_ERROR(applyTimestampProperties(with, sink));
  sink.topic = with.string("KAFKA_TOPIC").value_or(property(session, "ksql.output.topic.name.prefix") + create.name);
  RUNNEL_ASSIGN_OR_RETURN(auto key_format, with.keyFormat());
  RUNNEL_ASSIGN_OR_RETURN(auto value_format, with.valueFormat());
  sink.key_format = key_format ? *key_format : input.key_format;
  if (key_format) RUNNEL_RETURN_IF_ERROR(checkFormatName(key_format->name));
  if (value_format) RUNNEL_RETURN_IF_ERROR(checkFormatName(value_format->name));
  if (sink.schema.key.empty() && key_format && key_format->name != "NONE") {
    return Status::invalidArgument("Key format specified for stream without key columns.");
  }
  if (sink.schema.key.empty() && !key_format) {
    sink.key_format = FormatInfo{"NONE", {}};
  } else if (sink.key_format.name == "NONE" && !key_format) {
    sink.key_format = FormatInfo{property(session, "ksql.persistence.default.format.key", "KAFKA"), {}};
  }
  sink.value_format = value_format ? *value_format : input.value_format;
  if (auto delimiter = with.string("VALUE_DELIMITER"); delimiter && !value_format) {
    sink.value_format.properties["delimiter"] = *delimiter;
  }
  RUNNEL_ASSIGN_OR_RETURN(auto wrap, with.boolean("WRAP_SINGLE_VALUE"));
  sink.wrap_single_value = wrap.value_or(property(session, "ksql.persistence.wrap.single.values", "true") != "false");
  RUNNEL_RETURN_IF_ERROR(checkFormatsFit(sink, wrap.has_value()));

  std::string id = fmt::format("{}_{}_{}", create.is_table ? "CTAS" : "CSAS", create.name, next_query_number_);
  RUNNEL_ASSIGN_OR_RETURN(auto topology, buildQueryTopology(plan, sink, functions_));
  return PlannedQuery{std::move(id), std::move(plan), std::move(sink), std::move(topology)};
}

Result<StatementResult> Engine::Impl::createAsSelect(const CreateAsSelect& create, const Statement& statement,
                                                     Session& session) {
  if (metastore_.source(create.name) != nullptr && create.if_not_exists) {
    return StatementResult{statement.text, "Source already exists", {}};
  }
  RUNNEL_ASSIGN_OR_RETURN(auto planned, planCreateAsSelect(create, statement, session));
  const DataSource& input = *planned.plan->source;
  DataSource& sink = planned.sink;
  const std::string& id = planned.id;
  if (!environment_.describeTopic(sink.topic)) {
    RUNNEL_ASSIGN_OR_RETURN(auto with, WithClause::of(create.properties, createAsSelectProperties()));
    auto source_topic = environment_.describeTopic(input.topic);
    RUNNEL_ASSIGN_OR_RETURN(auto partitions, with.integer("PARTITIONS"));
    RUNNEL_ASSIGN_OR_RETURN(auto replicas, with.integer("REPLICAS"));
    TopicInfo topic{sink.topic, static_cast<int32_t>(partitions.value_or(source_topic ? source_topic->partitions : 1)),
                    static_cast<int16_t>(replicas.value_or(source_topic ? source_topic->replicas : 1))};
    RUNNEL_RETURN_IF_ERROR(environment_.createTopic(topic, {}));
  }
  if (const DataSource* existing = metastore_.source(create.name); existing && !existing->created_by_query.empty()) {
    RUNNEL_RETURN_IF_ERROR(environment_.stopQuery(existing->created_by_query));
    metastore_.removeQuery(existing->created_by_query);
  }
  RUNNEL_RETURN_IF_ERROR(environment_.startQuery(id, planned.topology, streamsConfig(session)));
  ++next_query_number_;
  sink.created_by_query = id;
  if (sink.is_table) {
    auto topic = environment_.describeTopic(sink.topic);
    sink.materialization = std::make_shared<const Materialization>(
        Materialization{id, planned.plan->aggregate ? kAggregateStore : kSourceTableStore, planned.plan,
                        topic ? topic->partitions : 1});
  }
  metastore_.putQuery(queryInfoOf(planned, statement.text, session));
  metastore_.putSource(std::move(sink));
  return StatementResult{statement.text, fmt::format("Created query with ID {}", id), id};
}

Result<PlannedQuery> Engine::Impl::planInsertInto(const InsertInto& insert, const Session& session) const {
  const DataSource* target = metastore_.source(insert.target);
  if (target == nullptr) {
    return Status::notFound(fmt::format("Line: {}, Col: {}: Source `{}` does not exist.", insert.target_location.line,
                                        insert.target_location.column, insert.target));
  }
  if (target->is_table) {
    return Status::invalidArgument(
        fmt::format("INSERT INTO can only be used to insert into a stream. {} is a table.", target->name));
  }
  if (target->is_source) {
    return Status::invalidArgument(fmt::format("Cannot insert into read-only stream: {}", target->name));
  }
  for (const auto& column : target->schema.value) {
    if (column.ns == ColumnNamespace::kHeader) {
      return Status::invalidArgument(
          fmt::format("Cannot insert into {} because it has header columns", target->name));
    }
  }
  if (insert.query.limit) return Status::invalidArgument("INSERT INTO statements don't support LIMIT clause.");
  RUNNEL_ASSIGN_OR_RETURN(auto planned,
                          planQuery(insert.query, metastore_, functions_, target->name, planOptions(session)));
  auto plan = std::make_shared<const QueryPlan>(std::move(planned));
  if (plan->output_is_table) {
    return Status::invalidArgument(
        fmt::format("INSERT INTO can only be used to insert into a stream. {} is a table.", plan->source->name));
  }
  if (!(plan->output == target->schema)) {
    return Status::invalidArgument(schemaMismatch(plan->output, target->schema));
  }
  std::string id = fmt::format("INSERTQUERY_{}", next_query_number_);
  RUNNEL_ASSIGN_OR_RETURN(auto topology, buildQueryTopology(plan, *target, functions_));
  return PlannedQuery{std::move(id), std::move(plan), *target, std::move(topology)};
}

Result<StatementResult> Engine::Impl::insertInto(const InsertInto& insert, const Statement& statement,
                                                 Session& session) {
  RUNNEL_ASSIGN_OR_RETURN(auto planned, planInsertInto(insert, session));
  RUNNEL_RETURN_IF_ERROR(environment_.startQuery(planned.id, planned.topology, streamsConfig(session)));
  ++next_query_number_;
  metastore_.putQuery(queryInfoOf(planned, statement.text, session));
  return StatementResult{statement.text, fmt::format("Created query with ID {}", planned.id), planned.id};
}

Result<StatementResult> Engine::Impl::insertValues(const InsertValues& insert, Session& session) {
  (void)session;
  const DataSource* target = metastore_.source(insert.target);
  if (target == nullptr) {
    std::string message = fmt::format("Cannot insert values into an unknown stream/table: `{}`", insert.target);
    for (const auto& [name, source] : metastore_.sources()) {
      if (!sameIgnoringCase(name, insert.target)) continue;
      bool quoted_here = insert.target != upperCase(insert.target);
      message += quoted_here
                     ? fmt::format("\nDid you mean {}? Hint: try removing double quotes from the source name.", name)
                     : fmt::format("\nDid you mean \"{}\"? Hint: wrap the source name in double quotes to make it "
                                   "case-sensitive.",
                                   name);
    }
    return Status::notFound(message);
  }
  if (target->is_source) {
    return Status::invalidArgument(fmt::format("Cannot insert values into read-only {}: {}",
                                               target->is_table ? "table" : "stream", target->name));
  }
  if (!insert.columns.empty() && insert.columns.size() != insert.values.size()) {
    return Status::invalidArgument(fmt::format("Failed to prepare statement: Expected number columns and values to "
                                               "match: {}, {}", insert.columns.size(), insert.values.size()));
  }
  for (const auto& name : insert.columns) {
    if (name == "ROWPARTITION" || name == "ROWOFFSET") {
      return Status::invalidArgument(fmt::format("Inserting into column `{}` is not allowed.", name));
    }
  }
  std::vector<std::string> columns = insert.columns;
  if (columns.empty()) {
    for (const auto& column : target->schema.key) columns.push_back(column.name);
    for (const auto& column : target->schema.valueColumnsInRecord()) columns.push_back(column.name);
  }
  if (columns.size() != insert.values.size()) {
    return Status::invalidArgument(fmt::format(
        "Expected a value for each column. Expected Columns: {}. Got {} values.", columns.size(),
        insert.values.size()));
  }
  auto value_columns = target->schema.valueColumnsInRecord();
  GenericKey key;
  key.values.resize(target->schema.key.size());
  GenericRow row;
  row.values.resize(value_columns.size());
  int64_t timestamp = nowMillis();
  ExpressionScope no_columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    RUNNEL_ASSIGN_OR_RETURN(auto compiled, compileExpression(*insert.values[i], no_columns, functions_));
    Value value = compiled.evaluate({});
    if (columns[i] == "ROWTIME") {
      if (!value.isNull() && compiled.type()) timestamp = castValue(value, *compiled.type(), *SqlType::bigint()).asBigint();
      continue;
    }
    const Column* column = target->schema.find(columns[i]);
    if (column == nullptr || column->ns == ColumnNamespace::kHeader) {
      return Status::invalidArgument(fmt::format("Column name {} does not exist.", columns[i]));
    }
    if (!value.isNull() && compiled.type() && !sameType(compiled.type(), column->type)) {
      Value cast = castValue(value, *compiled.type(), *column->type);
      if (cast.isNull()) {
        return Status::invalidArgument(fmt::format("Expected type {} for field {} but got {}",
                                                   column->type->toString(), column->name,
                                                   compiled.type()->toString()));
      }
      value = std::move(cast);
    }
    auto place = [&](const std::vector<Column>& list, std::vector<Value>& out) {
      for (size_t c = 0; c < list.size(); ++c) {
        if (list[c].name == column->name) out[c] = value;
      }
    };
    if (column->ns == ColumnNamespace::kKey) {
      place(target->schema.key, key.values);
    } else {
      place(value_columns, row.values);
    }
  }
  RUNNEL_RETURN_IF_ERROR(produceRow(*target, key, row, timestamp));
  return StatementResult{{}, "", {}};
}

Status Engine::Impl::produceRow(const DataSource& target, const GenericKey& key, const GenericRow& row,
                                int64_t timestamp) {
  RUNNEL_ASSIGN_OR_RETURN(auto key_format, makeRowFormat(target.key_format, target.schema.key, true));
  RUNNEL_ASSIGN_OR_RETURN(auto value_format, makeRowFormat(target.value_format, target.schema.valueColumnsInRecord(),
                                                           false, target.wrap_single_value));
  OutgoingRecord record;
  record.timestamp = timestamp;
  std::string key_bytes;
  if (key_format->write(key.values, key_bytes)) record.key = std::move(key_bytes);
  std::string value_bytes;
  if (value_format->write(row.values, value_bytes)) record.value = std::move(value_bytes);
  return environment_.produce(target.topic, std::move(record));
}

Result<std::string> Engine::Impl::insertsStreamTarget(std::string_view target) const {
  // ksqlDB's identifier rules: upper-cased unless quoted.
  std::string name(target);
  if (name.size() >= 2 && (name.front() == '`' || name.front() == '"') && name.back() == name.front()) {
    name = name.substr(1, name.size() - 2);
  } else {
    name = upperCase(name);
  }
  const DataSource* source = metastore_.source(name);
  if (source == nullptr) {
    return Status::notFound(fmt::format("Cannot insert values into an unknown stream: `{}`", name));
  }
  if (source->is_table) return Status::invalidArgument("Cannot insert into a table");
  if (source->is_source) return Status::invalidArgument(fmt::format("Cannot insert values into read-only stream: {}", name));
  return name;
}

Status Engine::Impl::insertJsonRow(const std::string& stream, std::string_view row_json) {
  RUNNEL_ASSIGN_OR_RETURN(auto name, insertsStreamTarget("`" + stream + "`"));
  const DataSource& target = *metastore_.source(name);
  json::Parser parser;
  RUNNEL_ASSIGN_OR_RETURN(auto root, parser.parse(row_json));
  RUNNEL_ASSIGN_OR_RETURN(auto members, root.getObject());
  auto value_columns = target.schema.valueColumnsInRecord();
  GenericKey key;
  key.values.resize(target.schema.key.size());
  GenericRow row;
  row.values.resize(value_columns.size());
  auto place = [](const std::vector<Column>& list, const Column& column, Value value, std::vector<Value>& out) {
    for (size_t c = 0; c < list.size(); ++c) {
      if (list[c].name == column.name) out[c] = value;
    }
  };
  for (auto [member, json_value] : members) {
    // Members name columns ignoring case, as ksqlDB's inserts stream reads them; others
    // are ignored.
    const Column* column = target.schema.find(std::string(member));
    if (column == nullptr) column = target.schema.find(upperCase(std::string(member)));
    if (column == nullptr || column->ns == ColumnNamespace::kHeader) continue;
    Value value;
    RUNNEL_RETURN_IF_ERROR(readJsonValue(json_value, *column->type, value));
    if (column->ns == ColumnNamespace::kKey) {
      place(target.schema.key, *column, std::move(value), key.values);
    } else {
      place(value_columns, *column, std::move(value), row.values);
    }
  }
  return produceRow(target, key, row, nowMillis());
}

Result<Engine::PushQuery> Engine::Impl::startPushQuery(const Query& query, Session& session,
                                                       RowCallback on_row) {
  RUNNEL_ASSIGN_OR_RETURN(auto planned, planQuery(query, metastore_, functions_, "", {QueryKind::kPush, false}));
  auto plan = std::make_shared<const QueryPlan>(std::move(planned));
  Engine::PushQuery push;
  // Unique across restarts too: the id names the query's consumer group.
  push.id = fmt::format("transient_{}_{}", plan->source->name, std::random_device()() % 1000000000000ULL);
  push.limit = query.limit;
  for (const auto& column : plan->output.value) {
    push.column_names.push_back(column.name);
    push.column_types.push_back(column.type ? column.type : SqlType::string());
  }
  RUNNEL_ASSIGN_OR_RETURN(auto topology, buildPushTopology(plan, std::move(on_row)));
  auto config = streamsConfig(session);
  // ksqlDB's push queries start at the end unless told otherwise.
  config.try_emplace("auto.offset.reset", "latest");
  RUNNEL_RETURN_IF_ERROR(environment_.startQuery(push.id, topology, config));
  return push;
}

}  // namespace runnel::sql
