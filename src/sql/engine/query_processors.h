#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sql/engine/query_plan.h"
#include "sql/value.h"
#include "streams/processor.h"

namespace runnel::sql {

using OptionalRow = std::optional<GenericRow>;

// Fills a query's flat source row from one record; the row's storage is reused.
class SourceRowBuilder {
 public:
  explicit SourceRowBuilder(const SourceLayout& layout) : layout_(layout) {}
  // Returns the record's time (the TIMESTAMP column's when there is one), or -1 when that
  // column holds no valid time: the record is then skipped, as Kafka Streams'
  // LogAndSkipOnInvalidTimestamp does.
  int64_t fill(const GenericKey& key, const GenericRow& value, int64_t timestamp, const streams::Headers& headers,
               const std::optional<streams::RecordMetadata>& metadata, std::vector<Value>& row) const;

 private:
  const SourceLayout& layout_;
};

// Evaluates `exprs` over `row` into `out`.
void evaluateAll(const std::vector<CompiledExpression>& exprs, std::span<const Value> row, std::vector<Value>& out);
// WHERE / HAVING: only TRUE passes (NULL and FALSE do not).
bool passes(const std::optional<CompiledExpression>& predicate, std::span<const Value> row);

// What the per-record steps of a query share: the plan, the flat row and the context.
class RowProcessor : public streams::Processor<GenericKey, OptionalRow, GenericKey, OptionalRow> {
 public:
  explicit RowProcessor(std::shared_ptr<const QueryPlan> plan) : plan_(std::move(plan)), rows_(plan_->layout) {}
  void init(streams::ProcessorContext<GenericKey, OptionalRow>& context) override { context_ = &context; }

 protected:
  std::shared_ptr<const QueryPlan> plan_;
  SourceRowBuilder rows_;
  streams::ProcessorContext<GenericKey, OptionalRow>* context_ = nullptr;
  std::vector<Value> row_;
};

// The per-record step of a query that does not aggregate: WHERE, then the new key
// (PARTITION BY) and the projection. On a stream a failing row is dropped; on a table it
// becomes a tombstone, as Kafka's KTable filter forwards one.
class SelectProcessor final : public RowProcessor {
 public:
  using RowProcessor::RowProcessor;
  void process(const streams::Record<GenericKey, OptionalRow>& record) override;
};

// The per-record step before a stream aggregation: WHERE, then the group key and the
// aggregate arguments. Rows with a NULL group column are dropped, as ksqlDB drops them.
class GroupProcessor final : public RowProcessor {
 public:
  using RowProcessor::RowProcessor;
  void process(const streams::Record<GenericKey, OptionalRow>& record) override;
};

// Appends each row's record time to it, for a table materialized in a store
// (materialization.h: withRowtime).
class RowtimeAppender final : public streams::FixedKeyProcessor<GenericKey, OptionalRow, OptionalRow> {
 public:
  void init(streams::FixedKeyProcessorContext<GenericKey, OptionalRow>& context) override { context_ = &context; }
  void process(const streams::FixedKeyRecord<GenericKey, OptionalRow>& record) override;

 private:
  streams::FixedKeyProcessorContext<GenericKey, OptionalRow>* context_ = nullptr;
};

// CSAS / CTAS / INSERT INTO a source WITH (TIMESTAMP='col'): each record written gets the
// column's value as its time. `parse` reads a STRING column with TIMESTAMP_FORMAT.
struct SinkTimestamp {
  bool in_key = false;
  size_t index = 0;
  std::string format;
  std::function<Value(std::span<const Value>)> parse;
};

// Sets each record's time from its sink's TIMESTAMP column. A record whose column holds no
// valid time (NULL, negative, unparsable) is dropped, as ksqlDB's sink drops it; a
// tombstone of a value-column time keeps the time it has.
class SinkTimestampSetter final : public streams::FixedKeyProcessor<GenericKey, OptionalRow, OptionalRow> {
 public:
  explicit SinkTimestampSetter(SinkTimestamp timestamp) : timestamp_(std::move(timestamp)) {}
  void init(streams::FixedKeyProcessorContext<GenericKey, OptionalRow>& context) override { context_ = &context; }
  void process(const streams::FixedKeyRecord<GenericKey, OptionalRow>& record) override;

 private:
  SinkTimestamp timestamp_;
  streams::FixedKeyProcessorContext<GenericKey, OptionalRow>* context_ = nullptr;
};

// True when the key has columns and all are NULL (a source without key columns reads
// keys without columns).
bool hasNullKey(const GenericKey& key);

// The aggregate arguments of a source row, all calls' in order, then its ROWTIME.
void aggregateArguments(const QueryPlan& plan, std::span<const Value> row, GenericRow& out);
// The group key of a source row; false when a group column is NULL.
bool groupKey(const QueryPlan& plan, std::span<const Value> row, GenericKey& out);

// Aggregation state: one Value per aggregate call, then the latest ROWTIME folded in.
GenericRow initialAggregates(const QueryPlan& plan);
GenericRow foldAggregates(const QueryPlan& plan, const GenericRow& arguments, GenericRow state, bool undo);
// [group columns..., aggregate results...]: the row the projection and HAVING read.
GenericRow aggregateResultRow(const QueryPlan& plan, const GenericKey& key, const GenericRow& state);

}  // namespace runnel::sql
