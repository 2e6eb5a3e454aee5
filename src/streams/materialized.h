#pragma once

// Materialized and Grouped, the option objects of Kafka Streams' stateful DSL.

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "streams/serde.h"
#include "streams/stores.h"

namespace runnel::streams {

// How the DSL materializes a KTable in a key-value store, as Kafka Streams' Materialized:
//   Materialized<string, int64_t>::as("counts").withValueSerde(Serdes::Long())
//   Materialized<string, int64_t>::as(Stores::inMemoryKeyValueStore("counts"))
// Without a name the store gets a generated one ("KSTREAM-AGGREGATE-STATE-STORE-0000000001");
// without a supplier it is a persistent (RocksDB) store. Serdes left out are the
// stream's, else the configured defaults. Defaults as Kafka's: logging and caching enabled.
template <class K, class V>
class Materialized {
 public:
  using LogConfig = std::map<std::string, std::string>;

  Materialized() = default;
  static Materialized as(std::string store_name) {
    Materialized m;
    m.store_name_ = std::move(store_name);
    return m;
  }
  static Materialized as(KeyValueBytesStoreSupplierPtr supplier) {
    Materialized m;
    m.store_name_ = supplier->name();
    m.supplier_ = std::move(supplier);
    return m;
  }
  static Materialized with(SerdePtr<K> key_serde, SerdePtr<V> value_serde) {
    Materialized m;
    m.key_serde_ = std::move(key_serde);
    m.value_serde_ = std::move(value_serde);
    return m;
  }

  Materialized withKeySerde(SerdePtr<K> serde) && {
    key_serde_ = std::move(serde);
    return std::move(*this);
  }
  Materialized withValueSerde(SerdePtr<V> serde) && {
    value_serde_ = std::move(serde);
    return std::move(*this);
  }
  // `config`: topic configs of the changelog ("cleanup.policy", ...).
  Materialized withLoggingEnabled(LogConfig config) && {
    logging_enabled_ = true;
    log_config_ = std::move(config);
    return std::move(*this);
  }
  Materialized withLoggingDisabled() && {
    logging_enabled_ = false;
    log_config_.clear();
    return std::move(*this);
  }
  Materialized withCachingEnabled() && {
    caching_enabled_ = true;
    return std::move(*this);
  }
  Materialized withCachingDisabled() && {
    caching_enabled_ = false;
    return std::move(*this);
  }

  // Empty when the DSL is to generate the name.
  const std::string& storeName() const { return store_name_; }
  const KeyValueBytesStoreSupplierPtr& supplier() const { return supplier_; }
  const SerdePtr<K>& keySerde() const { return key_serde_; }
  const SerdePtr<V>& valueSerde() const { return value_serde_; }
  bool loggingEnabled() const { return logging_enabled_; }
  const LogConfig& logConfig() const { return log_config_; }
  bool cachingEnabled() const { return caching_enabled_; }

 private:
  std::string store_name_;
  KeyValueBytesStoreSupplierPtr supplier_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  bool logging_enabled_ = true;
  LogConfig log_config_;
  bool caching_enabled_ = true;
};

// How records are grouped, as Kafka Streams' Grouped: the serdes of the repartition
// topic and its name, "<name>-repartition" (else the store's name is used).
template <class K, class V>
struct Grouped {
  std::string name;
  SerdePtr<K> key_serde;
  SerdePtr<V> value_serde;

  static Grouped as(std::string name) { return {std::move(name), {}, {}}; }
  static Grouped with(SerdePtr<K> key_serde, SerdePtr<V> value_serde) { return {{}, key_serde, value_serde}; }
  static Grouped keySerde(SerdePtr<K> serde) { return {{}, serde, {}}; }
  static Grouped valueSerde(SerdePtr<V> serde) { return {{}, {}, serde}; }
  Grouped withName(std::string processor_name) && {
    name = std::move(processor_name);
    return std::move(*this);
  }
  Grouped withKeySerde(SerdePtr<K> serde) && {
    key_serde = std::move(serde);
    return std::move(*this);
  }
  Grouped withValueSerde(SerdePtr<V> serde) && {
    value_serde = std::move(serde);
    return std::move(*this);
  }
};

}  // namespace runnel::streams
