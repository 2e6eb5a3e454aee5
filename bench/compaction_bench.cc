// Isolates one log cleaning pass (compactLog): building the offset map over the dirty
// segments and rewriting them, for 64 MiB of 100-byte records over 10,000 keys in batches
// of 100, uncompressed and lz4. Bytes/s counts the bytes of log cleaned (the segments the
// pass covers, each read twice: map, then rewrite); the log is
// rebuilt (untimed) before every pass and lives in the page cache (no fsync is timed except
// the cleaned segments' seal).

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "broker/log_compactor.h"
#include "protocol/record_batch.h"
#include "storage/partition_log.h"

namespace {

namespace fs = std::filesystem;
using runnel::Bytes;
using runnel::ByteSpan;
using runnel::protocol::Compression;

constexpr int64_t kNow = 1700000000000;
constexpr size_t kLogBytes = 64 << 20;
constexpr int kKeys = 10000;

std::unique_ptr<runnel::storage::PartitionLog> buildLog(const fs::path& dir, Compression compression) {
  fs::remove_all(dir);
  runnel::storage::LogConfig config;
  config.segment_bytes = 8 << 20;
  auto log = std::move(runnel::storage::PartitionLog::open(dir, config)).value();
  runnel::protocol::RecordBatchBuilder builder(compression);
  std::mt19937 random(42);
  std::string value(100, 'v');
  for (size_t written = 0; written < kLogBytes;) {
    builder.reset();
    for (int i = 0; i < 100; ++i) {
      std::string key = "user-" + std::to_string(random() % kKeys);
      value[0] = char('a' + i % 26);
      builder.add(kNow, ByteSpan(reinterpret_cast<const uint8_t*>(key.data()), key.size()),
                  ByteSpan(reinterpret_cast<const uint8_t*>(value.data()), value.size()));
    }
    Bytes batch = builder.build();
    written += batch.size();
    (void)log->append(batch, kNow);
  }
  return log;
}

void BM_CompactLog(benchmark::State& state) {
  auto compression = Compression(state.range(0));
  fs::path dir = fs::temp_directory_path() / ("runnel-compaction-bench-" + std::to_string(::getpid()));
  int64_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto log = buildLog(dir, compression);
    runnel::broker::CompactionConfig config;
    config.segment_bytes = 8 << 20;
    auto range = runnel::broker::cleanableRange(log->segmentInfos(), 0, config, kNow);
    state.ResumeTiming();
    auto result = runnel::broker::compactLog(*log, range, config, kNow);
    if (!result.isOk()) state.SkipWithError(result.status().toString().c_str());
    bytes += int64_t(range.clean_bytes + range.dirty_bytes);
    state.PauseTiming();
    log.reset();
    state.ResumeTiming();
  }
  fs::remove_all(dir);
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_CompactLog)->Arg(int(Compression::kNone))->Arg(int(Compression::kLz4))->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
