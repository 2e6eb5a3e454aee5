// Compiled SQL expressions evaluated per row, without parsing or I/O: a WHERE-style
// predicate (`A > 10 AND B LIKE 'x%'`) and a projection of five arithmetic and CAST
// expressions over rows of 8 columns. Time per iteration is ns per row.

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "sql/expression.h"
#include "sql/functions.h"

namespace runnel::sql {
namespace {

ExprPtr column(const std::string& name) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->name = name;
  e->text = name;
  return e;
}

ExprPtr literal(Value value, SqlTypePtr type) {
  auto e = std::make_shared<Expr>();
  e->literal = std::move(value);
  e->literal_type = std::move(type);
  return e;
}

ExprPtr binary(Operator op, ExprPtr left, ExprPtr right) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kBinary;
  e->op = op;
  e->children = {std::move(left), std::move(right)};
  return e;
}

ExprPtr like(ExprPtr value, const std::string& pattern) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLike;
  e->children = {std::move(value), literal(Value(pattern), SqlType::string())};
  return e;
}

ExprPtr cast(ExprPtr operand, SqlTypePtr type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCast;
  e->children = {std::move(operand)};
  e->target_type = std::move(type);
  return e;
}

ExpressionScope scope() {
  ExpressionScope s;
  int index = 0;
  for (auto& [name, type] : std::vector<std::pair<std::string, SqlTypePtr>>{
           {"A", SqlType::integer()}, {"B", SqlType::string()}, {"C", SqlType::bigint()},
           {"D", SqlType::doubleType()}, {"E", SqlType::decimal(10, 2)}, {"F", SqlType::boolean()},
           {"G", SqlType::string()}, {"H", SqlType::timestamp()}}) {
    s.add({name, "", type, index++});
  }
  return s;
}

// Rows whose A and B vary so that the predicate's outcome is not constant.
std::vector<std::vector<Value>> rows() {
  std::vector<std::vector<Value>> out;
  for (int i = 0; i < 64; ++i) {
    out.push_back({Value(int32_t{i % 20}), Value(std::string(i % 3 == 0 ? "xylophone" : "marimba")),
                   Value(int64_t{i} * 1000), Value(i * 1.5), Value(Decimal{i * 125, 2}), Value(i % 2 == 0),
                   Value(std::string("some other text")), Value(Timestamp{1651182287943 + i})});
  }
  return out;
}

CompiledExpression compile(const ExprPtr& expr, const ExpressionScope& s) {
  return std::move(compileExpression(*expr, s, FunctionRegistry::builtin())).value();
}

void BM_WherePredicate(benchmark::State& state) {
  auto s = scope();
  auto predicate = compile(binary(Operator::kAnd, binary(Operator::kGreater, column("A"), literal(Value(int32_t{10}), SqlType::integer())),
                                  like(column("B"), "x%")),
                           s);
  auto data = rows();
  size_t i = 0;
  int64_t passed = 0;
  for (auto _ : state) {
    Value result = predicate.evaluate(data[i++ & 63]);
    passed += !result.isNull() && result.asBool();
  }
  benchmark::DoNotOptimize(passed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WherePredicate);

void BM_Projection(benchmark::State& state) {
  auto s = scope();
  std::vector<CompiledExpression> projection;
  projection.push_back(compile(binary(Operator::kAdd, column("A"), column("C")), s));
  projection.push_back(compile(binary(Operator::kMultiply, column("D"), literal(Value(2.5), SqlType::doubleType())), s));
  projection.push_back(
      compile(binary(Operator::kAdd, column("E"), literal(Value(Decimal{125, 2}), SqlType::decimal(3, 2))), s));
  projection.push_back(compile(cast(column("A"), SqlType::string()), s));
  projection.push_back(compile(cast(column("D"), SqlType::bigint()), s));
  auto data = rows();
  std::vector<Value> out(projection.size());
  size_t i = 0;
  for (auto _ : state) {
    const auto& row = data[i++ & 63];
    for (size_t c = 0; c < projection.size(); ++c) out[c] = projection[c].evaluate(row);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Projection);

}  // namespace
}  // namespace runnel::sql
