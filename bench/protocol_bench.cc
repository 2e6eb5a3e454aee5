// Isolates the protocol layer's per-record and per-request CPU cost: building and iterating record batches of 100-byte records (none/lz4/zstd) and decoding a Produce request, all in memory.

#include <benchmark/benchmark.h>

#include <string>

#include "protocol/messages/produce.h"
#include "protocol/record_batch.h"

using namespace runnel;
using namespace runnel::protocol;

namespace {

constexpr int kRecordsPerBatch = 1000;

const std::string& payload() {
  // Semi-compressible: a counter pattern with some repetition, like JSON events.
  static const std::string value = [] {
    std::string s;
    for (int i = 0; s.size() < 100; ++i) s += "{\"id\":" + std::to_string(i * 7919 % 1000) + "}";
    s.resize(100);
    return s;
  }();
  return value;
}

Bytes makeBatch(Compression compression) {
  RecordBatchBuilder builder(compression);
  for (int i = 0; i < kRecordsPerBatch; ++i) builder.add(1700000000000 + i, std::nullopt, asBytes(payload()));
  return builder.build();
}

void BM_BuildBatch(benchmark::State& state) {
  Compression compression = Compression(state.range(0));
  RecordBatchBuilder builder(compression);
  Bytes out;
  for (auto _ : state) {
    builder.reset();
    for (int i = 0; i < kRecordsPerBatch; ++i) builder.add(1700000000000 + i, std::nullopt, asBytes(payload()));
    out.clear();
    benchmark::DoNotOptimize(builder.appendTo(out));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kRecordsPerBatch);
  state.SetBytesProcessed(state.iterations() * kRecordsPerBatch * int64_t(payload().size()));
  state.SetLabel(std::string(compressionName(compression)));
}

void BM_IterateBatch(benchmark::State& state) {
  Compression compression = Compression(state.range(0));
  Bytes batch = makeBatch(compression);
  RecordReader reader;
  for (auto _ : state) {
    size_t bytes = 0;
    Status status = reader.forEachRecord(batch, [&](const storage::BatchHeader&, const RecordView& r) {
      bytes += r.value->size();
      return Status::ok();
    });
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * kRecordsPerBatch);
  state.SetBytesProcessed(state.iterations() * kRecordsPerBatch * int64_t(payload().size()));
  state.SetLabel(std::string(compressionName(compression)));
}

void BM_ValidateBatch(benchmark::State& state) {
  Bytes batch = makeBatch(Compression::kNone);
  for (auto _ : state) {
    int32_t count = 0;
    benchmark::DoNotOptimize(validateBatches(batch, &count));
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(state.iterations() * int64_t(batch.size()));
}

// A Produce v7 request for 10 partitions of one topic, each with one uncompressed batch.
void BM_DecodeProduceRequest(benchmark::State& state) {
  Bytes batch = makeBatch(Compression::kNone);
  ProduceRequest request;
  request.acks = -1;
  request.timeout_ms = 30000;
  ProduceRequest::TopicProduceData topic;
  topic.name = "events";
  for (int p = 0; p < 10; ++p) topic.partition_data.push_back({p, ByteSpan(batch), {}});
  request.topic_data.push_back(topic);
  Bytes body;
  Encoder(body, 7, false).structure(request);
  for (auto _ : state) {
    ProduceRequest decoded;
    benchmark::DoNotOptimize(decodeBody(body, 7, decoded));
    benchmark::DoNotOptimize(decoded.topic_data.data());
  }
  state.SetBytesProcessed(state.iterations() * int64_t(body.size()));
}

}  // namespace

BENCHMARK(BM_BuildBatch)->Arg(int(Compression::kNone))->Arg(int(Compression::kLz4))->Arg(int(Compression::kZstd));
BENCHMARK(BM_IterateBatch)->Arg(int(Compression::kNone))->Arg(int(Compression::kLz4))->Arg(int(Compression::kZstd));
BENCHMARK(BM_ValidateBatch);
BENCHMARK(BM_DecodeProduceRequest);
