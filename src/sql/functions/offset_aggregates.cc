#include "sql/functions/aggregate_support.h"

// LATEST_BY_OFFSET and EARLIEST_BY_OFFSET, each as (col), (col, ignoreNulls),
// (col, n) and (col, n, ignoreNulls); ignoreNulls defaults to true. The engine aggregates
// a group's records in offset order, so arrival order is offset order and the state is
// just the kept values, oldest first: ARRAY<T> of at most n (1 for the single variants).
namespace runnel::sql::functions {
namespace {

class ByOffsetAggregate final : public TypedAggregate {
 public:
  ByOffsetAggregate(const SqlTypePtr& type, bool latest, int n, bool single, bool ignore_nulls)
      : TypedAggregate(SqlType::array(type), single ? type : SqlType::array(type)),
        latest_(latest),
        n_(static_cast<size_t>(n)),
        single_(single),
        ignore_nulls_(ignore_nulls) {}

  Value initialize() const override { return Value::array({}); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    const Value& arg = args[0];
    if (arg.isNull() && ignore_nulls_) return aggregate;
    if (!latest_ && aggregate.asArray().items.size() >= n_)
      return aggregate;  // the earliest are kept
    std::vector<Value>& items = mutableItems(aggregate);
    if (items.size() >= n_) items.erase(items.begin());
    items.push_back(arg);
    return aggregate;
  }
  Value result(const Value& aggregate) const override {
    if (!single_) return aggregate;
    const auto& items = aggregate.asArray().items;
    return items.empty() ? Value::null() : items.front();
  }

 private:
  bool latest_;
  size_t n_;
  bool single_;
  bool ignore_nulls_;
};

void addByOffset(Catalog& catalog, const std::string& name, bool latest, std::string description) {
  AggregateFunctionDef function{name, std::move(description), {}};
  // Literal parameters: none, ignoreNulls, n, or n and ignoreNulls.
  const std::vector<std::vector<Param>> literal_forms = {
      {},
      {param("ignoreNulls", SqlType::boolean())},
      {param("n", SqlType::integer())},
      {param("n", SqlType::integer()), param("ignoreNulls", SqlType::boolean())}};
  for (const auto& literals : literal_forms) {
    AggregateVariant variant;
    variant.params = {generic("val")};
    variant.literal_params = literals;
    const bool single = literals.empty() || literals[0].name == "ignoreNulls";
    variant.return_text = single ? "T" : "ARRAY<T>";
    variant.make =
        [name, latest, single](
            std::vector<SqlTypePtr> types,
            const std::vector<Value>& args) -> Result<std::unique_ptr<AggregateFunction>> {
      int n = 1;
      if (!single) {
        RUNNEL_ASSIGN_OR_RETURN(n, positiveLiteral(name, args[0]));
      }
      const bool ignore_nulls = args.empty() || !args.back().is<bool>() || args.back().asBool();
      return std::unique_ptr<AggregateFunction>(
          std::make_unique<ByOffsetAggregate>(types[0], latest, n, single, ignore_nulls));
    };
    function.variants.push_back(std::move(variant));
  }
  catalog.addAggregate(std::move(function));
}

}  // namespace

void registerOffsetAggregates(Catalog& catalog) {
  addByOffset(catalog, "LATEST_BY_OFFSET", true,
              "Returns the latest value (or n values) of a column by offset, NULLs ignored unless "
              "asked not to.");
  addByOffset(catalog, "EARLIEST_BY_OFFSET", false,
              "Returns the earliest value (or n values) of a column by offset, NULLs ignored "
              "unless asked not to.");
}

}  // namespace runnel::sql::functions
