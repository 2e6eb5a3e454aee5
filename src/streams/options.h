#pragma once

// The option objects of the DSL, as Kafka Streams names them: Named, Consumed,
// Produced, Printed, Branched, Repartitioned.

#include <functional>
#include <optional>
#include <string>

#include "streams/record.h"
#include "streams/serde.h"
#include "streams/timestamp_extractor.h"

namespace runnel::streams {

// A processor name chosen by the user instead of a generated one.
class Named {
 public:
  Named() = default;
  static Named as(std::string name) { return Named(std::move(name)); }
  const std::string& name() const { return name_; }
  bool empty() const { return name_.empty(); }

 private:
  explicit Named(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

template <class K, class V>
struct Consumed {
  SerdePtr<K> key_serde;
  SerdePtr<V> value_serde;
  TimestampExtractor<K, V> timestamp_extractor;
  std::string name;

  static Consumed with(SerdePtr<K> key_serde, SerdePtr<V> value_serde) { return {key_serde, value_serde, {}, {}}; }
  static Consumed as(std::string name) { return {{}, {}, {}, std::move(name)}; }
  Consumed withTimestampExtractor(TimestampExtractor<K, V> extractor) && {
    timestamp_extractor = std::move(extractor);
    return std::move(*this);
  }
  Consumed withName(std::string processor_name) && {
    name = std::move(processor_name);
    return std::move(*this);
  }
};

template <class K, class V>
struct Produced {
  SerdePtr<K> key_serde;
  SerdePtr<V> value_serde;
  std::string name;

  static Produced with(SerdePtr<K> key_serde, SerdePtr<V> value_serde) { return {key_serde, value_serde, {}}; }
  static Produced as(std::string name) { return {{}, {}, std::move(name)}; }
  Produced withName(std::string processor_name) && {
    name = std::move(processor_name);
    return std::move(*this);
  }
};

template <class K, class V>
struct Printed {
  std::string file;   // empty: standard output
  std::string label;  // empty: the processor's name
  std::function<std::string(const K&, const V&)> mapper;
  std::string name;

  static Printed toSysOut() { return {}; }
  static Printed toFile(std::string path) { return {std::move(path), {}, {}, {}}; }
  Printed withLabel(std::string text) && {
    label = std::move(text);
    return std::move(*this);
  }
  Printed withKeyValueMapper(std::function<std::string(const K&, const V&)> f) && {
    mapper = std::move(f);
    return std::move(*this);
  }
  Printed withName(std::string processor_name) && {
    name = std::move(processor_name);
    return std::move(*this);
  }
};

template <class K, class V>
struct Repartitioned {
  std::string name;
  SerdePtr<K> key_serde;
  SerdePtr<V> value_serde;
  int32_t partitions = -1;  // -1: as many as the upstream source topics

  static Repartitioned as(std::string name) { return {std::move(name), {}, {}, -1}; }
  static Repartitioned with(SerdePtr<K> key_serde, SerdePtr<V> value_serde) { return {{}, key_serde, value_serde, -1}; }
  static Repartitioned numberOfPartitions(int32_t n) { return {{}, {}, {}, n}; }
  Repartitioned withNumberOfPartitions(int32_t n) && {
    partitions = n;
    return std::move(*this);
  }
  Repartitioned withKeySerde(SerdePtr<K> serde) && {
    key_serde = std::move(serde);
    return std::move(*this);
  }
  Repartitioned withValueSerde(SerdePtr<V> serde) && {
    value_serde = std::move(serde);
    return std::move(*this);
  }
};

}  // namespace runnel::streams
