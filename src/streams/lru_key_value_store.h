#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "streams/key_value_bytes_store.h"

namespace runnel::streams {

// An in-memory store that keeps at most `max_entries` keys, as Kafka Streams'
// Stores.lruMap(): a put beyond the limit evicts the least recently read or written key,
// and a logged store writes that eviction to its changelog as a delete, so that a restore
// brings back the same keys. Scans see the keys in byte order and do not count as use.
std::unique_ptr<KeyValueBytesStore> makeLruKeyValueStore(std::string name, size_t max_entries);

}  // namespace runnel::streams
