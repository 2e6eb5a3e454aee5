#pragma once

#include <optional>

namespace runnel::streams {

// What a KTable forwards for one update of a key, as Kafka Streams' Change<V>: the value
// after and before it. nullopt is null: a new_value of nullopt is a tombstone (the key
// was deleted or filtered out), an old_value of nullopt means the key had no value.
template <class V>
struct Change {
  std::optional<V> new_value;
  std::optional<V> old_value;

  bool operator==(const Change&) const = default;
};

}  // namespace runnel::streams
