#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <utility>

#include "streams/key_value_bytes_store.h"
#include "streams/key_value_store.h"
#include "streams/serde.h"
#include "streams/store_builder.h"

namespace runnel::streams {

// Makes the bytes store under a KeyValueStore, as Kafka Streams' KeyValueBytesStoreSupplier.
class KeyValueBytesStoreSupplier {
 public:
  virtual ~KeyValueBytesStoreSupplier() = default;
  virtual const std::string& name() const = 0;
  // A fresh, unopened store on every call.
  virtual std::unique_ptr<KeyValueBytesStore> get() const = 0;
};

using KeyValueBytesStoreSupplierPtr = std::shared_ptr<const KeyValueBytesStoreSupplier>;

// The factory of stores, as Kafka Streams' Stores:
//   auto counts = Stores::keyValueStoreBuilder(Stores::persistentKeyValueStore("counts"),
//                                              string_serde, int64_serde);
class Stores {
 public:
  // RocksDB at <task_dir>/rocksdb/<name>.
  static KeyValueBytesStoreSupplierPtr persistentKeyValueStore(std::string name);
  static KeyValueBytesStoreSupplierPtr inMemoryKeyValueStore(std::string name);
  // In memory, at most `max_cache_size` keys: the least recently used is evicted.
  static KeyValueBytesStoreSupplierPtr lruMap(std::string name, size_t max_cache_size);

  template <class K, class V>
  static std::shared_ptr<StoreBuilder<KeyValueStore<K, V>>> keyValueStoreBuilder(KeyValueBytesStoreSupplierPtr supplier,
                                                                                SerdePtr<K> key_serde,
                                                                                SerdePtr<V> value_serde) {
    assert(supplier && key_serde && value_serde);
    std::string name = supplier->name();
    return StoreBuilder<KeyValueStore<K, V>>::make(
        std::move(name), [supplier = std::move(supplier), key_serde = std::move(key_serde),
                          value_serde = std::move(value_serde)] {
          return std::make_unique<KeyValueStore<K, V>>(supplier->get(), key_serde, value_serde);
        });
  }
};

}  // namespace runnel::streams
