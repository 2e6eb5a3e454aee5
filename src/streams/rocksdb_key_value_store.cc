#include "streams/rocksdb_key_value_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <thread>
#include <unordered_set>
#include <utility>

namespace runnel::streams {
namespace {

// Kafka Streams' RocksDBStore defaults, except a smaller block cache: Kafka's 50 MB per
// store adds up quickly with one store per task.
constexpr size_t kBlockCacheBytes = 16 << 20;
constexpr size_t kBlockSizeBytes = 4 << 10;
constexpr size_t kWriteBufferBytes = 16 << 20;
constexpr int kMaxWriteBuffers = 3;
constexpr int kBloomBitsPerKey = 10;

Status fromRocks(const rocksdb::Status& status, std::string_view what) {
  std::string message = std::string(what) + ": " + status.ToString();
  if (status.IsCorruption()) return Status::corruption(std::move(message));
  if (status.IsIOError()) return Status::ioError(std::move(message));
  if (status.IsInvalidArgument()) return Status::invalidArgument(std::move(message));
  if (status.IsNotSupported()) return Status::unsupported(std::move(message));
  return Status::internal(std::move(message));
}

rocksdb::Options storeOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(int(std::max(2u, std::thread::hardware_concurrency())));
  options.compaction_style = rocksdb::kCompactionStyleUniversal;
  options.compression = rocksdb::kNoCompression;
  options.write_buffer_size = kWriteBufferBytes;
  options.max_write_buffer_number = kMaxWriteBuffers;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.block_size = kBlockSizeBytes;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

class RocksDbKeyValueStore;

// A RocksDB iterator: it reads the implicit snapshot taken when it was made, and its
// key() and value() point into RocksDB's blocks.
class RocksDbIterator final : public KeyValueBytesIterator {
 public:
  RocksDbIterator(RocksDbKeyValueStore* store, rocksdb::DB& db, KeyRange range)
      : store_(store), range_(std::move(range)) {
    rocksdb::ReadOptions options;
    // The bounds point into range_, which lives as long as the iterator.
    if (range_.lower) {
      lower_ = *range_.lower;
      options.iterate_lower_bound = &lower_;
    }
    if (range_.upper) {
      upper_ = *range_.upper;
      options.iterate_upper_bound = &upper_;
    }
    it_.reset(db.NewIterator(options));
    if (range_.reverse) {
      it_->SeekToLast();
    } else {
      it_->SeekToFirst();
    }
  }
  ~RocksDbIterator() override { close(); }

  bool valid() const override { return it_ != nullptr && it_->Valid(); }
  std::string_view key() const override { return it_->key().ToStringView(); }
  std::string_view value() const override { return it_->value().ToStringView(); }
  void next() override {
    if (!valid()) return;
    if (range_.reverse) {
      it_->Prev();
    } else {
      it_->Next();
    }
  }
  Status status() const override {
    if (it_ == nullptr) return status_;
    rocksdb::Status status = it_->status();
    return status.ok() ? Status::ok() : fromRocks(status, "iterating");
  }
  void close() override;

  // Called by the store when it closes with this iterator still open.
  void detach(const std::string& store_name) {
    it_.reset();
    store_ = nullptr;
    status_ = Status::invalidArgument("state store " + store_name + " was closed while an iterator was open");
  }

 private:
  RocksDbKeyValueStore* store_;
  KeyRange range_;
  rocksdb::Slice lower_;
  rocksdb::Slice upper_;
  std::unique_ptr<rocksdb::Iterator> it_;
  Status status_;
};

class RocksDbKeyValueStore final : public KeyValueBytesStore {
 public:
  explicit RocksDbKeyValueStore(std::string name) : name_(std::move(name)) {
    write_options_.disableWAL = true;
  }
  ~RocksDbKeyValueStore() override { (void)close(); }

  const std::string& name() const override { return name_; }
  Status init(const StateStoreContext& context) override {
    if (db_) return Status::invalidArgument("state store " + name_ + " is already open");
    path_ = context.task_dir / "rocksdb" / name_;
    std::error_code ec;
    std::filesystem::create_directories(path_, ec);
    if (ec) return Status::ioError("cannot create the directory of state store " + name_ + " at " + path_.string() + ": " + ec.message());
    rocksdb::DB* db = nullptr;
    rocksdb::Status status = rocksdb::DB::Open(storeOptions(), path_.string(), &db);
    if (!status.ok()) return fromRocks(status, "cannot open state store " + name_ + " at " + path_.string());
    db_.reset(db);
    return Status::ok();
  }
  Status flush() override {
    if (!db_) return storeNotOpen(name_);
    rocksdb::Status status = db_->Flush(rocksdb::FlushOptions());
    return status.ok() ? Status::ok() : fromRocks(status, "flushing state store " + name_ + " at " + path_.string());
  }
  Status close() override {
    if (!db_) return Status::ok();
    for (RocksDbIterator* it : std::exchange(open_iterators_, {})) it->detach(name_);
    Status flushed = flush();
    rocksdb::Status closed = db_->Close();
    db_.reset();
    RUNNEL_RETURN_IF_ERROR(flushed);
    return closed.ok() ? Status::ok() : fromRocks(closed, "closing state store " + name_ + " at " + path_.string());
  }
  bool persistent() const override { return true; }
  bool isOpen() const override { return db_ != nullptr; }

  Result<bool> get(std::string_view key, std::string& value) override {
    if (!db_) return storeNotOpen(name_);
    rocksdb::PinnableSlice pinned;
    rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), key, &pinned);
    if (status.IsNotFound()) return false;
    if (!status.ok()) return fromRocks(status, "reading state store " + name_);
    value.assign(pinned.data(), pinned.size());
    return true;
  }
  Status put(std::string_view key, std::string_view value) override {
    if (!db_) return storeNotOpen(name_);
    return written(db_->Put(write_options_, key, value));
  }
  Result<std::optional<std::string>> putIfAbsent(std::string_view key, std::string_view value) override {
    std::string previous;
    RUNNEL_ASSIGN_OR_RETURN(bool found, get(key, previous));
    if (found) return std::optional<std::string>(std::move(previous));
    RUNNEL_RETURN_IF_ERROR(put(key, value));
    return std::optional<std::string>();
  }
  Result<std::optional<std::string>> remove(std::string_view key) override {
    std::string previous;
    RUNNEL_ASSIGN_OR_RETURN(bool found, get(key, previous));
    if (!found) return std::optional<std::string>();
    RUNNEL_RETURN_IF_ERROR(written(db_->Delete(write_options_, key)));
    return std::optional<std::string>(std::move(previous));
  }
  Status putAll(std::span<const BytesEntry> entries) override {
    if (!db_) return storeNotOpen(name_);
    rocksdb::WriteBatch batch;
    for (const BytesEntry& entry : entries) {
      rocksdb::Status status = entry.value ? batch.Put(entry.key, *entry.value) : batch.Delete(entry.key);
      if (!status.ok()) return fromRocks(status, "batching writes to state store " + name_);
    }
    return written(db_->Write(write_options_, &batch));
  }
  Result<uint64_t> approximateNumEntries() override {
    if (!db_) return storeNotOpen(name_);
    uint64_t count = 0;
    if (!db_->GetIntProperty(rocksdb::DB::Properties::kEstimateNumKeys, &count)) {
      return Status::internal("state store " + name_ + ": RocksDB has no estimate of its number of keys");
    }
    return count;
  }

  KeyValueBytesIteratorPtr scan(KeyRange range) override {
    if (!db_) return makeEmptyIterator(storeNotOpen(name_));
    auto it = std::make_unique<RocksDbIterator>(this, *db_, std::move(range));
    open_iterators_.insert(it.get());
    return it;
  }

  void forget(RocksDbIterator* it) { open_iterators_.erase(it); }

 private:
  Status written(const rocksdb::Status& status) const {
    return status.ok() ? Status::ok() : fromRocks(status, "writing state store " + name_ + " at " + path_.string());
  }

  std::string name_;
  std::filesystem::path path_;
  rocksdb::WriteOptions write_options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unordered_set<RocksDbIterator*> open_iterators_;
};

void RocksDbIterator::close() {
  it_.reset();
  if (store_ != nullptr) store_->forget(this);
  store_ = nullptr;
}

}  // namespace

std::unique_ptr<KeyValueBytesStore> makeRocksDbKeyValueStore(std::string name) {
  return std::make_unique<RocksDbKeyValueStore>(std::move(name));
}

}  // namespace runnel::streams
