#include "streams/stores.h"

#include "streams/in_memory_key_value_store.h"
#include "streams/lru_key_value_store.h"
#include "streams/rocksdb_key_value_store.h"

namespace runnel::streams {
namespace {

class KeyValueBytesStoreFactory final : public KeyValueBytesStoreSupplier {
 public:
  using Make = std::unique_ptr<KeyValueBytesStore> (*)(std::string);

  KeyValueBytesStoreFactory(std::string name, Make make) : name_(std::move(name)), make_(make) {}

  const std::string& name() const override { return name_; }
  std::unique_ptr<KeyValueBytesStore> get() const override { return make_(name_); }

 private:
  std::string name_;
  Make make_;
};

class LruStoreSupplier final : public KeyValueBytesStoreSupplier {
 public:
  LruStoreSupplier(std::string name, size_t max_entries) : name_(std::move(name)), max_entries_(max_entries) {}
  const std::string& name() const override { return name_; }
  std::unique_ptr<KeyValueBytesStore> get() const override { return makeLruKeyValueStore(name_, max_entries_); }

 private:
  std::string name_;
  size_t max_entries_;
};

}  // namespace

KeyValueBytesStoreSupplierPtr Stores::persistentKeyValueStore(std::string name) {
  return std::make_shared<KeyValueBytesStoreFactory>(std::move(name), &makeRocksDbKeyValueStore);
}

KeyValueBytesStoreSupplierPtr Stores::inMemoryKeyValueStore(std::string name) {
  return std::make_shared<KeyValueBytesStoreFactory>(std::move(name), &makeInMemoryKeyValueStore);
}

KeyValueBytesStoreSupplierPtr Stores::lruMap(std::string name, size_t max_cache_size) {
  return std::make_shared<LruStoreSupplier>(std::move(name), max_cache_size);
}

}  // namespace runnel::streams
