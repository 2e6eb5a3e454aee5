#pragma once

#include <memory>
#include <string>

#include "streams/key_value_bytes_store.h"

namespace runnel::streams {

// A store held in a sorted map, as Kafka Streams' InMemoryKeyValueStore: not persistent;
// close() drops the contents (a logged store is restored from its changelog).
std::unique_ptr<KeyValueBytesStore> makeInMemoryKeyValueStore(std::string name);

}  // namespace runnel::streams
