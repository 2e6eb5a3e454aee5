#include "sql/engine/query_topology.h"

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
                     internalStore("Aggregate-Aggregate-Materialize"));
  return projectAggregates(plan, aggregates).toStream(streams::Named::as("Aggregate-ToStream"));
}

// A table aggregation: each update subtracts the row's old values from its old group
// and adds the new ones to the new group.
SqlStream aggregateTable(const std::shared_ptr<const QueryPlan>& plan, const SqlStream& source) {
  SqlTable table = source
                       .filter([plan](const GenericKey& key, const OptionalRow&) { return !hasNullKey(*plan, key); },
                               streams::Named::as("KsqlTopic-NullKeyFilter"))
                       .toTable(streams::Named::as("KsqlTopic-Reduce"), internalStore("KsqlTopic-Reduce"));
  // A row counts when WHERE holds and no group column is NULL.
  auto prepare = [plan](const GenericKey& key, const GenericRow& value, GenericKey* group, GenericRow* arguments) {
    std::vector<Value> row;
    SourceRowBuilder(plan->layout).fill(key, value, 0, {}, std::nullopt, row);
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
                     internalStore("Aggregate-Aggregate-Materialize"));
  return projectAggregates(plan, aggregates).toStream(streams::Named::as("Aggregate-ToStream"));
}

SqlStream runPlan(const std::shared_ptr<const QueryPlan>& plan, const SqlStream& source) {
  if (!plan->aggregate) {
    return source.process([plan] { return std::make_unique<SelectProcessor>(plan); }, {},
                          streams::Named::as("Project"));
  }
  return plan->source->is_table ? aggregateTable(plan, source) : aggregateStream(plan, source);
}

}  // namespace

Result<streams::Topology> buildPushTopology(std::shared_ptr<const QueryPlan> plan, RowCallback on_row) {
  streams::StreamsBuilder builder;
  RUNNEL_ASSIGN_OR_RETURN(auto source_serdes, serdesOf(*plan->source));
  SqlStream source = builder.stream<GenericKey, OptionalRow>(
      plan->source->topic, streams::Consumed<GenericKey, OptionalRow>::with(source_serdes.key, source_serdes.value)
                               .withName("KsqlTopic-Source"));
  runPlan(plan, source).foreach (
      [on_row = std::move(on_row)](const GenericKey&, const OptionalRow& row) {
        if (row) on_row(*row);
      },
      streams::Named::as("PushQuery-Sink"));
  return builder.build();
}

Result<streams::Topology> buildQueryTopology(std::shared_ptr<const QueryPlan> plan, const DataSource& sink) {
  streams::StreamsBuilder builder;
  RUNNEL_ASSIGN_OR_RETURN(auto source_serdes, serdesOf(*plan->source));
  RUNNEL_ASSIGN_OR_RETURN(auto sink_serdes, serdesOf(sink));
  SqlStream source = builder.stream<GenericKey, OptionalRow>(
      plan->source->topic, streams::Consumed<GenericKey, OptionalRow>::with(source_serdes.key, source_serdes.value)
                               .withName("KsqlTopic-Source"));
  runPlan(plan, source).to(sink.topic, streams::Produced<GenericKey, OptionalRow>::with(sink_serdes.key, sink_serdes.value)
                                           .withName("KsqlTopic-Sink"));
  return builder.build();
}

}  // namespace runnel::sql
