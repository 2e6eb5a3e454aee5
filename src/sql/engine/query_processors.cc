#include "sql/engine/query_processors.h"

#include "sql/engine/materialization.h"

namespace runnel::sql {
namespace {

Value headersValue(const streams::Headers& headers) {
  std::vector<Value> items;
  items.reserve(headers.size());
  for (const auto& header : headers) {
    Value value = header.value ? Value(Bytes{*header.value}) : Value::null();
    items.push_back(Value::structOf({Value(header.key), std::move(value)}));
  }
  return Value::array(std::move(items));
}

Value lastHeader(const streams::Headers& headers, const std::string& key) {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->key == key) return it->value ? Value(Bytes{*it->value}) : Value::null();
  }
  return Value::null();
}

// The time a TIMESTAMP column's value stands for, -1 when none.
int64_t timestampOf(const Value& value, const std::string& format,
                    const std::function<Value(std::span<const Value>)>& parse) {
  if (value.is<int64_t>()) return value.asBigint();
  if (value.is<Timestamp>()) return value.as<Timestamp>().millis;
  if (value.is<std::string>() && parse) {
    Value parsed = parse(std::vector<Value>{value, Value(format)});
    if (parsed.is<int64_t>()) return parsed.asBigint();
    if (parsed.is<Timestamp>()) return parsed.as<Timestamp>().millis;
  }
  return -1;
}

}  // namespace

int64_t SourceRowBuilder::fill(const GenericKey& key, const GenericRow& value, int64_t timestamp,
                               const streams::Headers& headers,
                               const std::optional<streams::RecordMetadata>& metadata,
                               std::vector<Value>& row) const {
  row.resize(layout_.width);
  for (int i = 0; i < layout_.key_count; ++i) {
    row[i] = i < static_cast<int>(key.values.size()) ? key.values[i] : Value::null();
  }
  for (size_t i = 0; i < layout_.value_positions.size(); ++i) {
    row[layout_.value_positions[i]] = i < value.values.size() ? value.values[i] : Value::null();
  }
  for (const auto& header : layout_.headers) {
    row[header.position] = header.key.empty() ? headersValue(headers) : lastHeader(headers, header.key);
  }
  if (layout_.timestamp_position >= 0) {
    timestamp = timestampOf(row[layout_.timestamp_position], layout_.timestamp_format, layout_.parse_timestamp);
    if (timestamp < 0) return -1;
  }
  row[layout_.rowtime] = Value(timestamp);
  row[layout_.rowpartition] = metadata ? Value(metadata->partition) : Value::null();
  row[layout_.rowoffset] = metadata ? Value(metadata->offset) : Value::null();
  return timestamp;
}

void evaluateAll(const std::vector<CompiledExpression>& exprs, std::span<const Value> row, std::vector<Value>& out) {
  out.clear();
  out.reserve(exprs.size());
  for (const auto& expr : exprs) out.push_back(expr.evaluate(row));
}

bool passes(const std::optional<CompiledExpression>& predicate, std::span<const Value> row) {
  if (!predicate) return true;
  Value result = predicate->evaluate(row);
  return result.is<bool>() && result.asBool();
}

bool hasNullKey(const GenericKey& key) {
  if (key.values.empty()) return false;
  for (const auto& value : key.values) {
    if (!value.isNull()) return false;
  }
  return true;
}

void SelectProcessor::process(const streams::Record<GenericKey, OptionalRow>& record) {
  const QueryPlan& plan = *plan_;
  // A table cannot hold a row without a key: ksqlDB drops such records.
  if (plan.source->is_table && hasNullKey(record.key())) return;
  if (!record.value()) {
    // A null value passes through as ksqlDB's do (a tombstone of a table, a null row of a
    // stream), unless a WHERE clause needs a row to evaluate. Re-keyed, the key
    // expressions over key columns only are computed; the others are NULL.
    if (plan.where && !plan.output_is_table) return;
    if (plan.key_exprs.empty() && !plan.drop_key) {
      context_->forward(record);
      return;
    }
    int64_t timestamp = rows_.fill(record.key(), GenericRow{}, record.timestamp(), record.headers(),
                                   context_->recordMetadata(), row_);
    if (plan.layout.timestamp_position >= 0) timestamp = record.timestamp();
    GenericKey key;
    key.values.reserve(plan.key_exprs.size());
    for (size_t i = 0; i < plan.key_exprs.size(); ++i) {
      key.values.push_back(plan.key_expr_reads_key_only[i] ? plan.key_exprs[i].evaluate(row_) : Value::null());
    }
    context_->forward(
        streams::Record<GenericKey, OptionalRow>(std::move(key), OptionalRow(), timestamp, record.headers()));
    return;
  }
  int64_t timestamp = rows_.fill(record.key(), *record.value(), record.timestamp(), record.headers(),
                                 context_->recordMetadata(), row_);
  if (timestamp < 0) return;
  if (!passes(plan.where, row_)) {
    if (plan.output_is_table) context_->forward(record.withValue(OptionalRow()));
    return;
  }
  GenericKey key;
  if (!plan.key_exprs.empty()) {
    evaluateAll(plan.key_exprs, row_, key.values);
  } else if (!plan.drop_key) {
    key = record.key();
  }
  GenericRow value;
  evaluateAll(plan.value_exprs, row_, value.values);
  context_->forward(streams::Record<GenericKey, OptionalRow>(std::move(key), std::move(value), timestamp,
                                                             record.headers()));
}

bool groupKey(const QueryPlan& plan, std::span<const Value> row, GenericKey& out) {
  evaluateAll(plan.group_exprs, row, out.values);
  for (const auto& value : out.values) {
    if (value.isNull()) return false;
  }
  return true;
}

void aggregateArguments(const QueryPlan& plan, std::span<const Value> row, GenericRow& out) {
  out.values.clear();
  for (const auto& call : plan.aggregates) {
    for (const auto& arg : call.args) out.values.push_back(arg.evaluate(row));
  }
  out.values.push_back(row[plan.layout.rowtime]);
}

void GroupProcessor::process(const streams::Record<GenericKey, OptionalRow>& record) {
  const QueryPlan& plan = *plan_;
  if (!record.value()) return;
  int64_t timestamp = rows_.fill(record.key(), *record.value(), record.timestamp(), record.headers(),
                                 context_->recordMetadata(), row_);
  if (timestamp < 0 || !passes(plan.where, row_)) return;
  GenericKey key;
  if (!groupKey(plan, row_, key)) return;
  GenericRow arguments;
  aggregateArguments(plan, row_, arguments);
  context_->forward(streams::Record<GenericKey, OptionalRow>(std::move(key), std::move(arguments), timestamp,
                                                             record.headers()));
}

GenericRow initialAggregates(const QueryPlan& plan) {
  GenericRow state;
  state.values.reserve(plan.aggregates.size());
  for (const auto& call : plan.aggregates) state.values.push_back(call.function->initialize());
  state.values.emplace_back(int64_t{0});  // the rowtime: the latest time of the group's records
  return state;
}

GenericRow foldAggregates(const QueryPlan& plan, const GenericRow& arguments, GenericRow state, bool undo) {
  size_t offset = 0;
  for (size_t i = 0; i < plan.aggregates.size(); ++i) {
    const auto& call = plan.aggregates[i];
    std::span<const Value> args(arguments.values.data() + offset, call.args.size());
    offset += call.args.size();
    Value current = std::move(state.values[i]);
    state.values[i] = undo ? call.function->undo(args, std::move(current))
                           : call.function->aggregate(args, std::move(current));
  }
  // As Kafka Streams' aggregations, which stamp a result with the latest of its inputs'
  // times, removals included.
  int64_t time = arguments.values[offset].isNull() ? 0 : arguments.values[offset].asBigint();
  Value& rowtime = state.values[plan.aggregates.size()];
  if (rowtime.isNull() || rowtime.asBigint() < time) rowtime = Value(time);
  return state;
}

GenericRow aggregateResultRow(const QueryPlan& plan, const GenericKey& key, const GenericRow& state) {
  GenericRow row;
  row.values.reserve(key.values.size() + state.values.size());
  row.values = key.values;
  for (size_t i = 0; i < plan.aggregates.size(); ++i) {
    row.values.push_back(plan.aggregates[i].function->result(state.values[i]));
  }
  return row;
}

void RowtimeAppender::process(const streams::FixedKeyRecord<GenericKey, OptionalRow>& record) {
  if (!record.value()) {
    context_->forward(record);
    return;
  }
  context_->forward(record.withValue(OptionalRow(withRowtime(*record.value(), record.timestamp()))));
}

void SinkTimestampSetter::process(const streams::FixedKeyRecord<GenericKey, OptionalRow>& record) {
  const Value* column = nullptr;
  if (timestamp_.in_key) {
    if (timestamp_.index < record.key().values.size()) column = &record.key().values[timestamp_.index];
  } else if (record.value()) {
    if (timestamp_.index < record.value()->values.size()) column = &record.value()->values[timestamp_.index];
  } else {
    context_->forward(record);
    return;
  }
  int64_t timestamp = column != nullptr ? timestampOf(*column, timestamp_.format, timestamp_.parse) : -1;
  if (timestamp < 0) return;
  context_->forward(record.withTimestamp(timestamp));
}

}  // namespace runnel::sql
