// Pull queries: a SELECT without EMIT CHANGES answers with what a queryable table holds
// now, as ksqlDB's do - a lookup when the WHERE clause fixes the keys, else a table scan
// (ksql.query.pull.table.scan.enabled).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "client/partitioner.h"
#include "sql/engine/engine_impl.h"
#include "sql/engine/materialization.h"
#include "sql/engine/pull_query_keys.h"
#include "sql/engine/query_processors.h"

namespace runnel::sql {
namespace {

constexpr const char* kSeeDocs = "See https://cnfl.io/queries for more info.";

Status unsupportedClause(const char* clause) {
  return Status::invalidArgument(fmt::format(
      "Pull queries don't support {} clauses. {}\nAdd EMIT CHANGES if you intended to issue a push query.", clause,
      kSeeDocs));
}

Status checkClauses(const Query& query) {
  if (!query.joins.empty()) return Status::invalidArgument("Pull queries don't support JOIN clauses.");
  if (query.window) return unsupportedClause("WINDOW");
  if (!query.group_by.empty()) return unsupportedClause("GROUP BY");
  if (!query.partition_by.empty()) return unsupportedClause("PARTITION BY");
  if (query.having) return unsupportedClause("HAVING");
  return Status::ok();
}

// ROWPARTITION and ROWOFFSET mean nothing for a row read from a store.
void collectPseudoColumns(const Expr& expr, std::vector<std::string>& out) {
  if (expr.kind == ExprKind::kColumn && (expr.name == "ROWPARTITION" || expr.name == "ROWOFFSET")) {
    std::string name = "`" + expr.name + "`";
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  for (const auto& child : expr.children) collectPseudoColumns(*child, out);
}

Status checkPseudoColumns(const Query& query) {
  std::vector<std::string> found;
  for (const auto& item : query.select) {
    if (item.expression) collectPseudoColumns(*item.expression, found);
  }
  const char* clause = "SELECT";
  if (found.empty() && query.where) {
    collectPseudoColumns(*query.where, found);
    clause = "WHERE";
  }
  if (found.empty()) return Status::ok();
  std::string names;
  for (const auto& name : found) names += (names.empty() ? "" : ", ") + name;
  return Status::invalidArgument(
      fmt::format("Pull queries don't support the following columns in {} clauses: {}", clause, names));
}

// Which output columns are the source's key columns, read as they are (the header marks
// them KEY).
std::vector<bool> keyColumnFlags(const Query& query, const DataSource& source, const std::string& alias,
                                 size_t width) {
  auto isKey = [&](const std::string& name) {
    for (const auto& column : source.schema.key) {
      if (column.name == name) return true;
    }
    return false;
  };
  std::vector<bool> flags;
  for (const auto& item : query.select) {
    if (item.star) {
      flags.insert(flags.end(), source.schema.key.size(), true);
      flags.insert(flags.end(), source.schema.value.size(), false);
      continue;
    }
    const Expr* expr = item.expression.get();
    bool key = !item.struct_star && expr != nullptr && expr->kind == ExprKind::kColumn &&
               (expr->qualifier.empty() || expr->qualifier == alias) && isKey(expr->name);
    flags.push_back(key);
  }
  flags.resize(width, false);
  return flags;
}

int64_t nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Rows of a scan in the order ksqlDB's returns them: by partition of the table's topic,
// then by serialized key.
struct ScannedRow {
  int32_t partition = 0;
  std::string key_bytes;
  GenericRow row;
};

}  // namespace

// A stream's pull query reads its topic from the start to where it ends now, as a push
// query from the beginning that stops there; records that do not decode are skipped.
Status Engine::Impl::pullFromStream(const QueryPlan& plan, std::optional<int64_t> limit,
                                    Engine::PullQueryResult& result) {
  const DataSource& stream = *plan.source;
  size_t max_rows = limit ? static_cast<size_t>(*limit) : SIZE_MAX;
  result.final_message = "Limit Reached";
  if (max_rows == 0) return Status::ok();
  RUNNEL_ASSIGN_OR_RETURN(auto key_format, makeRowFormat(stream.key_format, stream.schema.key, true));
  RUNNEL_ASSIGN_OR_RETURN(auto value_format, makeRowFormat(stream.value_format, stream.schema.valueColumnsInRecord(),
                                                           false, stream.wrap_single_value));
  SourceRowBuilder rows(plan.layout);
  GenericKey key;
  GenericRow value;
  std::vector<Value> row;
  bool limit_reached = false;
  RUNNEL_RETURN_IF_ERROR(environment_.scanTopic(stream.topic, [&](const TopicRecord& record) {
    const OutgoingRecord& data = record.record;
    if (!data.value) return true;
    if (!key_format->read(data.key, key.values).isOk() || !value_format->read(data.value, value.values).isOk()) {
      return true;
    }
    streams::RecordMetadata metadata{stream.topic, record.partition, record.offset};
    if (rows.fill(key, value, data.timestamp, data.headers, metadata, row) < 0) return true;
    if (!passes(plan.where, row)) return true;
    GenericRow out;
    evaluateAll(plan.value_exprs, row, out.values);
    result.rows.push_back(std::move(out));
    limit_reached = result.rows.size() >= max_rows;
    return !limit_reached;
  }));
  if (!limit_reached) result.final_message = "Query Completed";
  return Status::ok();
}

Result<Engine::PullQueryResult> Engine::Impl::pullQuery(const Query& query, const Session& session) {
  RUNNEL_RETURN_IF_ERROR(checkClauses(query));
  const DataSource* table = metastore_.source(query.from.name);
  if (table != nullptr && table->is_table && !table->isQueryable()) {
    return Status::invalidArgument(fmt::format(
        "The `{0}` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_{0} AS "
        "SELECT * FROM {0}'. {1}",
        table->name, kSeeDocs));
  }
  RUNNEL_RETURN_IF_ERROR(checkPseudoColumns(query));
  RUNNEL_ASSIGN_OR_RETURN(auto plan, planQuery(query, metastore_, functions_, "", {QueryKind::kPush, false}));
  table = plan.source;
  std::string alias = query.from.alias.empty() ? query.from.name : query.from.alias;

  Engine::PullQueryResult result;
  result.id = fmt::format("query_{}", nowMillis());
  for (const auto& column : plan.output.value) {
    result.column_names.push_back(column.name);
    result.column_types.push_back(column.type ? column.type : SqlType::string());
  }
  if (!table->is_table) {
    RUNNEL_RETURN_IF_ERROR(pullFromStream(plan, query.limit, result));
    return result;
  }
  result.key_columns = keyColumnFlags(query, *table, alias, result.column_names.size());
  if (query.limit && *query.limit == 0) return result;

  const Materialization& materialization = *table->materialization;
  RUNNEL_ASSIGN_OR_RETURN(auto keys, keysOfWhere(query.where.get(), *table, alias, functions_));
  // A CTAS that re-orders its key columns stores entries under its source's keys.
  if (materialization.plan && !materialization.plan->aggregate && !materialization.plan->key_exprs.empty()) {
    keys.reset();
  }
  KeyRange range;
  if (!keys) range = keyRangeOfWhere(query.where.get(), *table, alias);
  bool range_scan = range.bounded && property(session, "ksql.query.pull.range.scan.enabled", "true") == "true";
  if (!keys && !range_scan && property(session, "ksql.query.pull.table.scan.enabled", "true") != "true") {
    if (!range.missing.empty()) return Status::invalidArgument(range.missing);
    return Status::invalidArgument(
        "Query requires table scan to be enabled. Table scans can be enabled by setting "
        "ksql.query.pull.table.scan.enabled=true");
  }
  RUNNEL_ASSIGN_OR_RETURN(auto store, environment_.queryStore(materialization.query_id, materialization.store));

  std::vector<Value> scratch;
  std::vector<Value> row;
  // The output row of one entry, when it is in the table and passes the WHERE clause.
  auto evaluate = [&](const GenericKey& key, const GenericRow& stored) -> std::optional<TableRow> {
    auto table_row = tableRowOf(materialization, key, stored, scratch);
    if (!table_row) return std::nullopt;
    SourceRowBuilder(plan.layout).fill(table_row->key, table_row->value, table_row->rowtime, {}, std::nullopt, row);
    if (!passes(plan.where, row)) return std::nullopt;
    evaluateAll(plan.value_exprs, row, table_row->value.values);
    return table_row;
  };
  size_t limit = query.limit ? static_cast<size_t>(*query.limit) : SIZE_MAX;
  if (keys) {
    for (const auto& key : *keys) {
      if (result.rows.size() >= limit) break;
      RUNNEL_ASSIGN_OR_RETURN(auto stored, store.get(key));
      if (!stored) continue;
      if (auto out = evaluate(key, *stored)) result.rows.push_back(std::move(out->value));
    }
    return result;
  }
  RUNNEL_ASSIGN_OR_RETURN(auto entries, store.all());
  RUNNEL_ASSIGN_OR_RETURN(auto key_format, makeRowFormat(table->key_format, table->schema.key, true));
  std::vector<ScannedRow> scanned;
  for (const auto& entry : entries) {
    auto out = evaluate(entry.key, entry.value);
    if (!out) continue;
    ScannedRow item;
    if (key_format->write(out->key.values, item.key_bytes)) {
      item.partition = client::murmur2Partition(item.key_bytes, std::max(materialization.partitions, 1));
    }
    item.row = std::move(out->value);
    scanned.push_back(std::move(item));
  }
  std::stable_sort(scanned.begin(), scanned.end(), [](const ScannedRow& a, const ScannedRow& b) {
    return std::tie(a.partition, a.key_bytes) < std::tie(b.partition, b.key_bytes);
  });
  for (auto& item : scanned) {
    if (result.rows.size() >= limit) break;
    result.rows.push_back(std::move(item.row));
  }
  return result;
}

}  // namespace runnel::sql
