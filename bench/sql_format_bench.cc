// Isolates the SQL formats' per-record work: reading a 256-byte, 8-column JSON value into
// a reused row and writing it back (ksqlDB's JSON format), and the same row through the
// internal codec that repartition topics and state stores use.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "sql/row_format.h"

namespace {

using runnel::sql::Column;
using runnel::sql::SqlType;
using runnel::sql::Value;

const std::vector<Column>& orderColumns() {
  static const std::vector<Column> columns = {
      {"ORDER_ID", SqlType::bigint()},  {"CUSTOMER", SqlType::string()},
      {"ITEM", SqlType::string()},      {"PRICE", SqlType::decimal(10, 2)},
      {"QUANTITY", SqlType::integer()}, {"DISCOUNT", SqlType::doubleType()},
      {"PRIORITY", SqlType::boolean()}, {"ORDERED_AT", SqlType::timestamp()}};
  return columns;
}

// Lower-case member names, as producers usually write them: every column is matched by its
// upper-cased name.
constexpr std::string_view kOrder =
    R"({"order_id":1511897796092,"customer":"Magical Pipelines Ltd - Accounts Payable Department",)"
    R"("item":"Industrial strength widget, 40mm, stainless steel, pack of twelve","price":1299.95,)"
    R"("quantity":12,"discount":0.125,"priority":true,"ordered_at":1612778400000})";

std::shared_ptr<const runnel::sql::RowFormat> jsonFormat() {
  return *runnel::sql::makeRowFormat({"JSON", {}}, orderColumns(), /*is_key=*/false);
}

void BM_SqlJsonReadWrite(benchmark::State& state) {
  auto format = jsonFormat();
  std::vector<Value> row;
  std::string out;
  for (auto _ : state) {
    if (!format->read(kOrder, row).isOk()) state.SkipWithError("read failed");
    out.clear();
    format->write(row, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(kOrder.size()));
}
BENCHMARK(BM_SqlJsonReadWrite);

void BM_SqlJsonRead(benchmark::State& state) {
  auto format = jsonFormat();
  std::vector<Value> row;
  for (auto _ : state) {
    if (!format->read(kOrder, row).isOk()) state.SkipWithError("read failed");
    benchmark::DoNotOptimize(row.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(kOrder.size()));
}
BENCHMARK(BM_SqlJsonRead);

void BM_SqlJsonWrite(benchmark::State& state) {
  auto format = jsonFormat();
  std::vector<Value> row;
  if (!format->read(kOrder, row).isOk()) state.SkipWithError("read failed");
  std::string out;
  for (auto _ : state) {
    out.clear();
    format->write(row, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(out.size()));
}
BENCHMARK(BM_SqlJsonWrite);

void BM_SqlInternalCodecRoundTrip(benchmark::State& state) {
  auto format = jsonFormat();
  std::vector<Value> row;
  if (!format->read(kOrder, row).isOk()) state.SkipWithError("read failed");
  std::vector<Value> back;
  std::string out;
  for (auto _ : state) {
    out.clear();
    runnel::sql::encodeValues(row, out);
    if (!runnel::sql::decodeValues(out, back).isOk()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(back.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(out.size()));
}
BENCHMARK(BM_SqlInternalCodecRoundTrip);

}  // namespace
