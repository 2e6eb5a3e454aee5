// Isolates the key-value stores (bytes level, no serdes, no caching or changelog): put and
// get of 1M random 16-byte keys with 100-byte values, in memory and in RocksDB.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "streams/in_memory_key_value_store.h"
#include "streams/rocksdb_key_value_store.h"

namespace runnel::streams {
namespace {

constexpr size_t kEntries = 1'000'000;
constexpr size_t kValueBytes = 100;

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

// 16-byte keys (8 random bytes, then the index) in random order.
const std::vector<std::string>& keys() {
  static const std::vector<std::string> all = [] {
    std::mt19937_64 random(42);
    std::vector<std::string> out(kEntries);
    for (size_t i = 0; i < kEntries; ++i) {
      uint64_t parts[2] = {random(), i};
      out[i].assign(reinterpret_cast<const char*>(parts), sizeof(parts));
    }
    return out;
  }();
  return all;
}

std::unique_ptr<KeyValueBytesStore> openStore(bool persistent, const BenchDir& dir) {
  auto store = persistent ? makeRocksDbKeyValueStore("bench") : makeInMemoryKeyValueStore("bench");
  if (!store->init({"bench", "0_0", dir.path() / std::to_string(std::random_device()())}).isOk()) std::abort();
  return store;
}

void fill(KeyValueBytesStore& store) {
  const std::string value(kValueBytes, 'v');
  for (const std::string& key : keys()) {
    if (!store.put(key, value).isOk()) std::abort();
  }
}

// Each iteration puts every key into a fresh store; the time excludes opening, the
// final flush and closing.
void BM_Put(benchmark::State& state, bool persistent) {
  BenchDir dir;
  keys();
  for (auto _ : state) {
    state.PauseTiming();
    auto store = openStore(persistent, dir);
    state.ResumeTiming();
    fill(*store);
    state.PauseTiming();
    if (!store->close().isOk()) std::abort();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(int64_t(state.iterations() * kEntries));
}

// Each iteration gets every key, in another random order than they were put in, from a
// store filled (and, for RocksDB, flushed to its files) beforehand.
void BM_Get(benchmark::State& state, bool persistent) {
  BenchDir dir;
  auto store = openStore(persistent, dir);
  fill(*store);
  if (!store->flush().isOk()) std::abort();
  std::vector<std::string> order = keys();
  std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
  std::string value;
  for (auto _ : state) {
    for (const std::string& key : order) {
      auto found = store->get(key, value);
      if (!found.isOk() || !*found) std::abort();
    }
    benchmark::DoNotOptimize(value.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations() * kEntries));
  if (!store->close().isOk()) std::abort();
}

BENCHMARK_CAPTURE(BM_Put, in_memory, false)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_Put, rocksdb, true)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_Get, in_memory, false)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_Get, rocksdb, true)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace runnel::streams
