#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>

#include "common/status.h"

namespace runnel::streams {

// A serde of any type, as the default serdes named in the configuration are: the typed
// stream that uses one checks its type() when the topology starts.
class SerdeBase {
 public:
  virtual ~SerdeBase() = default;
  // The C++ type this serde reads and writes.
  virtual std::type_index type() const = 0;
  // How users name it: Kafka's class name for the built-in ones
  // ("org.apache.kafka.common.serialization.Serdes$StringSerde").
  virtual std::string name() const = 0;
};

// Turns T into the bytes of a record key or value and back, as a Kafka Serde does.
// Implementations are stateless or thread-safe: one instance serves every stream thread.
template <class T>
class Serde : public SerdeBase {
 public:
  std::type_index type() const final { return typeid(T); }

  // Appends the bytes of `data` to `out` and returns true, or returns false for a null
  // key or value (Void, an empty optional).
  virtual bool serialize(std::string_view topic, const T& data, std::string& out) const = 0;

  // Reads `data` (nullopt: a null key or value) into `out`, which is reused from the
  // previous record so that its storage is recycled. A serde of a type with no null
  // reads null as T{}; use std::optional<T> where null must stay distinct.
  virtual Status deserialize(std::string_view topic, std::optional<std::string_view> data, T& out) const = 0;
};

template <class T>
using SerdePtr = std::shared_ptr<const Serde<T>>;

// The type of a key or value that is always null (Kafka's Serdes.Void()).
struct Void {
  bool operator==(const Void&) const = default;
};

}  // namespace runnel::streams
