#include <algorithm>
#include <cmath>

#include "sql/functions/aggregate_support.h"

// COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT. NULL arguments are skipped by all of them.
// COUNT, SUM and AVG take records back (undo) for table aggregations, as in ksqlDB.
namespace runnel::sql::functions {
namespace {

// COUNT(*) / COUNT(literal) counts records; COUNT(col) counts non-NULL values.
class CountAggregate final : public TypedAggregate {
 public:
  explicit CountAggregate(bool counts_column)
      : TypedAggregate(SqlType::bigint(), SqlType::bigint()), counts_column_(counts_column) {}
  Value initialize() const override { return int64_t{0}; }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    return counts(args) ? aggregate.asBigint() + 1 : aggregate.asBigint();
  }
  bool supportsUndo() const override { return true; }
  Value undo(std::span<const Value> args, Value aggregate) const override {
    return counts(args) ? aggregate.asBigint() - 1 : aggregate.asBigint();
  }
  Value result(const Value& aggregate) const override { return aggregate; }

 private:
  bool counts(std::span<const Value> args) const { return !counts_column_ || !args[0].isNull(); }
  bool counts_column_;
};

// Integer sums wrap on overflow, as Java's do (without C++'s undefined behaviour).
template <class T>
T plus(T a, T b, int sign) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(sign > 0 ? static_cast<U>(a) + static_cast<U>(b)
                                   : static_cast<U>(a) - static_cast<U>(b));
  } else if constexpr (std::is_same_v<T, Decimal>) {
    return Decimal{sign > 0 ? a.unscaled + b.unscaled : a.unscaled - b.unscaled, a.scale};
  } else {
    return sign > 0 ? a + b : a - b;
  }
}

template <class T>
Value zeroOf(const SqlType& type) {
  if constexpr (std::is_same_v<T, Decimal>)
    return Decimal{0, type.scale};
  else
    return T{};
}

template <class T>
class SumAggregate final : public TypedAggregate {
 public:
  explicit SumAggregate(const SqlTypePtr& type) : TypedAggregate(type, type) {}
  Value initialize() const override { return zeroOf<T>(*returnType()); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    return fold(args[0], aggregate, 1);
  }
  bool supportsUndo() const override { return true; }
  Value undo(std::span<const Value> args, Value aggregate) const override {
    return fold(args[0], aggregate, -1);
  }
  Value result(const Value& aggregate) const override { return aggregate; }

 private:
  static Value fold(const Value& arg, const Value& aggregate, int sign) {
    if (arg.isNull()) return aggregate;
    return plus(aggregate.as<T>(), arg.as<T>(), sign);
  }
};

double toDouble(const Decimal& value) {
  return static_cast<double>(static_cast<long double>(value.unscaled) /
                             std::pow(10.0L, value.scale));
}

// AVG keeps STRUCT<SUM, COUNT>: SUM is BIGINT for INT and BIGINT input, else the input's type.
template <class Sum>
class AverageAggregate final : public TypedAggregate {
 public:
  explicit AverageAggregate(SqlTypePtr sum_type)
      : TypedAggregate(SqlType::structType({{"SUM", sum_type}, {"COUNT", SqlType::bigint()}}),
                       SqlType::doubleType()),
        sum_type_(std::move(sum_type)) {}
  Value initialize() const override {
    return Value::structOf({zeroOf<Sum>(*sum_type_), int64_t{0}});
  }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    return fold(args[0], std::move(aggregate), 1);
  }
  bool supportsUndo() const override { return true; }
  Value undo(std::span<const Value> args, Value aggregate) const override {
    return fold(args[0], std::move(aggregate), -1);
  }
  // 0.0 before any value, as ksqlDB's AVG.
  Value result(const Value& aggregate) const override {
    const auto& fields = aggregate.asStruct().fields;
    const int64_t count = fields[1].asBigint();
    if (count == 0) return 0.0;
    const Sum& sum = fields[0].as<Sum>();
    if constexpr (std::is_same_v<Sum, Decimal>)
      return toDouble(sum) / static_cast<double>(count);
    else
      return static_cast<double>(sum) / static_cast<double>(count);
  }

 private:
  static Value fold(const Value& arg, Value aggregate, int sign) {
    if (arg.isNull()) return aggregate;
    std::vector<Value>& fields = mutableFields(aggregate, 2);
    Sum value;
    if constexpr (std::is_same_v<Sum, int64_t>)
      value = arg.is<int32_t>() ? arg.asInt() : arg.asBigint();
    else
      value = arg.as<Sum>();
    fields[0] = plus(fields[0].as<Sum>(), value, sign);
    fields[1] = fields[1].asBigint() + sign;
    return aggregate;
  }
  SqlTypePtr sum_type_;
};

// MIN and MAX: the extreme non-NULL value, NULL before any.
class ExtremeAggregate final : public TypedAggregate {
 public:
  ExtremeAggregate(const SqlTypePtr& type, int wanted_sign)
      : TypedAggregate(type, type), wanted_sign_(wanted_sign) {}
  Value initialize() const override { return Value::null(); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    const Value& arg = args[0];
    if (arg.isNull()) return aggregate;
    if (aggregate.isNull() || compareValues(arg, aggregate) * wanted_sign_ > 0) return arg;
    return aggregate;
  }
  Value result(const Value& aggregate) const override { return aggregate; }

 private:
  int wanted_sign_;
};

// COUNT_DISTINCT keeps the distinct values themselves, sorted, so its count is exact
// (ksqlDB's HyperLogLog estimate is within a few percent of it).
class CountDistinctAggregate final : public TypedAggregate {
 public:
  explicit CountDistinctAggregate(const SqlTypePtr& type)
      : TypedAggregate(SqlType::array(type), SqlType::bigint()) {}
  Value initialize() const override { return Value::array({}); }
  Value aggregate(std::span<const Value> args, Value aggregate) const override {
    const Value& arg = args[0];
    if (arg.isNull()) return aggregate;
    const auto& current = aggregate.asArray().items;
    auto less = [](const Value& a, const Value& b) { return compareValues(a, b) < 0; };
    auto at = std::lower_bound(current.begin(), current.end(), arg, less);
    if (at != current.end() && compareValues(*at, arg) == 0) return aggregate;
    const auto index = at - current.begin();
    std::vector<Value>& items = mutableItems(aggregate);
    items.insert(items.begin() + index, arg);
    return aggregate;
  }
  Value result(const Value& aggregate) const override {
    return static_cast<int64_t>(aggregate.asArray().items.size());
  }
};

using Made = Result<std::unique_ptr<AggregateFunction>>;

AggregateVariant variant(
    std::vector<Param> params, std::string return_text,
    std::function<std::unique_ptr<AggregateFunction>(const std::vector<SqlTypePtr>&)> make) {
  AggregateVariant v;
  v.params = std::move(params);
  v.return_text = std::move(return_text);
  v.make = [make = std::move(make)](std::vector<SqlTypePtr> types,
                                    const std::vector<Value>&) -> Made { return make(types); };
  return v;
}

std::string returnTextOf(const Param& p) {
  return p.kind == Param::Kind::kAnyDecimal ? "DECIMAL" : p.type->toString();
}

std::unique_ptr<AggregateFunction> makeSum(const SqlTypePtr& type) {
  switch (type->kind) {
    case TypeKind::kInt:
      return std::make_unique<SumAggregate<int32_t>>(type);
    case TypeKind::kBigint:
      return std::make_unique<SumAggregate<int64_t>>(type);
    case TypeKind::kDouble:
      return std::make_unique<SumAggregate<double>>(type);
    default:
      return std::make_unique<SumAggregate<Decimal>>(type);
  }
}

std::unique_ptr<AggregateFunction> makeAverage(const SqlTypePtr& type) {
  switch (type->kind) {
    case TypeKind::kInt:
    case TypeKind::kBigint:
      return std::make_unique<AverageAggregate<int64_t>>(SqlType::bigint());
    case TypeKind::kDouble:
      return std::make_unique<AverageAggregate<double>>(type);
    default:
      return std::make_unique<AverageAggregate<Decimal>>(type);
  }
}

std::vector<Param> numericParams() {
  return {param("val", SqlType::integer()), param("val", SqlType::bigint()),
          param("val", SqlType::doubleType()), anyDecimal("val")};
}

}  // namespace

void registerBasicAggregates(Catalog& catalog) {
  AggregateFunctionDef count{"COUNT", "Counts records, or the non-NULL values of a column.", {}};
  count.variants.push_back(
      variant({}, "BIGINT", [](const auto&) { return std::make_unique<CountAggregate>(false); }));
  count.variants.push_back(variant({anyType("col")}, "BIGINT", [](const auto&) {
    return std::make_unique<CountAggregate>(true);
  }));
  AggregateVariant count_literal =
      variant({}, "BIGINT", [](const auto&) { return std::make_unique<CountAggregate>(false); });
  count_literal.literal_params = {anyType("literal")};
  count.variants.push_back(std::move(count_literal));
  catalog.addAggregate(std::move(count));

  AggregateFunctionDef sum{"SUM", "Sums the non-NULL values of a column.", {}};
  AggregateFunctionDef avg{
      "AVG", "Returns the average of the non-NULL values of a column, as a DOUBLE.", {}};
  for (const Param& p : numericParams()) {
    sum.variants.push_back(
        variant({p}, returnTextOf(p), [](const auto& types) { return makeSum(types[0]); }));
    avg.variants.push_back(
        variant({p}, "DOUBLE", [](const auto& types) { return makeAverage(types[0]); }));
  }
  catalog.addAggregate(std::move(sum));
  catalog.addAggregate(std::move(avg));

  AggregateFunctionDef min{"MIN", "Returns the minimum non-NULL value of a column.", {}};
  AggregateFunctionDef max{"MAX", "Returns the maximum non-NULL value of a column.", {}};
  AggregateFunctionDef count_distinct{
      "COUNT_DISTINCT", "Returns the number of distinct non-NULL values of a column.", {}};
  std::vector<Param> distinct_params = comparableParams("val");
  distinct_params.push_back(param("val", SqlType::boolean()));
  for (const Param& p : comparableParams("val")) {
    min.variants.push_back(variant({p}, returnTextOf(p), [](const auto& types) {
      return std::make_unique<ExtremeAggregate>(types[0], -1);
    }));
    max.variants.push_back(variant({p}, returnTextOf(p), [](const auto& types) {
      return std::make_unique<ExtremeAggregate>(types[0], 1);
    }));
  }
  for (const Param& p : distinct_params) {
    count_distinct.variants.push_back(variant({p}, "BIGINT", [](const auto& types) {
      return std::make_unique<CountDistinctAggregate>(types[0]);
    }));
  }
  catalog.addAggregate(std::move(min));
  catalog.addAggregate(std::move(max));
  catalog.addAggregate(std::move(count_distinct));
}

}  // namespace runnel::sql::functions
