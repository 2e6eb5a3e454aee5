#include "sql/engine/materialization.h"

#include "sql/engine/query_processors.h"

namespace runnel::sql {
namespace {

// The stored row without its trailing rowtime.
GenericRow columnsOf(const GenericRow& stored) {
  GenericRow row;
  if (!stored.values.empty()) row.values.assign(stored.values.begin(), stored.values.end() - 1);
  return row;
}

std::optional<TableRow> aggregateRow(const QueryPlan& plan, const GenericKey& key, const GenericRow& state) {
  GenericRow result = aggregateResultRow(plan, key, state);
  if (!passes(plan.having, result.values)) return std::nullopt;
  TableRow row{key, {}, rowtimeOf(state)};
  evaluateAll(plan.value_exprs, result.values, row.value.values);
  return row;
}

std::optional<TableRow> projectedRow(const QueryPlan& plan, const GenericKey& key, const GenericRow& stored,
                                     std::vector<Value>& scratch) {
  int64_t rowtime = rowtimeOf(stored);
  SourceRowBuilder(plan.layout).fill(key, stored, rowtime, {}, std::nullopt, scratch);
  if (!passes(plan.where, scratch)) return std::nullopt;
  TableRow row{{}, {}, rowtime};
  if (!plan.key_exprs.empty()) {
    evaluateAll(plan.key_exprs, scratch, row.key.values);
  } else if (!plan.drop_key) {
    row.key = key;
  }
  evaluateAll(plan.value_exprs, scratch, row.value.values);
  return row;
}

}  // namespace

GenericRow withRowtime(GenericRow row, int64_t timestamp) {
  row.values.emplace_back(timestamp);
  return row;
}

int64_t rowtimeOf(const GenericRow& stored) {
  if (stored.values.empty() || !stored.values.back().is<int64_t>()) return 0;
  return stored.values.back().asBigint();
}

std::optional<TableRow> tableRowOf(const Materialization& materialization, const GenericKey& key,
                                   const GenericRow& stored, std::vector<Value>& scratch) {
  const QueryPlan* plan = materialization.plan.get();
  if (plan == nullptr) return TableRow{key, columnsOf(stored), rowtimeOf(stored)};
  if (plan->aggregate) return aggregateRow(*plan, key, stored);
  return projectedRow(*plan, key, stored, scratch);
}

}  // namespace runnel::sql
