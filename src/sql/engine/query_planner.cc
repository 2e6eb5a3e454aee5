#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sql/engine/expr_rewrite.h"
#include "sql/engine/query_plan.h"

namespace runnel::sql {
namespace {

SqlTypePtr headersType() {
  static const SqlTypePtr type = SqlType::array(
      SqlType::structType({{"KEY", SqlType::string()}, {"VALUE", SqlType::bytes()}}));
  return type;
}

// An expression's error as ksqlDB words it for the clause it is in: "WHERE column 'X'
// cannot be resolved.", "Error in WHERE expression: ...", "Invalid Select: ...".
Status clauseError(const std::string& clause, const Status& error) {
  const std::string& message = error.message();
  if (message.rfind("Column '", 0) == 0) {
    std::string out = clause + " column" + message.substr(6);
    if (clause == "PARTITION BY") {
      auto name = message.substr(8, message.find('\'', 8) - 8);
      out += fmt::format(" '{}' must be a column in the source schema since PARTITION BY is applied on the input.",
                         name);
    }
    return Status::invalidArgument(out);
  }
  if (message.starts_with(kInvalidPredicate)) return error;
  if (clause == "WHERE" || clause == "HAVING") {
    return Status::invalidArgument(fmt::format("Error in {} expression: {}", clause, message));
  }
  if (clause == "SELECT") return Status::invalidArgument("Invalid Select: " + message);
  return error;
}

bool isPseudoColumn(const std::string& name) {
  return name == "ROWTIME" || name == "ROWPARTITION" || name == "ROWOFFSET";
}

bool isReservedName(const std::string& name) {
  return isPseudoColumn(name) || name == "WINDOWSTART" || name == "WINDOWEND";
}

bool readsKeyColumnsOnly(const Expr& expr, const DataSource& source) {
  bool key_only = true;
  forEachColumn(expr, [&](const Expr& column) {
    const Column* found = source.schema.find(column.name);
    if (found == nullptr || found->ns != ColumnNamespace::kKey) key_only = false;
  });
  return key_only;
}

// One select item after `*` expansion, with the name its output column gets.
struct NamedItem {
  ExprPtr expression;
  std::string name;
};

Result<std::vector<NamedItem>> nameSelectItems(const Query& query, const DataSource& source, const std::string& alias,
                                               const ExpressionScope& scope, const FunctionRegistry& functions,
                                               QueryKind kind) {
  std::vector<NamedItem> items;
  for (const auto& item : query.select) {
    if (item.struct_star) {
      // `expr->*`: a column per field of the struct, named as the field.
      auto type = expressionType(*item.expression, scope, functions);
      if (!type.isOk()) return clauseError("SELECT", type.status());
      if (!*type || (*type)->kind != TypeKind::kStruct) {
        return Status::invalidArgument(fmt::format("Invalid Select: {}->* is not a STRUCT", item.expression->text));
      }
      for (const auto& field : (*type)->fields) {
        auto deref = std::make_shared<Expr>();
        deref->kind = ExprKind::kDereference;
        deref->name = field.name;
        deref->children = {item.expression};
        deref->text = item.expression->text + "->" + field.name;
        items.push_back({deref, field.name});
      }
      continue;
    }
    if (item.star) {
      if (!item.star_source.empty() && item.star_source != alias) {
        return Status::invalidArgument(fmt::format("Source '{}' not found in FROM clause.", item.star_source));
      }
      // After PARTITION BY the old key columns become value columns, after the others.
      bool keys_last = !query.partition_by.empty();
      auto add_keys = [&] {
        for (const auto& column : source.schema.key) items.push_back({makeColumnRef(column.name, alias), column.name});
      };
      if (!keys_last) add_keys();
      for (const auto& column : source.schema.value) {
        items.push_back({makeColumnRef(column.name, alias), column.name});
      }
      if (keys_last) add_keys();
      continue;
    }
    std::string name = item.alias.empty() ? implicitColumnName(*item.expression) : item.alias;
    if (!item.alias.empty() && isReservedName(item.alias)) {
      return Status::invalidArgument(
          fmt::format("`{}` is a reserved column name. You cannot use it as an alias for a column.", item.alias));
    }
    if (item.alias.empty() && kind == QueryKind::kPersistent && item.expression->kind == ExprKind::kColumn &&
        isPseudoColumn(name)) {
      return Status::invalidArgument(
          fmt::format("Reserved column name in select: `{}`. Please remove or alias the column.", name));
    }
    items.push_back({item.expression, name});
  }
  // Unnamed expressions become KSQL_COL_0, KSQL_COL_1, ... skipping names in use.
  std::set<std::string> used;
  for (const auto& item : items) used.insert(item.name);
  int next = 0;
  for (auto& item : items) {
    if (!item.name.empty()) continue;
    std::string name;
    do {
      name = fmt::format("KSQL_COL_{}", next++);
    } while (used.count(name) != 0);
    item.name = name;
    used.insert(name);
  }
  return items;
}

std::string joinNames(const std::vector<std::string>& names, const char* separator, const char* last) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? last : separator;
    out += names[i];
  }
  return out;
}

Status missingFromProjection(const std::string& sink, const char* what_one, const char* what_many,
                             const std::vector<std::string>& texts) {
  return Status::invalidArgument(fmt::format(
      "The query used to build `{}` must include the {} {} in its projection (eg, SELECT {}...).", sink,
      texts.size() == 1 ? what_one : what_many, joinNames(texts, ", ", " and "), joinNames(texts, ", ", ", ")));
}

bool isColumn(const Expr& expr, const std::string& name) {
  return expr.kind == ExprKind::kColumn && expr.name == name;
}

// The output columns of a query that does not aggregate: the items that are the key
// (the source's key columns, or the PARTITION BY expressions) and the rest.
Status planProjection(const Query& query, const std::vector<NamedItem>& items, const FunctionRegistry& functions,
                      const std::string& sink, const PlanOptions& options, QueryPlan& plan) {
  QueryKind kind = options.kind;
  const auto& scope = plan.layout.scope;
  if (kind == QueryKind::kPush) {
    for (const auto& item : items) {
      auto compiled = compileExpression(*item.expression, scope, functions);
      if (!compiled.isOk()) return clauseError("SELECT", compiled.status());
      plan.output.value.push_back({item.name, compiled->type(), ColumnNamespace::kValue});
      plan.value_exprs.push_back(std::move(*compiled));
    }
    return Status::ok();
  }
  std::vector<ExprPtr> key_expressions;
  bool partition_by_null = false;
  if (!query.partition_by.empty()) {
    plan.rekey = true;
    partition_by_null = query.partition_by.size() == 1 && query.partition_by[0]->kind == ExprKind::kLiteral &&
                        query.partition_by[0]->literal.isNull();
    if (!partition_by_null) key_expressions = query.partition_by;
  } else {
    for (const auto& column : plan.source->schema.key) key_expressions.push_back(makeColumnRef(column.name));
  }
  if (plan.rekey && query.partition_by.size() > 1) {
    for (const auto& expr : query.partition_by) {
      if (expr->kind == ExprKind::kLiteral && expr->literal.isNull()) {
        return Status::invalidArgument("Cannot PARTITION BY multiple columns including NULL");
      }
    }
  }
  for (const auto& expr : key_expressions) {
    auto compiled = compileExpression(*expr, scope, functions);
    if (!compiled.isOk()) return clauseError("PARTITION BY", compiled.status());
  }
  std::vector<int> key_item(key_expressions.size(), -1);
  std::vector<bool> is_key(items.size(), false);
  for (size_t k = 0; k < key_expressions.size(); ++k) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (!sameExpression(*items[i].expression, *key_expressions[k])) continue;
      if (key_item[k] >= 0) {
        return Status::invalidArgument(fmt::format(
            "The projection contains a key column (`{}`) more than once, aliased as: {} and {}.",
            key_expressions[k]->name.empty() ? key_expressions[k]->text : key_expressions[k]->name,
            items[key_item[k]].name, items[i].name));
      }
      key_item[k] = static_cast<int>(i);
      is_key[i] = true;
    }
  }
  // SELECT * re-keyed by PARTITION BY gets the partitioning expressions as its key
  // columns without naming them.
  bool star = std::any_of(query.select.begin(), query.select.end(), [](const SelectItem& item) { return item.star; });
  std::vector<std::string> implicit_names(key_expressions.size());
  std::set<std::string> used;
  for (const auto& item : items) used.insert(item.name);
  for (size_t k = 0, next = 0; k < key_expressions.size(); ++k) {
    if (key_item[k] >= 0 || !star || !plan.rekey) continue;
    implicit_names[k] = implicitColumnName(*key_expressions[k]);
    while (implicit_names[k].empty() || used.count(implicit_names[k]) != 0) {
      implicit_names[k] = fmt::format("KSQL_COL_{}", next++);
    }
    used.insert(implicit_names[k]);
  }
  std::vector<std::string> missing;
  for (size_t k = 0; k < key_expressions.size(); ++k) {
    if (key_item[k] < 0 && implicit_names[k].empty()) missing.push_back(key_expressions[k]->text);
  }
  if (!missing.empty() && !plan.rekey && options.keyless_projection) {
    plan.drop_key = true;
    missing.clear();
    key_expressions.clear();
    key_item.clear();
  }
  if (!missing.empty() && !plan.rekey) {
    // ksqlDB names every key column when any is missing.
    missing.clear();
    for (const auto& key : key_expressions) missing.push_back(key->text);
  }
  if (!missing.empty()) {
    return plan.rekey ? missingFromProjection(sink, "partitioning expression", "partitioning expressions", missing)
                      : missingFromProjection(sink, "key column", "key columns", missing);
  }
  // Key columns come in the order the projection names them (after PARTITION BY, in
  // its order); the key is recomputed when that differs from the source's.
  std::vector<size_t> order(key_expressions.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  if (!plan.rekey) {
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key_item[a] < key_item[b]; });
  }
  bool reordered = !std::is_sorted(order.begin(), order.end());
  for (size_t k : order) {
    auto compiled = compileExpression(*key_expressions[k], scope, functions);
    if (!compiled.isOk()) return clauseError("PARTITION BY", compiled.status());
    const std::string& name = key_item[k] >= 0 ? items[key_item[k]].name : implicit_names[k];
    plan.output.key.push_back({name, compiled->type(), ColumnNamespace::kKey});
    if (plan.rekey || reordered) {
      plan.key_exprs.push_back(std::move(*compiled));
      plan.key_expr_reads_key_only.push_back(readsKeyColumnsOnly(*key_expressions[k], *plan.source));
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (!key_item.empty() && is_key[i]) continue;
    auto compiled = compileExpression(*items[i].expression, scope, functions);
    if (!compiled.isOk()) return clauseError("SELECT", compiled.status());
    plan.output.value.push_back({items[i].name, compiled->type(), ColumnNamespace::kValue});
    plan.value_exprs.push_back(std::move(*compiled));
  }
  if (plan.output.value.empty()) return Status::invalidArgument("The projection contains no value columns.");
  return Status::ok();
}

// GROUP BY: the group expressions become the key columns, aggregate calls are computed
// per group, and the projection and HAVING are rewritten over [groups..., aggregates...].
class AggregationPlanner {
 public:
  AggregationPlanner(const Query& query, const FunctionRegistry& functions, const std::string& sink, QueryKind kind,
                     QueryPlan& plan)
      : query_(query), functions_(functions), sink_(sink), kind_(kind), plan_(plan) {}

  Status plan(const std::vector<NamedItem>& items) {
    const auto& scope = plan_.layout.scope;
    for (const auto& group : query_.group_by) {
      RUNNEL_RETURN_IF_ERROR(rejectAggregates(*group));
      RUNNEL_ASSIGN_OR_RETURN(auto compiled, compileExpression(*group, scope, functions_));
      plan_.group_exprs.push_back(std::move(compiled));
    }
    std::vector<ExprPtr> rewritten;
    for (const auto& item : items) {
      RUNNEL_ASSIGN_OR_RETURN(auto expr, rewrite(item.expression));
      rewritten.push_back(std::move(expr));
    }
    ExprPtr having;
    if (query_.having) {
      RUNNEL_ASSIGN_OR_RETURN(having, rewrite(query_.having));
    }
    RUNNEL_RETURN_IF_ERROR(checkNoLooseColumns(items, rewritten, having));
    RUNNEL_RETURN_IF_ERROR(chooseKeyColumns(items, rewritten));

    ExpressionScope final_scope;
    for (size_t g = 0; g < plan_.group_exprs.size(); ++g) {
      final_scope.add({groupName(g), "", plan_.group_exprs[g].type(), static_cast<int>(g)});
    }
    for (size_t a = 0; a < plan_.aggregates.size(); ++a) {
      final_scope.add({aggregateName(a), "", plan_.aggregates[a].function->returnType(),
                       static_cast<int>(plan_.group_exprs.size() + a)});
    }
    for (size_t i = 0; i < items.size(); ++i) {
      // A push query delivers the key columns too, where they were selected.
      if (key_items_.count(i) != 0 && kind_ == QueryKind::kPersistent) continue;
      RUNNEL_ASSIGN_OR_RETURN(auto compiled, compileExpression(*rewritten[i], final_scope, functions_));
      plan_.output.value.push_back({items[i].name, compiled.type(), ColumnNamespace::kValue});
      plan_.value_exprs.push_back(std::move(compiled));
    }
    if (having) {
      auto compiled = compileExpression(*having, final_scope, functions_);
      if (!compiled.isOk()) return clauseError("HAVING", compiled.status());
      plan_.having = std::move(*compiled);
    }
    if (plan_.output.value.empty() && kind_ == QueryKind::kPersistent) {
      return Status::invalidArgument("The projection contains no value columns.");
    }
    return Status::ok();
  }

 private:
  static std::string groupName(size_t g) { return fmt::format("$GROUP{}", g); }
  static std::string aggregateName(size_t a) { return fmt::format("$AGG{}", a); }

  Status rejectAggregates(const Expr& expr) const {
    if (expr.kind == ExprKind::kFunctionCall && functions_.isAggregate(expr.name)) {
      return Status::invalidArgument(
          fmt::format("GROUP BY does not support aggregate functions: {} is an aggregate function.", expr.name));
    }
    for (const auto& child : expr.children) RUNNEL_RETURN_IF_ERROR(rejectAggregates(*child));
    return Status::ok();
  }

  Result<ExprPtr> rewrite(const ExprPtr& expr) {
    Status failure = Status::ok();
    ExprPtr out = rewriteExpression(expr, [&](const ExprPtr& node) -> ExprPtr {
      for (size_t g = 0; g < query_.group_by.size(); ++g) {
        if (sameExpression(*node, *query_.group_by[g])) return makeColumnRef(groupName(g));
      }
      if (node->kind != ExprKind::kFunctionCall || !functions_.isAggregate(node->name)) return nullptr;
      auto index = addAggregate(*node);
      if (!index.isOk()) {
        if (failure.isOk()) failure = index.status();
        return node;
      }
      return makeColumnRef(aggregateName(*index));
    });
    if (!failure.isOk()) return failure;
    return out;
  }

  Result<size_t> addAggregate(const Expr& call) {
    AggregateCall aggregate;
    std::vector<SqlTypePtr> arg_types;
    std::vector<Value> literal_args;
    for (size_t i = 0; i < call.children.size(); ++i) {
      const Expr& arg = *call.children[i];
      // Trailing literals are the function's parameters (TOPK's k), not per-row input.
      if (i > 0 && arg.kind == ExprKind::kLiteral) {
        literal_args.push_back(arg.literal);
        continue;
      }
      RUNNEL_RETURN_IF_ERROR(rejectAggregates(arg));
      RUNNEL_ASSIGN_OR_RETURN(auto compiled, compileExpression(arg, plan_.layout.scope, functions_));
      arg_types.push_back(compiled.type());
      aggregate.args.push_back(std::move(compiled));
    }
    RUNNEL_ASSIGN_OR_RETURN(auto function, functions_.makeAggregate(call.name, arg_types, literal_args));
    aggregate.function = std::move(function);
    plan_.aggregates.push_back(std::move(aggregate));
    return plan_.aggregates.size() - 1;
  }

  static bool hasLooseColumn(const Expr& expr) {
    bool loose = false;
    forEachColumn(expr, [&](const Expr& column) { loose = loose || column.name[0] != '$'; });
    return loose;
  }

  // Unknown functions are reported before anything about grouping, as ksqlDB does.
  Status checkFunctionsExist(const Expr& expr) const {
    if (expr.kind == ExprKind::kFunctionCall && !functions_.describe(expr.name).isOk()) {
      return Status::invalidArgument(fmt::format("Can't find any functions with the name '{}'", expr.name));
    }
    for (const auto& child : expr.children) RUNNEL_RETURN_IF_ERROR(checkFunctionsExist(*child));
    return Status::ok();
  }

  Status checkNoLooseColumns(const std::vector<NamedItem>& items, const std::vector<ExprPtr>& rewritten,
                             const ExprPtr& having) const {
    for (const auto& item : items) RUNNEL_RETURN_IF_ERROR(checkFunctionsExist(*item.expression));
    std::vector<std::string> loose;
    for (size_t i = 0; i < items.size(); ++i) {
      if (hasLooseColumn(*rewritten[i])) loose.push_back(items[i].expression->text);
    }
    if (!loose.empty()) {
      return Status::invalidArgument(
          fmt::format("Non-aggregate SELECT expression(s) not part of GROUP BY: {}\nEither add the column(s) to the "
                      "GROUP BY or remove them from the SELECT.",
                      joinNames(loose, ", ", ", ")));
    }
    if (having && hasLooseColumn(*having)) {
      std::string columns;
      forEachColumn(*having, [&](const Expr& column) {
        if (column.name[0] != '$' && columns.empty()) columns = column.text;
      });
      return Status::invalidArgument(fmt::format("Non-aggregate HAVING expression not part of GROUP BY: {}", columns));
    }
    return Status::ok();
  }

  Status chooseKeyColumns(const std::vector<NamedItem>& items, const std::vector<ExprPtr>& rewritten) {
    std::vector<std::string> missing;
    for (size_t g = 0; g < plan_.group_exprs.size(); ++g) {
      int chosen = -1;
      for (size_t i = 0; i < items.size(); ++i) {
        if (!isColumn(*rewritten[i], groupName(g))) continue;
        if (chosen >= 0) {
          return Status::invalidArgument(fmt::format("The projection contains a key column more than once: `{}` and `{}`.",
                                                     items[chosen].name, items[i].name));
        }
        chosen = static_cast<int>(i);
      }
      if (chosen < 0) {
        missing.push_back(query_.group_by[g]->text);
        continue;
      }
      if (kind_ == QueryKind::kPush) continue;
      key_items_.insert(chosen);
      plan_.output.key.push_back({items[chosen].name, plan_.group_exprs[g].type(), ColumnNamespace::kKey});
    }
    if (!missing.empty() && kind_ == QueryKind::kPersistent) {
      return missingFromProjection(sink_, "grouping expression", "grouping expressions", missing);
    }
    return Status::ok();
  }

  const Query& query_;
  const FunctionRegistry& functions_;
  const std::string& sink_;
  QueryKind kind_;
  QueryPlan& plan_;
  std::set<size_t> key_items_;
};

bool hasAggregate(const Expr& expr, const FunctionRegistry& functions) {
  if (expr.kind == ExprKind::kFunctionCall && functions.isAggregate(expr.name)) return true;
  for (const auto& child : expr.children) {
    if (hasAggregate(*child, functions)) return true;
  }
  return false;
}

Status rejectUnsupported(const Query& query) {
  if (!query.joins.empty()) return Status::unsupported("JOIN is not supported yet.");
  if (query.window) return Status::unsupported("Windowed aggregations (WINDOW) are not supported yet.");
  if (query.emit_final) return Status::unsupported("EMIT FINAL is not supported yet.");
  return Status::ok();
}

}  // namespace

SourceLayout layoutOf(const DataSource& source, const std::string& alias) {
  SourceLayout layout;
  int position = 0;
  auto add = [&](const std::string& name, const SqlTypePtr& type) {
    layout.scope.add({name, alias, type, position});
    return position++;
  };
  for (const auto& column : source.schema.key) add(column.name, column.type);
  layout.key_count = position;
  for (const auto& column : source.schema.value) {
    int at = add(column.name, column.ns == ColumnNamespace::kHeader && column.header_key.empty() ? headersType()
                                                                                                : column.type);
    if (column.ns == ColumnNamespace::kHeader) {
      layout.headers.push_back({at, column.header_key});
    } else {
      layout.value_positions.push_back(at);
    }
    if (!source.timestamp_column.empty() && column.name == source.timestamp_column) layout.timestamp_position = at;
  }
  for (const auto& column : source.schema.key) {
    if (!source.timestamp_column.empty() && column.name == source.timestamp_column) {
      layout.timestamp_position = layout.scope.find("", column.name)->index;
    }
  }
  layout.timestamp_format = source.timestamp_format;
  layout.rowtime = add("ROWTIME", SqlType::bigint());
  layout.rowpartition = add("ROWPARTITION", SqlType::integer());
  layout.rowoffset = add("ROWOFFSET", SqlType::bigint());
  layout.width = position;
  return layout;
}

Status checkDuplicateColumns(const LogicalSchema& schema) {
  std::set<std::string> seen;
  for (const auto* columns : {&schema.key, &schema.value}) {
    for (const auto& column : *columns) {
      if (!seen.insert(column.name).second) {
        return Status::invalidArgument(fmt::format("Duplicate value columns found in schema: `{}` {}", column.name,
                                                   column.type ? column.type->toString() : "NULL"));
      }
    }
  }
  return Status::ok();
}

Result<QueryPlan> planQuery(const Query& query, const MetaStore& metastore, const FunctionRegistry& functions,
                            const std::string& sink_name, PlanOptions options) {
  RUNNEL_RETURN_IF_ERROR(rejectUnsupported(query));
  QueryPlan plan;
  plan.source = metastore.source(query.from.name);
  if (plan.source == nullptr) {
    return Status::notFound(fmt::format("Line: {}, Col: {}: Source `{}` does not exist.", query.from.location.line,
                                        query.from.location.column, query.from.name));
  }
  std::string alias = query.from.alias.empty() ? query.from.name : query.from.alias;
  plan.layout = layoutOf(*plan.source, alias);
  if (plan.layout.timestamp_position >= 0 && !plan.layout.timestamp_format.empty()) {
    RUNNEL_ASSIGN_OR_RETURN(auto parse,
                            functions.bindScalar("STRINGTOTIMESTAMP", {SqlType::string(), SqlType::string()}));
    plan.layout.parse_timestamp = std::move(parse.invoke);
  }
  if (query.where) {
    if (hasAggregate(*query.where, functions)) {
      return Status::invalidArgument("WHERE clause can not contain aggregate functions.");
    }
    auto where = compileExpression(*query.where, plan.layout.scope, functions);
    if (!where.isOk()) return clauseError("WHERE", where.status());
    if (where->type() && where->type()->kind != TypeKind::kBoolean) {
      return Status::invalidArgument(fmt::format("Type error in WHERE expression: Should evaluate to boolean but is {} ({}) instead.",
                                                 query.where->text, where->type()->toString()));
    }
    plan.where = std::move(*where);
  }
  RUNNEL_ASSIGN_OR_RETURN(auto items,
                          nameSelectItems(query, *plan.source, alias, plan.layout.scope, functions, options.kind));
  bool aggregating = !query.group_by.empty();
  for (const auto& item : items) aggregating = aggregating || hasAggregate(*item.expression, functions);
  if (aggregating) {
    if (!query.partition_by.empty()) {
      return Status::invalidArgument("PARTITION BY and GROUP BY can not be used in the same query.");
    }
    if (query.group_by.empty()) {
      // As ksqlDB, which names COUNT(*) by the column it counts.
      std::string calls;
      for (const auto& item : items) {
        if (!hasAggregate(*item.expression, functions)) continue;
        std::string text = item.expression->text;
        if (item.expression->star) text = item.expression->name + "(ROWTIME)";
        calls += (calls.empty() ? "" : ", ") + text;
      }
      return Status::invalidArgument(fmt::format(
          "CREATE TABLE AS SELECT statement does not support aggregate function [{}] without a GROUP BY clause.", calls));
    }
    plan.aggregate = true;
    plan.output_is_table = true;
    AggregationPlanner planner(query, functions, sink_name, options.kind, plan);
    RUNNEL_RETURN_IF_ERROR(planner.plan(items));
    RUNNEL_RETURN_IF_ERROR(checkDuplicateColumns(plan.output));
    return plan;
  }
  if (query.having) return Status::invalidArgument("HAVING requires GROUP BY.");
  if (plan.source->is_table && !query.partition_by.empty()) {
    return Status::invalidArgument("Cannot repartition a TABLE source. If this is a join, make sure that the criteria "
                                   "uses the TABLE's key column(s) instead.");
  }
  plan.output_is_table = plan.source->is_table;
  RUNNEL_RETURN_IF_ERROR(planProjection(query, items, functions, sink_name, options, plan));
  RUNNEL_RETURN_IF_ERROR(checkDuplicateColumns(plan.output));
  return plan;
}

}  // namespace runnel::sql
