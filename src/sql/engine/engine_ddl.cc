#include <fmt/format.h>

#include "sql/engine/engine_impl.h"
#include "sql/engine/materialization.h"
#include "sql/engine/query_topology.h"
#include "sql/engine/source_definition.h"
#include "sql/engine/with_clause.h"

namespace runnel::sql {
namespace {

const char* kindOf(bool is_table) { return is_table ? "table" : "stream"; }
const char* kindTitle(bool is_table) { return is_table ? "Table" : "Stream"; }

bool isReservedName(const std::string& name) {
  return name == "ROWTIME" || name == "ROWPARTITION" || name == "ROWOFFSET" || name == "WINDOWSTART" ||
         name == "WINDOWEND";
}

Result<LogicalSchema> schemaOf(const CreateSource& create) {
  LogicalSchema schema;
  std::set<std::string> names;
  bool headers_seen = false;
  for (const auto& element : create.elements) {
    if (isReservedName(element.name)) {
      return Status::invalidArgument(
          fmt::format("'{}' is a reserved column name. You cannot use it as a name for a column.", element.name));
    }
    if (!names.insert(element.name).second) {
      return Status::invalidArgument(fmt::format("Duplicate column names:\n{}", element.name));
    }
    switch (element.constraint) {
      case ColumnConstraint::kKey:
        if (create.is_table) {
          return Status::invalidArgument(fmt::format(
              "Column `{}` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which "
              "are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.",
              element.name));
        }
        schema.key.push_back({element.name, element.type, ColumnNamespace::kKey});
        break;
      case ColumnConstraint::kPrimaryKey:
        if (!create.is_table) {
          return Status::invalidArgument(fmt::format(
              "Column `{}` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which "
              "are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.",
              element.name));
        }
        schema.key.push_back({element.name, element.type, ColumnNamespace::kKey});
        break;
      case ColumnConstraint::kHeaders:
      case ColumnConstraint::kHeader: {
        bool all = element.constraint == ColumnConstraint::kHeaders;
        if (all && headers_seen) {
          return Status::invalidArgument("Schema already contains a HEADERS column.");
        }
        headers_seen = headers_seen || all;
        auto expected = SqlType::array(SqlType::structType({{"KEY", SqlType::string()}, {"VALUE", SqlType::bytes()}}));
        if (all && !sameType(element.type, expected)) {
          return Status::invalidArgument(fmt::format(
              "Invalid type for HEADERS column: expected ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>, got {}",
              element.type->toString()));
        }
        if (!all && element.type->kind != TypeKind::kBytes) {
          return Status::invalidArgument(fmt::format(
              "Invalid type for HEADER('{}') column: expected BYTES, got {}", element.header_key,
              element.type->toString()));
        }
        schema.value.push_back({element.name, element.type, ColumnNamespace::kHeader, element.header_key});
        break;
      }
      case ColumnConstraint::kNone:
        schema.value.push_back({element.name, element.type, ColumnNamespace::kValue});
        break;
    }
  }
  if (create.is_table && schema.key.empty() && !create.elements.empty()) {
    return Status::invalidArgument("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.");
  }
  return schema;
}

}  // namespace

Result<StatementResult> Engine::Impl::createSource(const CreateSource& create, const Statement& statement,
                                                   Session& session) {
  if (create.or_replace && create.is_source) {
    return Status::invalidArgument(
        fmt::format("Cannot add {} '{}': CREATE OR REPLACE is not supported on source {}s.", kindOf(create.is_table),
                    create.name, kindOf(create.is_table)));
  }
  if (const DataSource* existing = metastore_.source(create.name)) {
    if (create.or_replace && existing->is_source) {
      return Status::invalidArgument(fmt::format("Cannot add {} '{}': CREATE OR REPLACE is not supported on source {}s.",
                                                 kindOf(existing->is_table), create.name, kindOf(existing->is_table)));
    }
    if (create.if_not_exists) {
      return StatementResult{statement.text, fmt::format("{} already exists", kindTitle(create.is_table)), {}};
    }
    if (!create.or_replace) {
      return Status::alreadyExists(fmt::format("Cannot add {} '{}': A {} with the same name already exists",
                                               kindOf(create.is_table), create.name, kindOf(existing->is_table)));
    }
  }
  RUNNEL_ASSIGN_OR_RETURN(auto with, WithClause::of(create.properties, createSourceProperties()));
  DataSource source;
  source.name = create.name;
  source.is_table = create.is_table;
  source.is_source = create.is_source;
  source.statement_text = statement.text;
  RUNNEL_ASSIGN_OR_RETURN(source.schema, schemaOf(create));
  auto topic = with.string("KAFKA_TOPIC");
  if (!topic) return Status::invalidArgument("Missing required property \"KAFKA_TOPIC\" which has no default value.");
  source.topic = *topic;

  RUNNEL_ASSIGN_OR_RETURN(auto key_format, with.keyFormat());
  RUNNEL_ASSIGN_OR_RETURN(auto value_format, with.valueFormat());
  if (!value_format) {
    std::string fallback = property(session, "ksql.persistence.default.format.value");
    if (fallback.empty()) {
      return Status::invalidArgument(
          "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default "
          "via the 'ksql.persistence.default.format.value' config.");
    }
    value_format = FormatInfo{fallback, {}};
  }
  if (!key_format) key_format = FormatInfo{property(session, "ksql.persistence.default.format.key", "KAFKA"), {}};
  // ksqlDB keys a source without key columns with NONE, whatever the default.
  if (source.schema.key.empty() && !with.has("KEY_FORMAT") && !with.has("FORMAT")) {
    key_format = FormatInfo{"NONE", {}};
  }
  source.key_format = *key_format;
  source.value_format = *value_format;
  RUNNEL_ASSIGN_OR_RETURN(auto wrap, with.boolean("WRAP_SINGLE_VALUE"));
  source.wrap_single_value = wrap.value_or(property(session, "ksql.persistence.wrap.single.values", "true") != "false");
  RUNNEL_RETURN_IF_ERROR(checkFormatsFit(source, wrap.has_value()));
  RUNNEL_RETURN_IF_ERROR(applyTimestampProperties(with, source));

  if (!environment_.describeTopic(source.topic)) {
    RUNNEL_ASSIGN_OR_RETURN(auto partitions, with.integer("PARTITIONS"));
    if (!partitions) {
      return Status::notFound(fmt::format("Kafka topic does not exist: {}", source.topic));
    }
    RUNNEL_ASSIGN_OR_RETURN(auto replicas, with.integer("REPLICAS"));
    RUNNEL_RETURN_IF_ERROR(environment_.createTopic(
        {source.topic, static_cast<int32_t>(*partitions), static_cast<int16_t>(replicas.value_or(1))}, {}));
  }
  if (source.is_source && source.is_table) RUNNEL_RETURN_IF_ERROR(materializeSourceTable(source, session));
  metastore_.putSource(std::move(source));
  return StatementResult{statement.text, fmt::format("{} created", kindTitle(create.is_table)), {}};
}

// ALTER STREAM|TABLE ... ADD COLUMN: new value columns, as ksqlDB's DdlCommandExec adds
// them. Queries already running keep the schema they were started with.
Result<StatementResult> Engine::Impl::alterSource(const AlterSource& alter, const Statement& statement,
                                                  const Session& session) {
  const DataSource* existing = metastore_.source(alter.name);
  if (existing == nullptr) return Status::notFound(fmt::format("Source {} does not exist.", alter.name));
  if (existing->is_table != alter.is_table) {
    return Status::invalidArgument(fmt::format("Incompatible data source type is {}, but statement was ALTER {}",
                                               existing->is_table ? "TABLE" : "STREAM",
                                               alter.is_table ? "TABLE" : "STREAM"));
  }
  if (!existing->is_source && !existing->created_by_query.empty()) {
    return Status::invalidArgument("ALTER command is not supported for CREATE ... AS statements.");
  }
  DataSource altered = *existing;
  for (const auto& element : alter.add_columns) {
    if (isReservedName(element.name)) {
      return Status::invalidArgument(
          fmt::format("'{}' is a reserved column name. You cannot use it as a name for a column.", element.name));
    }
    if (altered.schema.find(element.name) != nullptr) {
      return Status::invalidArgument(fmt::format(
          "Cannot add column `{}` to schema. A column with the same name already exists.", element.name));
    }
    altered.schema.value.push_back({element.name, element.type, ColumnNamespace::kValue});
  }
  RUNNEL_RETURN_IF_ERROR(checkFormatsFit(altered, false));
  altered.statement_text = statement.text;
  // A source table's store holds rows of its old schema: it is read again into a new one.
  if (altered.isQueryable()) {
    RUNNEL_RETURN_IF_ERROR(environment_.stopQuery(altered.created_by_query));
    metastore_.removeQuery(altered.created_by_query);
    RUNNEL_RETURN_IF_ERROR(materializeSourceTable(altered, session));
  }
  metastore_.putSource(std::move(altered));
  return StatementResult{statement.text, fmt::format("{} {} altered.", kindTitle(alter.is_table), alter.name), {}};
}

// ksqlDB keeps a source table in a store, for pull queries, with a query of its own.
Status Engine::Impl::materializeSourceTable(DataSource& table, const Session& session) {
  std::string id = fmt::format("CST_{}_{}", table.name, next_query_number_);
  RUNNEL_ASSIGN_OR_RETURN(auto topology, buildSourceTableTopology(table));
  RUNNEL_RETURN_IF_ERROR(environment_.startQuery(id, topology, streamsConfig(session)));
  ++next_query_number_;
  auto topic = environment_.describeTopic(table.topic);
  table.created_by_query = id;
  table.materialization = std::make_shared<const Materialization>(
      Materialization{id, kSourceTableStore, nullptr, topic ? topic->partitions : 1});
  QueryInfo query{id, table.statement_text, table.name, {}, false};
  query.schema = table.schema;
  query.topology = topology.describe();
  metastore_.putQuery(std::move(query));
  return Status::ok();
}

Result<StatementResult> Engine::Impl::createType(const CreateType& create) {
  if (metastore_.type(create.name)) {
    if (create.if_not_exists) return StatementResult{{}, "Type already exists", {}};
    return Status::alreadyExists(fmt::format(
        "Cannot register custom type '{}' since it is already registered with type: {}", create.name,
        metastore_.type(create.name)->toString()));
  }
  metastore_.putType(create.name, create.type);
  return StatementResult{{}, fmt::format("Registered custom type with name '{}' and SQL type {}", create.name,
                                         create.type->toString()), {}};
}

Result<StatementResult> Engine::Impl::dropType(const DropType& drop) {
  if (!metastore_.removeType(drop.name) && !drop.if_exists) {
    return Status::notFound(fmt::format("Type {} does not exist.", drop.name));
  }
  return StatementResult{{}, fmt::format("Dropped type '{}'", drop.name), {}};
}

Result<StatementResult> Engine::Impl::dropSource(const DropSource& drop) {
  const DataSource* source = metastore_.source(drop.name);
  if (source == nullptr) {
    if (drop.if_exists) return StatementResult{{}, fmt::format("Source `{}` does not exist.", drop.name), {}};
    return Status::notFound(fmt::format("Source {} does not exist.", drop.name));
  }
  if (source->is_table != drop.is_table) {
    return Status::invalidArgument(fmt::format("Incompatible data source type is {}, but statement was DROP {}",
                                               source->is_table ? "TABLE" : "STREAM", drop.is_table ? "TABLE" : "STREAM"));
  }
  if (drop.delete_topic && source->is_source) {
    return Status::invalidArgument(fmt::format("Cannot delete topic for read-only source: {}", drop.name));
  }
  // The query that created the source goes with it, as in ksqlDB; others must be
  // terminated first.
  std::vector<std::string> readers = metastore_.queriesReading(drop.name);
  std::vector<std::string> writers;
  for (const auto& id : metastore_.queriesWriting(drop.name)) {
    if (id != source->created_by_query) writers.push_back(id);
  }
  if (!readers.empty() || !writers.empty()) {
    auto list = [](const std::vector<std::string>& ids) {
      std::string out;
      for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
      return "[" + out + "]";
    };
    return Status::invalidArgument(fmt::format(
        "Cannot drop {}.\nThe following queries read from this source: {}.\nThe following queries write into this "
        "source: {}.\nYou need to terminate them before dropping {}.",
        drop.name, list(readers), list(writers), drop.name));
  }
  std::string topic = source->topic;
  if (!source->created_by_query.empty()) {
    RUNNEL_RETURN_IF_ERROR(environment_.stopQuery(source->created_by_query));
    metastore_.removeQuery(source->created_by_query);
  }
  metastore_.removeSource(drop.name);
  if (drop.delete_topic) RUNNEL_RETURN_IF_ERROR(environment_.deleteTopic(topic));
  return StatementResult{{}, fmt::format("Source `{}` (topic: {}) was dropped.", drop.name, topic), {}};
}

Result<StatementResult> Engine::Impl::terminate(const Terminate& terminate) {
  std::vector<std::string> ids;
  if (terminate.all) {
    for (const auto& [id, query] : metastore_.queries()) ids.push_back(id);
  } else {
    if (metastore_.query(terminate.query_id) == nullptr) {
      return Status::notFound(fmt::format("Unknown queryId: {}", terminate.query_id));
    }
    ids.push_back(terminate.query_id);
  }
  for (const auto& id : ids) {
    RUNNEL_RETURN_IF_ERROR(environment_.stopQuery(id));
    metastore_.removeQuery(id);
  }
  return StatementResult{{}, "Query terminated.", {}};
}

}  // namespace runnel::sql
