#include "sql/engine/query_topology.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql/engine/materialization.h"
#include "sql/engine/query_processors.h"
#include "sql/engine/row_serdes.h"
#include "streams/kstream.h"
#include "streams/serdes.h"

namespace runnel::sql {
namespace {

using SqlStream = streams::KStream<GenericKey, OptionalRow>;
using SqlTable = streams::KTable<GenericKey, GenericRow>;

struct TopicSerdes {
  streams::SerdePtr<GenericKey> key;
  streams::SerdePtr<OptionalRow> value;
};

Result<TopicSerdes> serdesOf(const DataSource& source) {
  RUNNEL_ASSIGN_OR_RETURN(auto key_format, makeRowFormat(source.key_format, source.schema.key, true));
  RUNNEL_ASSIGN_OR_RETURN(auto value_format, makeRowFormat(source.value_format, source.schema.valueColumnsInRecord(),
                                                           false, source.wrap_single_value));
  return TopicSerdes{keySerde(key_format), streams::Serdes::Optional(rowSerde(value_format))};
}

streams::Materialized<GenericKey, GenericRow> internalStore(const std::string& name) {
  return streams::Materialized<GenericKey, GenericRow>::as(name)
      .withKeySerde(internalKeySerde())
      .withValueSerde(internalRowSerde());
}

// Where the sink's TIMESTAMP column is in its rows, when it has one.
Result<std::optional<SinkTimestamp>> sinkTimestampOf(const DataSource& sink, const FunctionRegistry& functions) {
  if (sink.timestamp_column.empty()) return std::optional<SinkTimestamp>();
  SinkTimestamp timestamp;
  auto named = [&](const Column& column) { return column.name == sink.timestamp_column; };
  const auto& key = sink.schema.key;
  const auto& value = sink.schema.value;
  if (auto at = std::find_if(key.begin(), key.end(), named); at != key.end()) {
    timestamp.in_key = true;
    timestamp.index = static_cast<size_t>(at - key.begin());
  } else if (auto at_value = std::find_if(value.begin(), value.end(), named); at_value != value.end()) {
    timestamp.index = static_cast<size_t>(at_value - value.begin());
  } else {
    return Status::invalidArgument(fmt::format(
        "The TIMESTAMP column set in the WITH clause does not exist in the schema: '{}'", sink.timestamp_column));
  }
  if (!sink.timestamp_format.empty()) {
    RUNNEL_ASSIGN_OR_RETURN(auto parse,
                            functions.bindScalar("STRINGTOTIMESTAMP", {SqlType::string(), SqlType::string()}));
    timestamp.format = sink.timestamp_format;
    timestamp.parse = std::move(parse.invoke);
  }
  return std::optional<SinkTimestamp>(std::move(timestamp));
}

// [group..., aggregate results...] -> HAVING -> projection, as a table of output rows.
SqlTable projectAggregates(const std::shared_ptr<const QueryPlan>& plan, const SqlTable& aggregates) {
  SqlTable results = aggregates.mapValues(
      [plan](const GenericKey& key, const GenericRow& state) { return aggregateResultRow(*plan, key, state); },
      streams::Named::as("Aggregate-Results"));
  if (plan->having) {
    results = results.filter([plan](const GenericKey&, const GenericRow& row) { return passes(plan->having, row.values); },
                             streams::Named::as("Aggregate-HavingFilter"));
  }
  return results.mapValues(
      [plan](const GenericRow& row) {
        GenericRow out;
        evaluateAll(plan->value_exprs, row.values, out.values);
        return out;
      },
      streams::Named::as("Aggregate-Project"));
}

// A stream aggregation: rows regrouped (through a repartition topic) and folded per group.
SqlStream aggregateStream(const std::shared_ptr<const QueryPlan>& plan, const SqlStream& source) {
  SqlStream grouped = source.process([plan] { return std::make_unique<GroupProcessor>(plan); }, {},
                                     streams::Named::as("Aggregate-Prepare"));
  SqlTable aggregates =
      grouped
          .groupByKey(streams::Grouped<GenericKey, OptionalRow>::with(internalKeySerde(),
                                                                      streams::Serdes::Optional(internalRowSerde()))
                          .withName("Aggregate-GroupBy"))
          .aggregate([plan] { return initialAggregates(*plan); },
                     [plan](const GenericKey&, const OptionalRow& arguments, GenericRow state) {
                       return foldAggregates(*plan, *arguments, std::move(state), false);
                     },
                     internalStore(kAggregateStore));
  return projectAggregates(plan, aggregates).toStream(streams::Named::as("Aggregate-ToStream"));
}

// A table read from its topic into the store pull queries read (rows with their times,
// materialization.h). Records without a key are dropped, as a table cannot hold them.
SqlTable materializeSourceTable(const SqlStream& source) {
  return source
      .filter([](const GenericKey& key, const OptionalRow&) { return !hasNullKey(key); },
              streams::Named::as("KsqlTopic-NullKeyFilter"))
      .processValues([] { return std::make_unique<RowtimeAppender>(); }, {}, streams::Named::as("KsqlTopic-Rowtime"))
      .toTable(streams::Named::as(kSourceTableStore), internalStore(kSourceTableStore));
}

// A table aggregation: each update subtracts the row's old values from its old group
// and adds the new ones to the new group.
SqlStream aggregateTable(const std::shared_ptr<const QueryPlan>& plan, const SqlStream& source) {
  SqlTable table = materializeSourceTable(source);
  // A row counts when WHERE holds and no group column is NULL.
  auto prepare = [plan](const GenericKey& key, const GenericRow& value, GenericKey* group, GenericRow* arguments) {
    std::vector<Value> row;
    SourceRowBuilder(plan->layout).fill(key, value, rowtimeOf(value), {}, std::nullopt, row);
    if (!passes(plan->where, row)) return false;
    GenericKey group_key;
    if (!groupKey(*plan, row, group_key)) return false;
    if (group != nullptr) *group = std::move(group_key);
    if (arguments != nullptr) aggregateArguments(*plan, row, *arguments);
    return true;
  };
  SqlTable filtered = table.filter(
      [prepare](const GenericKey& key, const GenericRow& value) { return prepare(key, value, nullptr, nullptr); },
      streams::Named::as("Aggregate-Prepare-Filter"));
  SqlTable aggregates =
      filtered
          .groupBy(
              [prepare](const GenericKey& key, const GenericRow& value) {
                streams::KeyValue<GenericKey, GenericRow> out;
                prepare(key, value, &out.key, &out.value);
                return out;
              },
              streams::Grouped<GenericKey, GenericRow>::with(internalKeySerde(), internalRowSerde())
                  .withName("Aggregate-GroupBy"))
          .aggregate([plan] { return initialAggregates(*plan); },
                     [plan](const GenericKey&, const GenericRow& arguments, GenericRow state) {
                       return foldAggregates(*plan, arguments, std::move(state), false);
                     },
                     [plan](const GenericKey&, const GenericRow& arguments, GenericRow state) {
                       return foldAggregates(*plan, arguments, std::move(state), true);
                     },
                     internalStore(kAggregateStore));
  return projectAggregates(plan, aggregates).toStream(streams::Named::as("Aggregate-ToStream"));
}

// `materialize`: a table source is first read into a store that pull queries of the
// result read (a CTAS); a push query needs none.
SqlStream runPlan(const std::shared_ptr<const QueryPlan>& plan, const SqlStream& source, bool materialize) {
  if (!plan->aggregate) {
    SqlStream rows = source;
    if (materialize && plan->source->is_table) {
      rows = materializeSourceTable(source).toStream(streams::Named::as("KsqlTopic-ToStream"));
    }
    return rows.process([plan] { return std::make_unique<SelectProcessor>(plan); }, {},
                        streams::Named::as("Project"));
  }
  return plan->source->is_table ? aggregateTable(plan, source) : aggregateStream(plan, source);
}

// The row a push query reports for a deleted key: the projection over the key's columns,
// every other column NULL.
GenericRow tombstoneRow(const QueryPlan& plan, const GenericKey& key) {
  std::vector<Value> input;
  if (plan.aggregate) {
    input = key.values;
    input.resize(key.values.size() + plan.aggregates.size());
  } else {
    SourceRowBuilder(plan.layout).fill(key, GenericRow{}, 0, {}, std::nullopt, input);
  }
  GenericRow row;
  evaluateAll(plan.value_exprs, input, row.values);
  return row;
}

SqlStream sourceStream(streams::StreamsBuilder& builder, const DataSource& source, const TopicSerdes& serdes) {
  return builder.stream<GenericKey, OptionalRow>(
      source.topic, streams::Consumed<GenericKey, OptionalRow>::with(serdes.key, serdes.value).withName("KsqlTopic-Source"));
}

}  // namespace

Result<streams::Topology> buildPushTopology(std::shared_ptr<const QueryPlan> plan, RowCallback on_row) {
  streams::StreamsBuilder builder;
  RUNNEL_ASSIGN_OR_RETURN(auto source_serdes, serdesOf(*plan->source));
  SqlStream source = sourceStream(builder, *plan->source, source_serdes);
  runPlan(plan, source, false).foreach (
      [plan, on_row = std::move(on_row)](const GenericKey& key, const OptionalRow& row) {
        if (row) {
          on_row(*row, false);
        } else if (plan->output_is_table) {
          on_row(tombstoneRow(*plan, key), true);
        }
      },
      streams::Named::as("PushQuery-Sink"));
  return builder.build();
}

Result<streams::Topology> buildQueryTopology(std::shared_ptr<const QueryPlan> plan, const DataSource& sink,
                                             const FunctionRegistry& functions) {
  streams::StreamsBuilder builder;
  RUNNEL_ASSIGN_OR_RETURN(auto source_serdes, serdesOf(*plan->source));
  RUNNEL_ASSIGN_OR_RETURN(auto sink_serdes, serdesOf(sink));
  RUNNEL_ASSIGN_OR_RETURN(auto timestamp, sinkTimestampOf(sink, functions));
  SqlStream source = sourceStream(builder, *plan->source, source_serdes);
  SqlStream output = runPlan(plan, source, true);
  if (timestamp) {
    output = output.processValues([timestamp = *timestamp] { return std::make_unique<SinkTimestampSetter>(timestamp); },
                                  {}, streams::Named::as("ApplyTimestampTransform-" + sink.name));
  }
  output.to(sink.topic, streams::Produced<GenericKey, OptionalRow>::with(sink_serdes.key, sink_serdes.value)
                            .withName("KsqlTopic-Sink"));
  return builder.build();
}

Result<streams::Topology> buildSourceTableTopology(const DataSource& table) {
  streams::StreamsBuilder builder;
  RUNNEL_ASSIGN_OR_RETURN(auto serdes, serdesOf(table));
  materializeSourceTable(sourceStream(builder, table, serdes));
  return builder.build();
}

}  // namespace runnel::sql
