// Isolates PartitionLog's append and read paths on the page cache (no fsync, no network, no protocol decoding).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "common/bytes.h"
#include "storage/batch_header.h"
#include "storage/partition_log.h"

namespace runnel::storage {
namespace {

constexpr size_t kBatchBytes = 16 * 1024;

class BenchDir {
 public:
  BenchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "runnel-bench-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~BenchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// An uncompressed v2 batch of about kBatchBytes holding records with `value_size`-byte values.
Bytes makeBatch(size_t value_size, int* records) {
  using namespace batch_layout;
  Bytes out(kHeaderSize, 0);
  std::string value(value_size, 'x');
  int count = 0;
  while (out.size() + value_size + 16 <= kBatchBytes) {
    Bytes record;
    ByteWriter r(record);
    r.u8(0);
    r.varint(count);  // timestamp delta
    r.varint(count);  // offset delta
    r.varint(-1);
    r.varint(int64_t(value.size()));
    r.raw(value);
    r.uvarint(0);
    ByteWriter w(out);
    w.varint(int64_t(record.size()));
    w.raw(record);
    ++count;
  }
  uint8_t* p = out.data();
  storeBe32(p + kBatchLength, uint32_t(out.size() - kLogOverhead));
  p[kMagic] = 2;
  storeBe32(p + kLastOffsetDelta, uint32_t(count - 1));
  storeBe64(p + kBaseTimestamp, 1'700'000'000'000);
  storeBe64(p + kMaxTimestamp, 1'700'000'000'000 + uint64_t(count - 1));
  storeBe64(p + kProducerId, uint64_t(-1));
  storeBe16(p + kProducerEpoch, uint16_t(-1));
  storeBe32(p + kBaseSequence, uint32_t(-1));
  storeBe32(p + kRecordCount, uint32_t(count));
  updateBatchCrc(p, out.size());
  *records = count;
  return out;
}

LogConfig benchConfig() {
  LogConfig config;
  config.segment_bytes = 64 << 20;
  config.retention_bytes = 256 << 20;  // bounds the disk a long run uses
  config.retention_ms = -1;
  return config;
}

void BM_Append(benchmark::State& state) {
  BenchDir dir;
  auto log = std::move(PartitionLog::open(dir.path(), benchConfig())).value();
  int records = 0;
  Bytes batch = makeBatch(size_t(state.range(0)), &records);
  int64_t now = 0;
  for (auto _ : state) {
    // Reusing the buffer is fine: append only rewrites the base offset, outside the CRC.
    auto result = log->append(batch, ++now);
    if (!result.isOk()) state.SkipWithError(result.status().toString().c_str());
    if ((now & 4095) == 0) (void)log->applyRetention(now);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(batch.size()));
  state.SetItemsProcessed(int64_t(state.iterations()) * records);
  state.counters["records_per_batch"] = records;
}
BENCHMARK(BM_Append)->Arg(1024)->Arg(100)->ArgName("value_bytes");

// Fills a log with 64 MiB of 16 KiB batches of 1 KiB records.
std::unique_ptr<PartitionLog> filledLog(const std::filesystem::path& dir) {
  auto log = std::move(PartitionLog::open(dir, benchConfig())).value();
  int records = 0;
  Bytes batch = makeBatch(1024, &records);
  for (size_t written = 0; written < (64u << 20); written += batch.size()) (void)log->append(batch, 1);
  return log;
}

// Sequential consumption with fetch-sized reads (max_bytes = range(0)).
void BM_ReadSequential(benchmark::State& state) {
  BenchDir dir;
  auto log = filledLog(dir.path());
  size_t max_bytes = size_t(state.range(0));
  Bytes out;
  out.reserve(max_bytes + kBatchBytes);
  int64_t offset = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    if (!log->read(offset, max_bytes, out).isOk()) state.SkipWithError("read failed");
    bytes += int64_t(out.size());
    // The next offset follows the last batch returned.
    size_t at = 0;
    int64_t next = offset;
    while (at + batch_layout::kHeaderSize <= out.size()) {
      auto h = parseBatchHeader(ByteSpan(out).subspan(at));
      next = h->nextOffset();
      at += h->totalSize();
    }
    offset = next >= log->logEndOffset() ? 0 : next;
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ReadSequential)->Arg(64 << 10)->Arg(1 << 20)->ArgName("max_bytes");

// One-batch reads at random offsets: the index lookup and header scan dominate.
void BM_ReadRandomOffset(benchmark::State& state) {
  BenchDir dir;
  auto log = filledLog(dir.path());
  std::mt19937_64 rng(7);
  Bytes out;
  int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    int64_t offset = int64_t(rng() % uint64_t(log->logEndOffset()));
    if (!log->read(offset, 1, out).isOk()) state.SkipWithError("read failed");
    bytes += int64_t(out.size());
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ReadRandomOffset);

}  // namespace
}  // namespace runnel::storage
