#pragma once

#include <string>
#include <utility>

#include "streams/serde.h"

namespace runnel::streams {

// A table of all partitions of a topic, kept whole on every instance, as Kafka Streams'
// GlobalKTable<K, V> (StreamsBuilder::globalTable). Streams join it on any key they
// compute (KStream::join(table, keyMapper, joiner)), without repartitioning and without
// co-partitioning. Cheap to copy: a handle onto the topology being built.
template <class K, class V>
class GlobalKTable {
 public:
  GlobalKTable(std::string store_name, SerdePtr<K> key_serde, SerdePtr<V> value_serde)
      : store_name_(std::move(store_name)), key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)) {}

  // The store that holds the table: KafkaStreams::store<K, V>(name) reads it.
  const std::string& queryableStoreName() const { return store_name_; }
  const SerdePtr<K>& keySerde() const { return key_serde_; }
  const SerdePtr<V>& valueSerde() const { return value_serde_; }

 private:
  std::string store_name_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
};

}  // namespace runnel::streams
