#include <algorithm>

#include "sql/functions/aggregate_support.h"

// COLLECT_LIST, COLLECT_SET, HISTOGRAM, TOPK, TOPKDISTINCT. The collections keep at most
// 1000 entries, ksqlDB's default ksql.functions.collect_list.limit / collect_set.limit,
// and ignore what comes beyond.
namespace runnel::sql::functions {
namespace {

constexpr size_t kCollectionLimit = 1000;

// COLLECT_LIST keeps NULLs; undo removes the last equal element, as ksqlDB does.
class CollectListAggregate final : public TypedAggregate {
 public:
  explicit CollectListAggregate(const SqlTypePtr& type)
      : TypedAggregate(SqlType::array(type), SqlType::array(type)) {}
  Value initialize() const override { return Value::array({}); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    if (aggregate.asArray().items.size() >= kCollectionLimit) return aggregate;
    mutableItems(aggregate).push_back(args[0]);
    return aggregate;
  }
  bool supportsUndo() const override { return true; }
  Value undo(std::span<const Value> args, Value aggregate) const override {
    const auto& current = aggregate.asArray().items;
    auto last = std::find_if(current.rbegin(), current.rend(),
                             [&](const Value& item) { return equalValues(item, args[0]); });
    if (last == current.rend()) return aggregate;
    const auto index = current.rend() - last - 1;
    std::vector<Value>& items = mutableItems(aggregate);
    items.erase(items.begin() + index);
    return aggregate;
  }
  Value result(const Value& aggregate) const override { return aggregate; }
};

// COLLECT_SET: distinct values (NULL once) in order of first appearance.
class CollectSetAggregate final : public TypedAggregate {
 public:
  explicit CollectSetAggregate(const SqlTypePtr& type)
      : TypedAggregate(SqlType::array(type), SqlType::array(type)) {}
  Value initialize() const override { return Value::array({}); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    const auto& current = aggregate.asArray().items;
    if (current.size() >= kCollectionLimit ||
        std::any_of(current.begin(), current.end(),
                    [&](const Value& item) { return equalValues(item, args[0]); })) {
      return aggregate;
    }
    mutableItems(aggregate).push_back(args[0]);
    return aggregate;
  }
  Value result(const Value& aggregate) const override { return aggregate; }
};

// HISTOGRAM: MAP<STRING, BIGINT> of counts, NULLs skipped; undo drops a count at zero.
class HistogramAggregate final : public TypedAggregate {
 public:
  HistogramAggregate()
      : TypedAggregate(SqlType::map(SqlType::string(), SqlType::bigint()),
                       SqlType::map(SqlType::string(), SqlType::bigint())) {}
  Value initialize() const override { return Value::map({}); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    return add(args[0], aggregate, 1);
  }
  bool supportsUndo() const override { return true; }
  Value undo(std::span<const Value> args, Value aggregate) const override {
    return add(args[0], aggregate, -1);
  }
  Value result(const Value& aggregate) const override { return aggregate; }

 private:
  static Value add(const Value& key, Value aggregate, int delta) {
    if (key.isNull()) return aggregate;
    MapPtr& map = aggregate.as<MapPtr>();
    if (map.use_count() != 1) map = std::make_shared<MapValue>(*map);
    auto& entries = const_cast<MapValue&>(*map).entries;
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const auto& entry) { return entry.first == key; });
    if (it == entries.end()) {
      if (delta > 0 && entries.size() < kCollectionLimit) entries.emplace_back(key, int64_t{1});
    } else if (it->second.asBigint() + delta > 0) {
      it->second = it->second.asBigint() + delta;
    } else {
      entries.erase(it);
    }
    return aggregate;
  }
};

// TOPK and TOPKDISTINCT: the k greatest non-NULL values, greatest first; among equal ones
// the earlier stays ahead. With extra columns, TOPK keeps
// STRUCT<sort_col, col0, col1, ...> rows ordered by sort_col.
class TopKAggregate final : public TypedAggregate {
 public:
  TopKAggregate(SqlTypePtr element_type, size_t k, bool distinct, bool with_columns)
      : TypedAggregate(SqlType::array(element_type), SqlType::array(element_type)),
        k_(k),
        distinct_(distinct),
        with_columns_(with_columns) {}
  Value initialize() const override { return Value::array({}); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    if (args[0].isNull()) return aggregate;
    const auto& current = aggregate.asArray().items;
    // The first position whose sort value is smaller: equal values keep arrival order.
    auto at = std::find_if(current.begin(), current.end(), [&](const Value& item) {
      return compareValues(sortValue(item), args[0]) < 0;
    });
    if (distinct_ && std::any_of(current.begin(), current.end(), [&](const Value& item) {
          return compareValues(item, args[0]) == 0;
        })) {
      return aggregate;
    }
    const auto index = at - current.begin();
    if (static_cast<size_t>(index) >= k_) return aggregate;
    Value element = with_columns_ ? Value::structOf({args.begin(), args.end()}) : args[0];
    std::vector<Value>& items = mutableItems(aggregate);
    items.insert(items.begin() + index, std::move(element));
    if (items.size() > k_) items.pop_back();
    return aggregate;
  }
  Value result(const Value& aggregate) const override { return aggregate; }

 private:
  const Value& sortValue(const Value& item) const {
    return with_columns_ ? item.asStruct().fields[0] : item;
  }
  size_t k_;
  bool distinct_;
  bool with_columns_;
};

using Made = Result<std::unique_ptr<AggregateFunction>>;

void addTopK(Catalog& catalog, const std::string& name, bool distinct, std::string description) {
  AggregateFunctionDef function{name, std::move(description), {}};
  for (bool with_columns : distinct ? std::vector<bool>{false} : std::vector<bool>{false, true}) {
    for (const Param& sort_param : comparableParams("val")) {
      AggregateVariant variant;
      variant.params = {sort_param};
      if (with_columns) variant.params.push_back(anyType("other"));
      variant.variadic = with_columns;
      variant.literal_params = {param("k", SqlType::integer())};
      variant.return_text = with_columns ? "ARRAY<STRUCT>" : "ARRAY<T>";
      variant.make = [name, distinct, with_columns](std::vector<SqlTypePtr> types,
                                                    const std::vector<Value>& literals) -> Made {
        RUNNEL_ASSIGN_OR_RETURN(int k, positiveLiteral(name, literals[0]));
        SqlTypePtr element = types[0];
        if (with_columns) {
          std::vector<StructField> fields{{"sort_col", types[0]}};
          for (size_t i = 1; i < types.size(); ++i)
            fields.push_back({"col" + std::to_string(i - 1), types[i]});
          element = SqlType::structType(std::move(fields));
        }
        return std::unique_ptr<AggregateFunction>(std::make_unique<TopKAggregate>(
            std::move(element), static_cast<size_t>(k), distinct, with_columns));
      };
      function.variants.push_back(std::move(variant));
    }
  }
  catalog.addAggregate(std::move(function));
}

AggregateVariant anyElementVariant(
    std::string return_text,
    std::function<std::unique_ptr<AggregateFunction>(const SqlTypePtr&)> make) {
  AggregateVariant variant;
  variant.params = {generic("val")};
  variant.return_text = std::move(return_text);
  variant.make = [make = std::move(make)](std::vector<SqlTypePtr> types,
                                          const std::vector<Value>&) -> Made {
    return make(types[0]);
  };
  return variant;
}

}  // namespace

void registerCollectionAggregates(Catalog& catalog) {
  catalog.addAggregate(AggregateFunctionDef{
      "COLLECT_LIST",
      "Returns an array of all the values of a column, NULLs included, up to 1000.",
      {anyElementVariant("ARRAY<T>", [](const SqlTypePtr& type) {
        return std::make_unique<CollectListAggregate>(type);
      })}});
  catalog.addAggregate(
      AggregateFunctionDef{"COLLECT_SET",
                           "Returns an array of the distinct values of a column, up to 1000.",
                           {anyElementVariant("ARRAY<T>", [](const SqlTypePtr& type) {
                             return std::make_unique<CollectSetAggregate>(type);
                           })}});

  AggregateVariant histogram;
  histogram.params = {param("val", SqlType::string())};
  histogram.return_text = "MAP<VARCHAR, BIGINT>";
  histogram.make = [](std::vector<SqlTypePtr>, const std::vector<Value>&) -> Made {
    return std::unique_ptr<AggregateFunction>(std::make_unique<HistogramAggregate>());
  };
  catalog.addAggregate(AggregateFunctionDef{
      "HISTOGRAM",
      "Returns a map of each distinct non-NULL string of a column to its count, up to 1000.",
      {histogram}});

  addTopK(catalog, "TOPK", false,
          "Returns the k greatest values of a column, optionally with other columns of the row.");
  addTopK(catalog, "TOPKDISTINCT", true, "Returns the k greatest distinct values of a column.");
}

}  // namespace runnel::sql::functions
